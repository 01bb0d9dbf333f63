"""购买公共服务目录 — the annual purchase catalogs (policy §14: each department's yearly
catalog of public services it buys, its budget in the year's finance budget under
"费随事转"; §17: finance keeps the catalog of services bought): items, budgets, finance's
approval and the appropriation it posts to the ledger, amendments, closing the year.
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.catalogs import demo
    from market.catalogs.views import CATALOG_ITEMS, CATALOGS, bp
    from market.core import listing
    from market.demo import register_seeder
    from market.catalogs import queries
    from market.home.todos import Todo, register_todo

    app.register_blueprint(bp)
    # Orders 9 and 19 keep the catalogs just before the registry's entries of the same rank.
    nav.register(
        app,
        nav.NavItem("catalogs.index", _l("Purchase catalogs"), public=True, order=9),
        nav.NavItem("catalogs.mine", _l("My catalogs"), Permission.CATALOGS_DRAFT, order=19),
        nav.NavItem("catalogs.review", _l("Catalog review"), Permission.CATALOGS_APPROVE,
                    order=19),
    )
    register_todo(app, Role.DEPARTMENT, Todo("catalogs_to_finish", _l("Catalogs to finish"),
                                             "catalogs.mine", queries.catalogs_to_finish, 10))
    register_todo(app, Role.FINANCE, Todo("catalogs_to_approve", _l("Catalogs to approve"),
                                          "catalogs.review", queries.catalogs_to_approve, 10))
    register_seeder(app, "catalogs", demo.seed)
    listing.register(app, CATALOGS, "catalogs.index")
    listing.register(app, CATALOG_ITEMS, "catalogs.detail", params=_an_approved_catalog,
                     count=lambda page: len(page["catalog"].items))


def _an_approved_catalog(session) -> dict:
    from sqlalchemy import select

    from market.catalogs.models import Catalog, CatalogStatus

    return {"catalog_id": session.scalar(select(Catalog.id).where(
        Catalog.status == CatalogStatus.APPROVED).order_by(Catalog.id))}
