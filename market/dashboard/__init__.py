"""政策目标 — the policy-targets dashboard (policy §2, 工作目标: registered organizations per
10,000 registered residents, the share of graded organizations ≥ 30 %, doubling the count
by the plan's end; §5: an incubation base in the city and in every town) city-wide and per
town over the years, and purchase funds by department and fiscal year (appropriated,
reserved, committed, paid; §13–14) from the ledger. Civil affairs enters the registered
residents per town and year. Issue 12, part 5."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.dashboard import demo
    from market.demo import register_seeder
    from market.core import listing
    from market.dashboard.views import YEARS, bp

    app.register_blueprint(bp)
    nav.register(app, nav.NavItem("dashboard.index", _l("Policy targets"), public=True,
                                  order=38))
    register_seeder(app, "dashboard", demo.seed)
    # the page's other tables (``?table=towns``, ``?table=funds``) are tested apart
    listing.register(app, YEARS, "dashboard.index", count=lambda page: len(page["figures"].years))
