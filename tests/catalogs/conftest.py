"""Catalog test helpers: a catalog drafted, submitted and approved through HTTP."""
from __future__ import annotations

from sqlalchemy import select

from market.catalogs.models import Catalog, CatalogItem

ITEM = {
    "service_category": "elderly", "title": "社区居家养老服务", "description": "助餐、助浴、探访",
    "quantity": "12000", "unit": "人次", "budget": "600000.00",
    "eligible_categories": ["charity", "community"], "min_grade": "3",
}


def approve_through_http(client, auth, session, fiscal_year: int = 2028,
                         items: tuple[dict, ...] = (ITEM,)) -> CatalogItem:
    """The demo department drafts and submits a catalog, finance approves it; returns
    its first item. Leaves the client logged out."""
    auth.login("dept")
    client.post("/catalogs/new", data={"fiscal_year": str(fiscal_year)})
    catalog = session.scalar(select(Catalog).where(Catalog.fiscal_year == fiscal_year))
    for item in items:
        assert client.post(f"/catalogs/{catalog.id}/items", data=item).status_code == 302
    assert client.post(f"/catalogs/{catalog.id}/submit").status_code == 302
    auth.logout()
    auth.login("finance")
    assert client.post(f"/catalogs/{catalog.id}/approve").status_code == 302
    auth.logout()
    session.expire_all()
    return session.scalar(select(CatalogItem).where(CatalogItem.catalog_id == catalog.id)
                          .order_by(CatalogItem.position))
