"""绩效评价 — third-party performance evaluation of contracts (policy §13, §14: 第三方评估
of service quality; funds supervised): requests, agency assignment with recusal, the
evaluations themselves and the payment gate they open or close."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.contracts import hooks as contract_hooks
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.access.permissions import Role
    from market.home.todos import Todo, register_todo
    from market.performance import services
    from market.performance.views import WORKERS, bp, milestone_part

    app.register_blueprint(bp)
    # Contracts come first and know nothing of evaluations: a terminated contract tells
    # this room through its hook, and its page shows this room's part of each milestone.
    contract_hooks.on_termination(app, "performance", services.cancel_open)
    contract_hooks.add_milestone_part(app, milestone_part)
    register_policy(app, OwnerType.PERFORMANCE_EVALUATION, services.may_read_report)
    for role, todo in (
            (Role.DEPARTMENT, Todo("evaluations_to_request",
                                   _l("Performance evaluations to request"),
                                   "performance.index", services.evaluations_to_request, 45)),
            (Role.CIVIL_AFFAIRS, Todo("evaluation_requests_to_assign",
                                      _l("Evaluation requests to assign"), "performance.index",
                                      services.requests_to_assign, 40)),
            (Role.EVALUATOR, Todo("evaluations_due", _l("Performance evaluations due"),
                                  "performance.index", services.evaluations_due, 20))):
        register_todo(app, role, todo)
    nav.register(app, nav.NavItem("performance.index", _l("Performance evaluations"), order=31,
                                  roles=frozenset(WORKERS)))
