"""Catalog services: the one door to every catalog rule and its ledger postings."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import funds
from market.accounts.models import Department, User
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.catalogs.models import (BudgetAmendment, Catalog, CatalogItem, CatalogStatus,
                                    FiscalYearClose, ServiceCategory)
from market.clock import now
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.money import CENT, parse_money

MIN_YEAR, MAX_YEAR = 2000, 2100


# --- who may see and touch a catalog ------------------------------------------------

def get_catalog(session: Session, catalog_id: int, user: User | None, *, edit: bool = False
                ) -> Catalog:
    """Fetch a catalog the user may see (or edit), else 404 / 403.

    Approved catalogs are public. A department sees its own; finance sees submitted and
    approved ones; auditors see everything. Only the owning department edits.
    """
    catalog = session.get(Catalog, catalog_id)
    if catalog is None:
        raise NotFound(_l("No such catalog."))
    owner = user is not None and user.is_authenticated and user.role == Role.DEPARTMENT \
        and user.department_id == catalog.department_id
    if edit:
        if not owner:
            raise Forbidden(_l("Only the department that owns this catalog may change it."))
        return catalog
    if catalog.status == CatalogStatus.APPROVED or owner:
        return catalog
    if user is not None and user.is_authenticated:
        if user.role == Role.AUDITOR:
            return catalog
        if user.can(Permission.CATALOGS_APPROVE) and catalog.status == CatalogStatus.SUBMITTED:
            return catalog
    raise NotFound(_l("No such catalog."))


def _require_editable(catalog: Catalog) -> None:
    if not catalog.editable:
        raise Conflict(_l("Only a draft or returned catalog can be changed."))


# --- the department drafts ----------------------------------------------------------

def create_catalog(session: Session, actor: User, fiscal_year: int) -> Catalog:
    if actor.role != Role.DEPARTMENT or not actor.department_id:
        raise Forbidden(_l("Only a purchasing department drafts a catalog."))
    if not MIN_YEAR <= fiscal_year <= MAX_YEAR:
        raise Invalid(_l("Enter a fiscal year between %(a)s and %(b)s.", a=MIN_YEAR, b=MAX_YEAR),
                      field="fiscal_year")
    exists = session.scalar(select(Catalog.id).where(
        Catalog.department_id == actor.department_id, Catalog.fiscal_year == fiscal_year))
    if exists:
        raise Conflict(_l("Your department already has a catalog for %(y)s.", y=fiscal_year),
                       field="fiscal_year")
    catalog = Catalog(department_id=actor.department_id, fiscal_year=fiscal_year,
                      status=CatalogStatus.DRAFT)
    session.add(catalog)
    session.flush()
    record(session, actor, "catalog", catalog.id, "create", None, CatalogStatus.DRAFT.value)
    return catalog


@dataclass
class ItemData:
    service_category: str
    title: str
    description: str
    quantity: object
    unit: str
    budget: object
    eligible_categories: list[str]
    min_grade: int


def _validate_item(data: ItemData) -> dict:
    from market.catalogs.eligibility import org_category_values

    title = (data.title or "").strip()
    if not title:
        raise Invalid(_l("A title is required."), field="title")
    try:
        category = ServiceCategory(data.service_category)
    except ValueError:
        raise Invalid(_l("Choose a service category."), field="service_category") from None
    try:
        quantity = Decimal(str(data.quantity))
    except (InvalidOperation, TypeError):
        raise Invalid(_l("Enter a quantity."), field="quantity") from None
    if not quantity.is_finite() or quantity <= 0 or quantity != quantity.quantize(CENT):
        raise Invalid(_l("The quantity must be a positive number."), field="quantity")
    unit = (data.unit or "").strip()
    if not unit:
        raise Invalid(_l("A unit is required (e.g. person-times, hours, sessions)."), field="unit")
    allowed = org_category_values()
    eligible = [c for c in data.eligible_categories or []]
    if not eligible or any(c not in allowed for c in eligible):
        raise Invalid(_l("Choose at least one eligible organization category."),
                      field="eligible_categories")
    if data.min_grade not in range(0, 6):
        raise Invalid(_l("The minimum grade is between none and 5A."), field="min_grade")
    return dict(service_category=category, title=title[:200],
                description=(data.description or "").strip(), quantity=quantity,
                unit=unit[:40], budget=parse_money(data.budget, field="budget"),
                eligible_categories=eligible, min_grade=int(data.min_grade))


def add_item(session: Session, actor: User, catalog_id: int, data: ItemData) -> CatalogItem:
    catalog = get_catalog(session, catalog_id, actor, edit=True)
    _require_editable(catalog)
    values = _validate_item(data)
    position = max((i.position for i in catalog.items), default=0) + 1
    code = f"{catalog.department.code}-{catalog.fiscal_year}-{catalog.id}-{position:02d}"
    item = CatalogItem(catalog=catalog, position=position, code=code, **values)
    session.add(item)
    session.flush()
    record(session, actor, "catalog", catalog.id, "add_item", reason=f"{code} {item.title}")
    return item


def update_item(session: Session, actor: User, item_id: int, data: ItemData) -> CatalogItem:
    item = session.get(CatalogItem, item_id)
    if item is None:
        raise NotFound(_l("No such catalog item."))
    get_catalog(session, item.catalog_id, actor, edit=True)
    _require_editable(item.catalog)
    for key, value in _validate_item(data).items():
        setattr(item, key, value)
    record(session, actor, "catalog", item.catalog_id, "update_item", reason=item.code)
    return item


def remove_item(session: Session, actor: User, item_id: int) -> None:
    item = session.get(CatalogItem, item_id)
    if item is None:
        raise NotFound(_l("No such catalog item."))
    catalog = get_catalog(session, item.catalog_id, actor, edit=True)
    _require_editable(catalog)
    record(session, actor, "catalog", catalog.id, "remove_item", reason=item.code)
    catalog.items.remove(item)


def submit_catalog(session: Session, actor: User, catalog_id: int) -> Catalog:
    catalog = get_catalog(session, catalog_id, actor, edit=True)
    _require_editable(catalog)
    if not catalog.items:
        raise Invalid(_l("Add at least one item before submitting."))
    before = catalog.status
    catalog.status = CatalogStatus.SUBMITTED
    catalog.submitted_at = now()
    record(session, actor, "catalog", catalog.id, "submit", before.value, catalog.status.value)
    return catalog


# --- finance decides ---------------------------------------------------------------

def _finance(actor: User) -> None:
    if not actor.can(Permission.CATALOGS_APPROVE):
        raise Forbidden(_l("Only the finance bureau approves catalogs."))


def _submitted(session: Session, catalog_id: int) -> Catalog:
    """The submitted catalog, row-locked: two finance officers deciding at once are
    serialized, and the second one finds it no longer submitted (no double appropriation)."""
    catalog = session.get(Catalog, catalog_id, with_for_update=True, populate_existing=True)
    if catalog is None:
        raise NotFound(_l("No such catalog."))
    if catalog.status != CatalogStatus.SUBMITTED:
        raise Conflict(_l("Only a submitted catalog can be approved or returned."))
    return catalog


def return_catalog(session: Session, actor: User, catalog_id: int, reason: str) -> Catalog:
    _finance(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give the reason for returning the catalog."), field="reason")
    catalog = _submitted(session, catalog_id)
    catalog.status = CatalogStatus.RETURNED
    catalog.return_reason = reason
    record(session, actor, "catalog", catalog.id, "return", CatalogStatus.SUBMITTED.value,
           CatalogStatus.RETURNED.value, reason)
    return catalog


def approve_catalog(session: Session, actor: User, catalog_id: int) -> Catalog:
    """Approve and appropriate every item's budget in the ledger, in one transaction."""
    _finance(actor)
    catalog = _submitted(session, catalog_id)
    if _year_closed(session, catalog.fiscal_year):
        raise Conflict(_l("Fiscal year %(y)s is closed.", y=catalog.fiscal_year))
    catalog.status = CatalogStatus.APPROVED
    catalog.approved_at = now()
    catalog.approved_by_id = actor.id
    catalog.return_reason = None
    for item in catalog.items:
        funds.appropriate(session, item, approved_by=actor)
    record(session, actor, "catalog", catalog.id, "approve", CatalogStatus.SUBMITTED.value,
           CatalogStatus.APPROVED.value)
    return catalog


def amend_budget(session: Session, actor: User, item_id: int, new_budget, reason: str
                 ) -> BudgetAmendment:
    """Raise an approved item's budget, or lower it down to (never below) what is committed."""
    _finance(actor)
    item = session.get(CatalogItem, item_id)
    if item is None:
        raise NotFound(_l("No such catalog item."))
    if item.catalog.status != CatalogStatus.APPROVED:
        raise Conflict(_l("Only an approved catalog's budget can be amended."))
    if _year_closed(session, item.catalog.fiscal_year):
        raise Conflict(_l("Fiscal year %(y)s is closed.", y=item.catalog.fiscal_year))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give the reason for the amendment."), field="reason")
    new = parse_money(new_budget, field="new_budget")
    old = item.budget
    if new == old:
        raise Invalid(_l("The new budget is the same as the current one."), field="new_budget")
    txn_id = funds.amend(session, item, new - old, reason=reason, by=actor)
    item.budget = new
    amendment = BudgetAmendment(item=item, old_budget=old, new_budget=new, reason=reason,
                                by_id=actor.id, ledger_txn_id=txn_id)
    session.add(amendment)
    record(session, actor, "catalog_item", item.id, "amend_budget", str(old), str(new), reason)
    return amendment


def _year_closed(session: Session, fiscal_year: int) -> bool:
    return session.scalar(select(FiscalYearClose.id).where(
        FiscalYearClose.fiscal_year == fiscal_year)) is not None


def close_fiscal_year(session: Session, actor: User, fiscal_year: int) -> FiscalYearClose:
    """决算: what is still available on every approved item of the year lapses."""
    _finance(actor)
    if _year_closed(session, fiscal_year):
        raise Conflict(_l("Fiscal year %(y)s is already closed.", y=fiscal_year))
    items = session.scalars(
        select(CatalogItem).join(Catalog)
        .where(Catalog.fiscal_year == fiscal_year, Catalog.status == CatalogStatus.APPROVED)
        .order_by(CatalogItem.id)).all()
    if not items:
        raise Invalid(_l("No approved catalog exists for %(y)s.", y=fiscal_year),
                      field="fiscal_year")
    total = Decimal("0.00")
    for item in items:
        total += funds.lapse(session, item, by=actor)
    close = FiscalYearClose(fiscal_year=fiscal_year, by_id=actor.id, lapsed_total=total)
    session.add(close)
    session.flush()
    record(session, actor, "fiscal_year", fiscal_year, "close", "open", "closed",
           f"lapsed {total}")
    return close


# --- 采购意向: the department publishes each approved item's procurement intention ----------

INTENTION_NEEDS_MAX = 2000  # characters: a brief, not the tender's documents


def parse_month(value, *, field: str = "month") -> dt.date:
    """"2026-05" (or a date) → the first day of that month; anything else is Invalid."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = (value or "").strip()
    try:
        year, month = (int(part) for part in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise Invalid(_l("Enter the month as YYYY-MM, e.g. 2026-05."), field=field) from None


def publish_intention(session: Session, actor: User, item_id: int, needs: str, month
                      ) -> CatalogItem:
    """Publish (or edit) an approved item's procurement intention: the needs in brief and
    the expected month of purchase, within the catalog's fiscal year. The first
    publication starts the period tenders wait for; an edit keeps its date."""
    item = session.get(CatalogItem, item_id, with_for_update=True)
    if item is None:
        raise NotFound(_l("No such catalog item."))
    if actor.role != Role.DEPARTMENT or actor.department_id != item.catalog.department_id:
        raise Forbidden(_l("Only the department that owns this catalog may publish its "
                           "procurement intentions."))
    if item.catalog.status != CatalogStatus.APPROVED:
        raise Conflict(_l("An intention is published only for an item of an approved catalog."))
    needs = (needs or "").strip()
    if not needs:
        raise Invalid(_l("Describe the needs in brief."), field="needs")
    if len(needs) > INTENTION_NEEDS_MAX:
        raise Invalid(_l("At most %(n)s characters.", n=INTENTION_NEEDS_MAX), field="needs")
    first = parse_month(month, field="month")
    if first.year != item.catalog.fiscal_year:
        raise Invalid(_l("The expected month must fall in fiscal year %(y)s.",
                         y=item.catalog.fiscal_year), field="month")
    edit = item.intention_published_at is not None
    item.intention_needs, item.intention_month = needs, first
    if edit:
        item.intention_updated_at = now()
    else:
        item.intention_published_at = now()
    record(session, actor, "catalog_item", item.id,
           "edit_intention" if edit else "publish_intention", None, first.strftime("%Y-%m"),
           needs[:200])
    return item


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.code)))
