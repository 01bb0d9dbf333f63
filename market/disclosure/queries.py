"""Reads for the public portal: announcements as a computed union over the tables that
hold each public event (no copy of their data), intentions, payments, and search.

Every announcement type is one SELECT over one source table, restricted to what is
already public there:

| type | source | public when |
|---|---|---|
| intention 采购意向 | ``catalog_items`` | ``intention_published_at`` set, catalog approved |
| tender 采购公告 | ``tenders`` | ``published_at`` set |
| correction 更正公告 | ``tender_changes`` | always (made to a published tender) |
| result 中标/成交结果公告 | ``tender_awards`` | always (the award page is public from it) |
| contract 合同公告 | ``contracts`` | ``published_at`` set (on acceptance) |
| termination 终止公告 | ``tenders`` cancelled after publication; ``contracts`` terminated | |

The union is filtered, ordered by date and paged in the database, so a page costs one
bounded query whatever the history's size.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session, selectinload

from market.accounts.models import Department
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus
from market.clock import LOCAL_TZ
from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus
from market.core.pagination import Page, paginate
from market.disclosure.labels import Kind
from market.grading.models import ClearanceDecision, ClearanceOutcome
from market.grants.queries import public_rounds
from market.grants.models import GrantRound
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization
from market.tenders.models import Tender, TenderChange, TenderStatus
from market.tenders.scoring.models import Award

SEARCH_MAX_CHARS = 100  # a longer query is cut: LIKE over titles, not full text


def _lit(value: str, name: str):
    """A constant text column (the type's or target's code; never user input)."""
    if not value.isidentifier():
        raise ValueError(f"not a code: {value!r}")
    return literal_column(f"'{value}'", String).label(name)


def _branches() -> dict[Kind, list]:
    """One SELECT per (type, source), all with the same columns: kind, target (which
    page it links to), at, department_id, title, reference, object_id (the linked
    object's id), row_id (the source row, for a stable order)."""
    def cols(kind, target, at, dept, title, ref, obj, row):
        return (_lit(kind.value, "kind"), _lit(target, "target"), at.label("at"),
                dept.label("department_id"), title.label("title"), ref.label("reference"),
                obj.label("object_id"), row.label("row_id"))

    intention = select(*cols(Kind.INTENTION, "item", CatalogItem.intention_published_at,
                             Catalog.department_id, CatalogItem.title, CatalogItem.code,
                             CatalogItem.id, CatalogItem.id)) \
        .join(Catalog, Catalog.id == CatalogItem.catalog_id) \
        .where(CatalogItem.intention_published_at.is_not(None),
               Catalog.status == CatalogStatus.APPROVED)
    tender = select(*cols(Kind.TENDER, "tender", Tender.published_at, Tender.department_id,
                          Tender.title, Tender.reference, Tender.id, Tender.id)) \
        .where(Tender.published_at.is_not(None))
    correction = select(*cols(Kind.CORRECTION, "tender", TenderChange.at,
                              Tender.department_id, Tender.title, Tender.reference,
                              Tender.id, TenderChange.id)) \
        .join(Tender, Tender.id == TenderChange.tender_id) \
        .where(Tender.published_at.is_not(None))
    result = select(*cols(Kind.RESULT, "award", Award.awarded_at, Tender.department_id,
                          Tender.title, Tender.reference, Tender.id, Award.id)) \
        .join(Tender, Tender.id == Award.tender_id)
    contract = select(*cols(Kind.CONTRACT, "contract", Contract.published_at,
                            Contract.department_id, Tender.title, Tender.reference,
                            Contract.id, Contract.id)) \
        .join(Tender, Tender.id == Contract.tender_id) \
        .where(Contract.published_at.is_not(None))
    cancelled = select(*cols(Kind.TERMINATION, "tender", Tender.cancelled_at,
                             Tender.department_id, Tender.title, Tender.reference, Tender.id,
                             Tender.id)) \
        .where(Tender.status == TenderStatus.CANCELLED, Tender.published_at.is_not(None),
               Tender.cancelled_at.is_not(None))
    terminated = select(*cols(Kind.TERMINATION, "contract", Contract.closed_at,
                              Contract.department_id, Tender.title, Tender.reference,
                              Contract.id, Contract.id)) \
        .join(Tender, Tender.id == Contract.tender_id) \
        .where(Contract.status == ContractStatus.TERMINATED, Contract.closed_at.is_not(None))
    return {Kind.INTENTION: [intention], Kind.TENDER: [tender], Kind.CORRECTION: [correction],
            Kind.RESULT: [result], Kind.CONTRACT: [contract],
            Kind.TERMINATION: [cancelled, terminated]}


@dataclass
class AnnouncementFilters:
    kind: str | None = None
    department_id: int | None = None
    since: dt.date | None = None  # local dates, both included
    until: dt.date | None = None
    q: str = ""


@dataclass
class Announcement:
    kind: Kind
    target: str  # "item", "tender", "award", "contract"
    at: dt.datetime
    department: Department | None
    title: str
    reference: str
    object_id: int


def _local_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ).astimezone(dt.UTC)


def announcements_select(f: AnnouncementFilters):
    """The filtered union as a subquery-able SELECT, newest first."""
    kinds = [Kind(f.kind)] if f.kind else list(Kind)
    branches = [b for k in kinds for b in _branches()[k]]
    union = union_all(*branches).subquery("announcements")
    stmt = select(union)
    if f.department_id:
        stmt = stmt.where(union.c.department_id == f.department_id)
    if f.since:
        stmt = stmt.where(union.c.at >= _local_start(f.since))
    if f.until:
        stmt = stmt.where(union.c.at < _local_start(f.until + dt.timedelta(days=1)))
    if f.q:
        stmt = stmt.where(or_(union.c.title.ilike(_like(f.q), escape="\\"),
                              union.c.reference.ilike(_like(f.q), escape="\\")))
    return stmt.order_by(union.c.at.desc(), union.c.kind, union.c.row_id.desc()), union


def announcements_page(session: Session, f: AnnouncementFilters, page: int, size: int
                       ) -> Page:
    stmt, _union = announcements_select(f)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.execute(stmt.offset((page - 1) * size).limit(size)).all()
    return Page(_announcements(session, rows), total or 0, page, size)


def all_announcements(session: Session, f: AnnouncementFilters) -> list[Announcement]:
    """Every announcement the filters select, newest first (the list's download)."""
    stmt, _union = announcements_select(f)
    return _announcements(session, session.execute(stmt).all())


def _announcements(session: Session, rows) -> list[Announcement]:
    depts = {d.id: d for d in session.scalars(select(Department).where(
        Department.id.in_({r.department_id for r in rows})))}
    return [Announcement(Kind(r.kind), r.target, r.at, depts.get(r.department_id), r.title,
                         r.reference, r.object_id) for r in rows]


def kind_counts(session: Session) -> dict[Kind, int]:
    """How many announcements of each type exist (the portal's overview)."""
    counts = {}
    for kind, branches in _branches().items():
        union = union_all(*branches).subquery() if len(branches) > 1 else branches[0].subquery()
        counts[kind] = session.scalar(select(func.count()).select_from(union)) or 0
    return counts


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.code)))


# --- intentions -----------------------------------------------------------------------

def public_intention(session: Session, item_id: int) -> CatalogItem | None:
    """The item whose intention is public, or None."""
    item = session.get(CatalogItem, item_id)
    if item is None or item.intention_published_at is None \
            or item.catalog.status != CatalogStatus.APPROVED:
        return None
    return item


def item_tenders(session: Session, item: CatalogItem) -> list[Tender]:
    return list(session.scalars(select(Tender).where(
        Tender.catalog_item_id == item.id, Tender.published_at.is_not(None))
        .order_by(Tender.published_at.desc())))


# --- payments (拨付) -------------------------------------------------------------------

def payments_select():
    """Paid milestones, newest first: amount, date and payee (the organization)."""
    return (select(Milestone).where(Milestone.status == MilestoneStatus.PAID,
                                    Milestone.paid_at.is_not(None))
            .options(selectinload(Milestone.contract).selectinload(Contract.organization))
            .order_by(Milestone.paid_at.desc(), Milestone.id.desc()))


# --- the clearance list (清退名单) ---------------------------------------------------------

def cleared_page(session: Session, page: int, size: int) -> Page:
    """Organizations civil affairs cleared out (清退), newest decision first, as
    (decision, organization): name, why and when. The decision's note is for the
    organization, not the public."""
    ids = paginate(session, _cleared_ids(), page, size)
    return Page(_cleared_rows(session, ids.items), ids.total, page, size)


def all_cleared(session: Session) -> list[tuple[ClearanceDecision, Organization]]:
    """The whole clearance list, as ``cleared_page`` orders it (the list's download)."""
    return _cleared_rows(session, list(session.scalars(_cleared_ids())))


def _cleared_ids():
    return (select(ClearanceDecision.id)
            .where(ClearanceDecision.outcome == ClearanceOutcome.CLEARED)
            .order_by(ClearanceDecision.decided_at.desc(), ClearanceDecision.id.desc()))


def _cleared_rows(session: Session, ids: list[int]) -> list:
    rows = session.execute(select(ClearanceDecision, Organization)
                           .join(Organization,
                                 Organization.id == ClearanceDecision.organization_id)
                           .where(ClearanceDecision.id.in_(ids))).all()
    by_id = {d.id: (d, org) for d, org in rows}
    return [by_id[i] for i in ids]


# --- search ---------------------------------------------------------------------------

def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:SEARCH_MAX_CHARS]


@dataclass
class Hit:
    what: str  # tender, item, organization, contract, round
    object_id: int  # the page's object: for an item, its catalog
    title: str
    detail: str


def _search_branches(q: str) -> list:
    pattern = _like(q)

    def cols(what, obj, title, detail, order):
        return (_lit(what, "what"), obj.label("object_id"), title.label("title"),
                detail.label("detail"), order.label("sort_key"))

    def matches(*columns):
        return or_(*(c.ilike(pattern, escape="\\") for c in columns))

    return [
        select(*cols("tender", Tender.id, Tender.title, Tender.reference, Tender.id))
        .where(Tender.published_at.is_not(None), matches(Tender.title, Tender.reference)),
        select(*cols("item", CatalogItem.catalog_id, CatalogItem.title, CatalogItem.code,
                     CatalogItem.id))
        .join(Catalog, Catalog.id == CatalogItem.catalog_id)
        .where(Catalog.status == CatalogStatus.APPROVED,
               matches(CatalogItem.title, CatalogItem.code)),
        select(*cols("organization", Organization.id, Organization.name,
                     func.coalesce(Organization.credit_code, ""), Organization.id))
        .where(Organization.status == OrgStatus.ACTIVE, matches(Organization.name)),
        select(*cols("contract", Contract.id, Tender.title, Tender.reference, Contract.id))
        .join(Tender, Tender.id == Contract.tender_id)
        .where(matches(Tender.title, Tender.reference)),
        select(*cols("round", GrantRound.id, GrantRound.title, literal_column("''", String),
                     GrantRound.id))
        .where(GrantRound.id.in_(public_rounds().with_only_columns(GrantRound.id)
                                 .order_by(None)),
               matches(GrantRound.title)),
    ]


SEARCH_ORDER = ("tender", "item", "contract", "round", "organization")


def search_page(session: Session, q: str, page: int, size: int) -> Page:
    """Everything public whose title (or name, reference, code) contains ``q``."""
    if not q:
        return Page([], 0, page, size)
    stmt, union = _search_select(q)
    total = session.scalar(select(func.count()).select_from(union)) or 0
    rows = session.execute(stmt.offset((page - 1) * size).limit(size)).all()
    return Page([Hit(r.what, r.object_id, r.title, r.detail) for r in rows], total, page, size)


def all_hits(session: Session, q: str) -> list[Hit]:
    """Every hit of ``q``, as ``search_page`` orders them (the results' download)."""
    if not q:
        return []
    stmt, _union = _search_select(q)
    return [Hit(r.what, r.object_id, r.title, r.detail) for r in session.execute(stmt)]


def _search_select(q: str):
    union = union_all(*_search_branches(q)).subquery("hits")
    return select(union).order_by(union.c.what, union.c.sort_key.desc()), union
