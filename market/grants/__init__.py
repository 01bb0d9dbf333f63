"""公益创投 — venture philanthropy (policy §13–14: 每年常态化开展全市性公益创投活动; §10:
3A级及以上优先获得政府奖励和支持).

Civil affairs opens a round (创投活动) funded from one of its approved catalog items, with
its pool, cap, self-raised share, eligibility, 3A+ priority, window, review criteria,
extra questions (a small form builder kept as data), tranche schedule and reporting
dates; organizations apply (申报): draft, submit before the window closes, withdraw.
Civil affairs screens the submitted applications (资格审查) after the window closes;
reviewers drawn at random from the expert pool declare conflicts (利益冲突声明) and score
each criterion; the ranking shows the mean, the spread and the applications to look at
again (``review``). The decision (立项决定) approves a funded list within the pool and
reserves each grant in the ledger; the grant agreement (资助协议) commits it; tranches
(分期拨付) are paid by finance, the mid-term and final ones after a passing performance
evaluation of their stage; a failing one stops the grant and releases what remains to the
pool (``funding.py``, ``funding_views.py``).
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask import url_for
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.demo import register_seeder
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.core import listing
    from market.experts.services import Subject, register_subject
    from market.grants import demo, funding, funding_views, review, review_views  # noqa: F401
    from market.grants.views import FUNDED, ROUNDS, bp
    from market.home.panels import register_panel

    funding_views.register()  # its routes join the grants blueprint before it is registered
    app.register_blueprint(bp)
    nav.register(
        app,
        nav.NavItem("grants.index", _l("Venture philanthropy"), public=True, order=13),
        nav.NavItem("grants.manage", _l("Venture philanthropy rounds"),
                    Permission.GRANTS_MANAGE, order=26),
        nav.NavItem("grants.mine", _l("My grant applications"), Permission.GRANTS_APPLY,
                    order=23),
        nav.NavItem("grants.my_reviews", _l("My grant reviews"), Permission.GRANTS_REVIEW,
                    order=27),
        nav.NavItem("grants.my_grants", _l("My grants"), Permission.GRANTS_APPLY, order=24),
        nav.NavItem("grants.payable", _l("Grant tranches to pay"),
                    Permission.PAYMENTS_APPROVE, order=34),
    )
    register_panel(app, Role.ORGANIZATION, "grants/_panel_organization.html", order=15)
    register_panel(app, Role.EXPERT, "grants/_panel_expert.html", order=55)
    register_policy(app, OwnerType.GRANT_APPLICATION, review.may_read_document)
    register_policy(app, OwnerType.GRANT, funding.may_read_document)
    register_subject(app, review.SUBJECT, Subject(
        label=review.subject_label,
        url=lambda application_id: url_for("grants.application",
                                           grant_application_id=application_id),
        disclosed=review.subject_disclosed))
    register_seeder(app, "grants", demo.seed)
    listing.register(app, ROUNDS, "grants.index")
    listing.register(app, FUNDED, "grants.round_page", params=_a_funded_round,
                     count=lambda page: len(page["funded"]))


def _a_funded_round(session) -> dict:
    """A published round with the most grants (the registry walk's example)."""
    from sqlalchemy import func, select

    from market.grants.funding_models import Grant
    from market.grants.models import GrantRound, RoundStatus

    round_id = session.scalar(
        select(GrantRound.id).outerjoin(Grant, Grant.round_id == GrantRound.id)
        .where(GrantRound.status == RoundStatus.PUBLISHED).group_by(GrantRound.id)
        .order_by(func.count(Grant.id).desc(), GrantRound.id).limit(1))
    return {"round_id": round_id}
