"""评标与定标 — bid scoring by the evaluation committee (policy §18: competitive
procedures): the committee is drawn at random from the expert pool (``committee``,
``market.experts``), experts declare conflicts and score, the arithmetic ranks (with the 3A+
priority of policy §10); then the award (``award``), its standstill, and the bidders'
challenges to it (``challenges``). Built on ``tenders``, which never imports it.

Once the bids are opened, the committee's experts who declared no conflict may read them
(the sealed-bid reader this feature registers)."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.home.panels import register_panel
    from market.home.todos import Todo, register_todo
    from market.tenders import notifications, outcomes, sealed
    from flask import url_for

    from market.demo import register_seeder
    from market.experts.services import Subject, register_subject
    from market.tenders.models import Tender
    from market.tenders.scoring import award, challenges, committee, demo, queries, services
    from market.tenders.scoring.views import bp

    app.register_blueprint(bp)
    nav.register(app, nav.NavItem("scoring.my_evaluations", _l("My evaluations"),
                                  Permission.TENDERS_SCORE, order=26))
    register_panel(app, Role.EXPERT, "scoring/eval_panel_expert.html")
    register_panel(app, Role.DEPARTMENT, "scoring/eval_panel_department.html", order=60)
    sealed.register_reader(app, services.committee_reader)
    outcomes.register_step(app, queries.bid_outcomes, order=10)
    for kind, message in award.AWARD_NOTICES.items():
        notifications.register_kind(kind, message)
    register_todo(app, Role.DEPARTMENT, Todo("tenders_to_award", _l("Tenders to award"),
                                             "tenders.queue", queries.tenders_to_award, 20))
    register_policy(app, OwnerType.CHALLENGE, challenges.may_read_evidence)

    def _label(session, tender_id: int) -> str:
        tender = session.get(Tender, tender_id)
        return f"{tender.reference} {tender.title}" if tender else f"#{tender_id}"

    register_subject(app, committee.SUBJECT, Subject(
        label=_label, url=lambda tender_id: url_for("tenders.detail", tender_id=tender_id),
        disclosed=committee.disclosed))
    register_seeder(app, "scoring", demo.seed)
    register_policy(app, OwnerType.AWARD_EVIDENCE, award.may_read_evidence)
