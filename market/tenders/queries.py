"""Read-side queries for tender pages and the API (never bid content: see ``sealed``)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, func, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from market.accounts.models import Department
from market.catalogs.models import Catalog, CatalogItem
from market.core.pagination import Page, paginate
from market.tenders.models import Bid, BidStatus, Tender, TenderStatus

# Public filter values of ``status``: stored states plus the time-derived ones.
STATUS_FILTERS = ("accepting_bids", "bids_closed", "opened", "evaluated", "awarded",
                  "contracted", "cancelled", "unsuccessful")


@dataclass
class Filters:
    status: str | None = None
    department_id: int | None = None
    service_category: str | None = None
    fiscal_year: int | None = None
    eligible_org_id: int | None = None  # "eligible for my organization"
    department_query: str | None = None  # part of a department's name, or its code


def _status_clause(status: str):
    if status == "accepting_bids":
        return Tender.accepting_bids
    if status == "bids_closed":
        return (Tender.status == TenderStatus.PUBLISHED) & Tender.bids_closed
    try:
        return Tender.status == TenderStatus(status)
    except ValueError:
        return None


#: The public list's order, newest first (descending; the index ix_tenders_published_order),
#: and the keys of its pages' cursors.
PUBLIC_ORDER = (Tender.published_at, Tender.id)


def public_tenders(session: Session, filters: Filters):
    """Published tenders (newest first) matching the filters, as a select statement.

    No join: the item's and catalog's filters are semi-joins (``IN``), so the list and its
    count read tenders alone when they are not asked for — the province's unfiltered count
    is an index scan of 100,000 entries, not a join of three tables."""
    stmt = select(Tender).where(Tender.published_at.is_not(None))
    if filters.status:
        clause = _status_clause(filters.status)
        if clause is not None:
            stmt = stmt.where(clause)
    if filters.department_id:
        stmt = stmt.where(Tender.department_id == filters.department_id)
    if filters.department_query:
        q = filters.department_query
        stmt = stmt.where(Tender.department_id.in_(select(Department.id).where(or_(
            Department.code == q, Department.name_zh.contains(q, autoescape=True),
            func.lower(Department.name_en).contains(q.lower(), autoescape=True)))))
    if filters.service_category:
        stmt = stmt.where(Tender.catalog_item_id.in_(select(CatalogItem.id).where(
            CatalogItem.service_category == filters.service_category)))
    if filters.fiscal_year:
        stmt = stmt.where(Tender.catalog_item_id.in_(
            select(CatalogItem.id).join(Catalog, Catalog.id == CatalogItem.catalog_id)
            .where(Catalog.fiscal_year == filters.fiscal_year)))
    if filters.eligible_org_id:
        stmt = stmt.where(Tender.id.in_(eligible_open_tender_ids(session,
                                                                 filters.eligible_org_id)))
    # The list shows each tender's item and department: loaded with the page, not per row.
    return (stmt.options(selectinload(Tender.catalog_item), selectinload(Tender.department))
            .order_by(*(key.desc() for key in PUBLIC_ORDER)))


def eligible_open_tender_ids(session: Session, org_id: int) -> Select:
    """The ids of tenders open for bids that the organization may bid on today, as a
    subquery (``may_bid.may_bid_clause``: the rule in SQL, no tender loaded)."""
    from market.orgs.models import Organization
    from market.tenders.eligibility import bid_day
    from market.tenders.may_bid import may_bid_clause

    org = session.get(Organization, org_id)
    if org is None:
        return select(Tender.id).where(false())
    return select(Tender.id).where(Tender.accepting_bids,
                                   may_bid_clause(session, org, bid_day()))


def open_tenders_for(session: Session, org_id: int, page: int, bpage: int, size: int
                     ) -> tuple[Page, Page]:
    """Tenders open for bids, by deadline, split by the provider conditions the
    organization meets today and paged in SQL: (those it may bid on, page ``page``; the
    others, page ``bpage``, each as (tender, the conditions it does not meet —
    ``eligibility.provider_conditions``))."""
    from market.orgs.models import Organization
    from market.tenders.eligibility import Known, bid_day, provider_conditions
    from market.tenders.may_bid import may_bid_clause

    org = session.get(Organization, org_id)
    if org is None:
        return Page([], 0, page, size), Page([], 0, bpage, size)
    day = bid_day()
    known = Known(session, org, day)  # the organization's facts, read once for every tender
    may_bid = may_bid_clause(session, org, day, known)
    open_ = (select(Tender).where(Tender.accepting_bids)
             .options(selectinload(Tender.department))
             .order_by(Tender.bid_deadline, Tender.id))
    offered = paginate(session, open_.where(may_bid), page, size)
    blocked = paginate(session, open_.where(not_(may_bid)), bpage, size)
    # The reasons, from the rule itself: for one page of tenders at most.
    blocked.items = [(t, provider_conditions(session, org, t, day, known=known))
                     for t in blocked.items]
    return offered, blocked


def department_tenders(department_id: int):
    return (select(Tender).where(Tender.department_id == department_id)
            .order_by(Tender.created_at.desc(), Tender.id.desc()))


def work_queue(session: Session, department_id: int) -> dict:
    """Drafts, tenders waiting for opening, and unanswered questions of a department."""
    from market.tenders.clarifications import unanswered

    base = select(Tender).where(Tender.department_id == department_id)
    return {
        "drafts": list(session.scalars(base.where(Tender.status == TenderStatus.DRAFT)
                                       .order_by(Tender.created_at))),
        "to_open": list(session.scalars(base.where(Tender.status == TenderStatus.PUBLISHED,
                                                   Tender.bids_closed)
                                        .order_by(Tender.opening_time))),
        "open": list(session.scalars(base.where(Tender.accepting_bids)
                                     .order_by(Tender.bid_deadline))),
        "questions": unanswered(session, department_id),
    }


def bid_tender_ids(session: Session, org_id: int) -> set[int]:
    return set(session.scalars(select(Bid.tender_id).where(Bid.organization_id == org_id)))


def live_bid_count_by_tender(session: Session, tender_ids) -> dict[int, int]:
    from sqlalchemy import func

    if not tender_ids:
        return {}
    rows = session.execute(select(Bid.tender_id, func.count(Bid.id))
                           .where(Bid.tender_id.in_(tender_ids),
                                  Bid.status == BidStatus.SUBMITTED)
                           .group_by(Bid.tender_id))
    return dict(rows.all())


#: Above this many departments with tenders, the list's department filter is a search
#: field, not a drop-down (a province has two thousand).
DEPARTMENT_CHOICES_MAX = 200


def departments_with_tenders(session: Session):
    """(id, code, name_zh, name_en) rows of the departments with a published tender, for
    the list's filter: plain rows, not two thousand loaded objects."""
    return session.execute(
        select(Department.id, Department.code, Department.name_zh, Department.name_en)
        .where(Department.id.in_(select(Tender.department_id)
                                 .where(Tender.published_at.is_not(None))))
        .order_by(Department.code)).all()


def fiscal_years(session: Session) -> list[int]:
    """The fiscal years with a published tender, newest first. Asked per catalog (EXISTS),
    not by joining every tender: province data on PostgreSQL, 96 ms -> 23 ms."""
    published = (select(Tender.id).join(CatalogItem, CatalogItem.id == Tender.catalog_item_id)
                 .where(CatalogItem.catalog_id == Catalog.id, Tender.published_at.is_not(None)))
    return list(session.scalars(select(Catalog.fiscal_year).where(published.exists())
                                .distinct().order_by(Catalog.fiscal_year.desc())))


def tender_references(session: Session, ids) -> dict[int, str]:
    """tender id -> its reference (项目编号), for pages that name tenders by id."""
    ids = {int(i) for i in ids}
    if not ids:
        return {}
    return dict(session.execute(select(Tender.id, Tender.reference)
                                .where(Tender.id.in_(ids))).all())
