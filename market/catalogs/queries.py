"""Read-side queries for catalog pages."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from market.catalogs.models import Catalog, CatalogStatus


def public_catalogs(fiscal_year: int | None = None, department_id: int | None = None):
    stmt = select(Catalog).where(Catalog.status == CatalogStatus.APPROVED)
    if fiscal_year:
        stmt = stmt.where(Catalog.fiscal_year == fiscal_year)
    if department_id:
        stmt = stmt.where(Catalog.department_id == department_id)
    return stmt.order_by(Catalog.fiscal_year.desc(), Catalog.department_id)


def department_catalogs(department_id: int):
    return (select(Catalog).where(Catalog.department_id == department_id)
            .order_by(Catalog.fiscal_year.desc()))


def review_queue():
    return (select(Catalog).where(Catalog.status == CatalogStatus.SUBMITTED)
            .order_by(Catalog.submitted_at))


def fiscal_years(session: Session, approved_only: bool = True) -> list[int]:
    stmt = select(Catalog.fiscal_year).distinct().order_by(Catalog.fiscal_year.desc())
    if approved_only:
        stmt = stmt.where(Catalog.status == CatalogStatus.APPROVED)
    return list(session.scalars(stmt))


def catalogs_to_approve(session: Session, user) -> int:
    """Finance's to-do: catalogs submitted and waiting for approval."""
    return session.scalar(select(func.count(Catalog.id)).where(
        Catalog.status == CatalogStatus.SUBMITTED)) or 0


def catalogs_to_finish(session: Session, user) -> int:
    """A department's to-do: its catalogs in draft or returned by finance."""
    return session.scalar(select(func.count(Catalog.id)).where(
        Catalog.department_id == (user.department_id or 0),
        Catalog.status.in_([CatalogStatus.DRAFT, CatalogStatus.RETURNED]))) or 0
