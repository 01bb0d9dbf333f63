"""信息公开 — disclosure (policy §12: information about purchased services is public;
§14: supervision by the public; MOF notice 财库〔2020〕10号 on procurement intentions):
procurement intentions (采购意向, written by the catalogs room), announcements of the
standard types computed from the tables that hold them, the public portal with its
payments list, and its search. Issue 12, parts 1–2."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.core import listing
    from market.demo import register_seeder
    from market.disclosure import demo
    from market.disclosure.views import ANNOUNCEMENTS, CLEARED, PAYMENTS, SEARCH, bp

    app.register_blueprint(bp)
    register_seeder(app, "disclosure", demo.seed, showcase=True)
    nav.register(app, nav.NavItem("disclosure.portal", _l("Public portal"), public=True,
                                  order=5))
    listing.register(app, ANNOUNCEMENTS, "disclosure.announcements")
    listing.register(app, PAYMENTS, "disclosure.payments")
    listing.register(app, CLEARED, "disclosure.cleared")
    listing.register(app, SEARCH, "disclosure.search", params=lambda session: {"q": "服务"})
