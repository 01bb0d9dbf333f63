"""风险提示 — red flags for auditors (policy §14: supervision by 监察, finance and audit),
computed across procurement and the ledger, each linking to its evidence: a single valid
bid, one organization winning most of a department's tenders, awards at the ceiling,
tender periods below the minimum, purchases split under a threshold, contracts above the
awarded price, late payments, experts repeatedly scoring the same organization. Auditors
mark a flag reviewed with a note (audit-logged). Issue 12, part 6."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.home.panels import register_panel
    from market.core import listing
    from market.redflags.views import FLAGS, bp

    app.register_blueprint(bp)
    nav.register(app, nav.NavItem("redflags.index", _l("Red flags"), Permission.REDFLAGS_READ,
                                  order=31))
    register_panel(app, Role.AUDITOR, "redflags/_panel_auditor.html", order=20)
    listing.register(app, FLAGS, "redflags.index", audience=Permission.REDFLAGS_READ)
