"""公益创投 — venture philanthropy (policy §13–14: 每年常态化开展全市性公益创投活动; §10:
3A级及以上优先获得政府奖励和支持).

Civil affairs opens a round (创投活动) funded from one of its approved catalog items, with
its pool, cap, self-raised share, eligibility, 3A+ priority, window, review criteria,
extra questions (a small form builder kept as data), tranche schedule and reporting
dates; organizations apply (申报): draft, submit before the window closes, withdraw.
Screening, reviews, decisions and tranches come next (issue 11, parts 3–5).
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.demo import register_seeder
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.grants import demo, services
    from market.core import listing
    from market.grants.views import ROUNDS, bp
    from market.home.panels import register_panel

    app.register_blueprint(bp)
    nav.register(
        app,
        nav.NavItem("grants.index", _l("Venture philanthropy"), public=True, order=13),
        nav.NavItem("grants.manage", _l("Venture philanthropy rounds"),
                    Permission.GRANTS_MANAGE, order=26),
        nav.NavItem("grants.mine", _l("My grant applications"), Permission.GRANTS_APPLY,
                    order=23),
    )
    register_panel(app, Role.ORGANIZATION, "grants/_panel_organization.html", order=15)
    register_policy(app, OwnerType.GRANT_APPLICATION, services.may_read_document)
    register_seeder(app, "grants", demo.seed)
    listing.register(app, ROUNDS, "grants.index")
