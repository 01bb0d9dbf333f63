"""合同管理 — contracts from awards (policy §6: 项目化运作和合同管理, departments work with
organizations by project and contract; §14: funds reach the organization and are
supervised, third-party evaluation before payment): the payment schedule, deliverables
and their acceptance, evaluations that gate a milestone, payments posted to the ledger.
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Role
    from market.auditlog.services import register_object_names
    from market.contracts import access, demo, payments, queries
    from market.tenders import outcomes
    from market.contracts.views import CONTRACTS, bp
    from market.core import listing
    from market.demo import register_seeder
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.home.todos import Todo, register_todo

    app.register_blueprint(bp)
    nav.register(
        app,
        nav.NavItem("contracts.index", _l("Contracts"), public=True, order=14),
        nav.NavItem("contracts.work", _l("Contract work"), order=30,
                    roles=frozenset({Role.DEPARTMENT, Role.ORGANIZATION, Role.FINANCE,
                                     Role.EVALUATOR})),
    )
    for role, todo in (
            (Role.DEPARTMENT, Todo("contracts_to_sign", _l("Contracts to sign"),
                                   "tenders.queue", queries.contracts_to_sign, 30)),
            (Role.DEPARTMENT, Todo("deliverables_to_accept", _l("Deliverables to accept"),
                                   "contracts.work", queries.deliverables_to_accept, 40)),
            (Role.FINANCE, Todo("payments_to_approve", _l("Payments to approve"),
                                "contracts.work", queries.payments_to_approve, 20)),
            (Role.ORGANIZATION, Todo("contracts_to_countersign", _l("Contracts to sign"),
                                     "contracts.work", queries.contracts_to_countersign, 10)),
            (Role.ORGANIZATION, Todo("deliverables_to_submit",
                                     _l("Deliverable reports to submit"), "contracts.work",
                                     queries.deliverables_to_submit, 20))):
        register_todo(app, role, todo)
    register_policy(app, OwnerType.DELIVERABLE, payments.may_read_document)
    outcomes.register_step(app, queries.bid_next_steps, order=20)
    register_policy(app, OwnerType.CONTRACT, access.may_read_contract_document)
    register_seeder(app, "contracts", demo.seed, showcase=True)
    listing.register(app, CONTRACTS, "contracts.index")
    # The audit log names a contract by its number, as its public page does.
    register_object_names(app, "contract", queries.contract_numbers)
