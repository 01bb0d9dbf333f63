"""首页 — the public portal and each role's workspace (policy §12: 信息公开, what the public
may see starts here). Other features add menu entries (``market.nav``) and workspace
panels (``home.panels``) to an app in their own ``init_app``."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.home.views import bp

    app.register_blueprint(bp)
    nav.register(app, nav.NavItem("home.index", _l("Home"), public=True, order=0),
                 nav.NavItem("home.dashboard", _l("My workspace"), order=1))
