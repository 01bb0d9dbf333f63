"""培育基地 — incubation bases for new organizations (policy §5: city- and town-level bases
offering space, funds and capacity support, with rewards instead of up-front subsidies,
以奖代补; §10: 3A+ organizations are first to receive government rewards; §13: funds for
incubation bases): bases, admissions and graduations, yearly evaluations, rewards paid
through the ledger after a passing evaluation."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Role
    from market.demo import register_seeder
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.home.panels import register_panel
    from market.incubation import access, demo
    from market.core import listing
    from market.incubation.views import BASES, RESIDENTS, bp

    app.register_blueprint(bp)
    register_policy(app, OwnerType.INCUBATION_EVALUATION, access.may_read_report)
    nav.register(app, nav.NavItem("incubation.index", _l("Incubation bases"), public=True,
                                  order=36))
    register_panel(app, Role.CIVIL_AFFAIRS, "incubation/_panel_civil_affairs.html", order=60)
    register_seeder(app, "incubation", demo.seed, showcase=True)
    listing.register(app, BASES, "incubation.index", count=lambda page: len(page["bases"]))
    listing.register(app, RESIDENTS, "incubation.detail", params=_a_busy_base,
                     count=lambda page: len(page["base"].residencies))


def _a_busy_base(session) -> dict:
    """The base that hosted the most organizations (the registry walk's example)."""
    from sqlalchemy import func, select

    from market.incubation.models import IncubationBase, Residency

    base_id = session.scalar(
        select(IncubationBase.id).outerjoin(Residency, Residency.base_id == IncubationBase.id)
        .group_by(IncubationBase.id).order_by(func.count(Residency.id).desc(),
                                              IncubationBase.id).limit(1))
    return {"base_id": base_id}
