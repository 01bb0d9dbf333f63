"""Tender services: create from a catalog item, edit, publish, amend, cancel, open.

Each takes a session and the acting user, enforces the rules, records the change in the
audit log, and raises typed domain errors. The caller commits (``unit_of_work``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.accounts import available_account
from ledger.balances import balance
from market import funds, policy
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus
from market.clock import now, to_local, today_local
from market.documents.models import Document, OwnerType
from market.documents.storage import ALL_TYPES, Upload, store_document
from market.errors import Checks, Conflict, Forbidden, Invalid, NotFound
from market.money import format_money, parse_money
from market.tenders import notifications
from market.tenders.access import get_tender
from market.tenders.eligibility import deadline_day, freeze_grade, provider_conditions
from market.tenders.models import (MIN_VALID_BIDS_RULE, Bid, BidStatus, Criterion, Tender,
                                   TenderChange, TenderStatus)
from market.tenders.rules import TenderData, clean_criteria, clean_terms

# Terms whose change after publication bumps the version (bidders must reconfirm).
MATERIAL_FIELDS = ("description", "procedure", "ceiling_price", "eligible_categories",
                   "min_grade", "allow_filed", "accept_basic_pass_report", "priority_rule",
                   "priority_value",
                   "final_evaluation_waiver",
                   "clarification_deadline", "bid_deadline", "opening_time")
# The deadlines themselves: changing only these does not change what a bid must contain.
DEADLINE_FIELDS = ("clarification_deadline", "bid_deadline", "opening_time")
# Everything else that can change after publication affects how bids are prepared
# (影响投标文件编制, MOF Order No. 87, art. 27): the terms, the criteria, the documents.
PREPARATION_FIELDS = tuple(f for f in MATERIAL_FIELDS if f not in DEADLINE_FIELDS) + (
    "criteria", "documents", "clarification")
CANCELLABLE = (TenderStatus.DRAFT, TenderStatus.PUBLISHED, TenderStatus.OPENED,
               TenderStatus.EVALUATED)
TENDER_DOCUMENT_TYPES = ALL_TYPES


def available_budget(session: Session, item: CatalogItem) -> Decimal:
    """What the ledger says is still available on the item's budget: neither reserved by a
    published tender (预留) nor committed to a contract."""
    return balance(session, available_account(funds.budget_line(item)).name)


def budget_summary(session: Session, item: CatalogItem) -> funds.ItemFunds:
    """The item's budget, reserved, committed and available amounts (资金情况)."""
    return funds.item_funds(session, item)


def reserved_budget(session: Session, tender: Tender) -> Decimal:
    """What the tender holds reserved in the ledger now (预留)."""
    return funds.reserved(session, tender)


def approved_items(session: Session, actor) -> list[CatalogItem]:
    """The approved catalog items of the actor's department a tender can be made from."""
    if actor is None or actor.role != Role.DEPARTMENT or not actor.department_id:
        return []
    return list(session.scalars(
        select(CatalogItem).join(Catalog)
        .where(Catalog.department_id == actor.department_id,
               Catalog.status == CatalogStatus.APPROVED)
        .order_by(Catalog.fiscal_year.desc(), CatalogItem.position)))


def _department_actor(actor) -> None:
    if actor is None or not actor.can(Permission.TENDERS_MANAGE) or not actor.department_id:
        raise Forbidden(_l("Only a purchasing department makes tenders."))


def _own_approved_item(session: Session, actor, item_id) -> CatalogItem:
    item = session.get(CatalogItem, item_id) if item_id else None
    if item is None or item.catalog.status != CatalogStatus.APPROVED:
        raise NotFound(_l("No such approved catalog item."))
    if item.catalog.department_id != actor.department_id:
        raise Forbidden(_l("A tender can only be made from your own department's catalog."))
    return item


def _clean(session: Session, data: TenderData, item: CatalogItem, *, future: bool = True,
           held: Decimal = Decimal("0.00")) -> tuple[dict, list]:
    """A tender's terms and criteria, and its ceiling against the budget: every broken
    rule at once (:class:`~market.errors.Problems`), each on its field."""
    checks = Checks()
    terms = checks.run(clean_terms, data, item, future=future)
    criteria = checks.run(clean_criteria, data.criteria)
    if terms is not None:
        checks.run(_check_ceiling, session, item, terms["ceiling_price"], held)
    else:  # the ceiling may be fine while another field is not
        ceiling = Checks().run(parse_money, data.ceiling_price, field="ceiling_price")
        if ceiling is not None:
            checks.run(_check_ceiling, session, item, ceiling, held)
    checks.done()
    return terms, criteria


def _check_ceiling(session: Session, item: CatalogItem, ceiling: Decimal,
                   held: Decimal = Decimal("0.00")) -> None:
    """Ceiling ≤ what is available on the item, plus what this tender already holds."""
    available = available_budget(session, item) + held
    if ceiling > available:
        shown = format_money(available, unit=False)
        raise Invalid(_l("The ceiling price is above the budget still available on the "
                         "catalog item (%(a)s yuan).", a=shown), field="ceiling_price")


def intention_publishable_from(item: CatalogItem) -> dt.date | None:
    """The first local day a tender on ``item`` may be published: its procurement
    intention's publication day plus the policy's period; None while unpublished."""
    if item.intention_published_at is None:
        return None
    days = policy.value("intention_public_days")
    return to_local(item.intention_published_at).date() + dt.timedelta(days=days)


def _check_intention(item: CatalogItem) -> None:
    """采购意向 — the item's intention must have been public for ``intention_public_days``
    (MOF notice 财库〔2020〕10号) before the purchase starts."""
    earliest = intention_publishable_from(item)
    if earliest is None:
        raise Conflict(_l("The catalog item's procurement intention has not been "
                          "published; publish it first, then wait %(days)s days.",
                          days=policy.value("intention_public_days")))
    if today_local() < earliest:
        raise Conflict(_l("The catalog item's procurement intention was published on "
                          "%(published)s and must be public for %(days)s days: this tender "
                          "can be published from %(date)s.",
                          published=to_local(item.intention_published_at).strftime("%Y-%m-%d"),
                          days=policy.value("intention_public_days"),
                          date=earliest.isoformat()))


def _reference(session: Session, item: CatalogItem) -> str:
    dept, fy = item.catalog.department, item.catalog.fiscal_year
    prefix = f"KS-{dept.code}-{fy}-"
    taken = session.scalar(select(func.count(Tender.id)).where(
        Tender.reference.like(prefix + "%"))) or 0
    n = taken + 1
    while session.scalar(select(Tender.id).where(Tender.reference == f"{prefix}{n:03d}")):
        n += 1
    return f"{prefix}{n:03d}"


def _set_criteria(tender: Tender, cleaned) -> bool:
    """Update the criteria in place (position by position); True if anything changed."""
    before = [(c.name, c.weight, c.is_price) for c in tender.criteria]
    for position, data in enumerate(cleaned, start=1):
        if position <= len(tender.criteria):
            c = tender.criteria[position - 1]
            c.name, c.weight, c.is_price = data.name, data.weight, data.is_price
        else:
            tender.criteria.append(Criterion(position=position, name=data.name,
                                             weight=data.weight, is_price=data.is_price))
    del tender.criteria[len(cleaned):]
    after = [(c.name, Decimal(c.weight), c.is_price) for c in tender.criteria]
    return [(n, Decimal(w), p) for n, w, p in before] != after


def create_tender(session: Session, actor, catalog_item_id: int, data) -> Tender:
    """A draft tender from one approved item of the actor's own department's catalog.

    ``data``: a ``rules.TenderData`` or a dict of its fields. Criteria: exactly one price
    criterion (weight policy tender_price_weight_min..max, 10..30) plus technical ones,
    weights summing to 100. Ceiling ≤ the item's available budget in the ledger.
    """
    _department_actor(actor)
    item = _own_approved_item(session, actor, catalog_item_id)
    data = TenderData.of(data)
    terms, criteria = _clean(session, data, item)
    tender = Tender(catalog_item_id=item.id, department_id=item.catalog.department_id,
                    reference=_reference(session, item), status=TenderStatus.DRAFT, version=1,
                    created_by_id=actor.id, **terms)
    session.add(tender)
    _set_criteria(tender, criteria)
    session.flush()
    record(session, actor, "tender", tender.id, "create", None, TenderStatus.DRAFT.value,
           f"{tender.reference} ← {item.code}")
    return tender


def update_draft(session: Session, actor, tender_id: int, data) -> Tender:
    tender = get_tender(session, actor, tender_id, manage=True)
    if tender.status != TenderStatus.DRAFT:
        raise Conflict(_l("Only a draft can be edited freely; a published tender is amended."))
    data = TenderData.of(data)
    terms, criteria = _clean(session, data, tender.catalog_item)
    for key, value in terms.items():
        setattr(tender, key, value)
    _set_criteria(tender, criteria)
    record(session, actor, "tender", tender.id, "update", reason=tender.reference)
    return tender


def publish_tender(session: Session, actor, tender_id: int) -> Tender:
    """Publish a draft: deadlines still in the future, the item's procurement intention
    public long enough, ceiling still within the budget."""
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    if tender.status != TenderStatus.DRAFT:
        raise Conflict(_l("Only a draft can be published."))
    if tender.clarification_deadline <= now():
        raise Invalid(_l("The clarification deadline has already passed; change the "
                         "deadlines before publishing."), field="clarification_deadline")
    if len(tender.criteria) < 2 or tender.price_criterion is None:
        raise Invalid(_l("There must be exactly one price criterion."), field="criteria")
    _check_intention(tender.catalog_item)
    _check_ceiling(session, tender.catalog_item, tender.ceiling_price)
    if not has_documents(session, tender):
        raise Invalid(_l("Attach the tender documents before publishing: bidders "
                         "must be able to read what they bid on."), field="documents")
    funds.reserve_tender(session, tender, by=actor)
    tender.status = TenderStatus.PUBLISHED
    tender.published_at = now()
    record(session, actor, "tender", tender.id, "publish", TenderStatus.DRAFT.value,
           TenderStatus.PUBLISHED.value,
           f"{tender.reference}, reserved {format_money(tender.ceiling_price, unit=False)}")
    return tender


def has_documents(session: Session, tender: Tender) -> bool:
    """Whether at least one tender document (招标文件) is attached."""
    return session.scalar(select(func.count(Document.id)).where(
        Document.owner_type == OwnerType.TENDER, Document.owner_id == tender.id)) > 0


def reserve_if_unreserved(session: Session, actor, tender: Tender) -> bool:
    """Give a tender published before budget reservations its reservation now (the demo
    upgrade of an existing database): the ceiling, or the awarded price once awarded.
    False (nothing written) when it already has one, is not open or awarded, or the item
    has not enough available."""
    open_states = (TenderStatus.PUBLISHED, TenderStatus.OPENED, TenderStatus.EVALUATED)
    if tender.status not in open_states or funds.has_reservation(session, tender):
        return False
    if available_budget(session, tender.catalog_item) < tender.ceiling_price:
        return False
    funds.reserve_tender(session, tender, by=actor)
    record(session, actor, "tender", tender.id, "reserve", None, None,
           f"{tender.reference}, reserved {format_money(tender.ceiling_price, unit=False)}")
    return True


def _live_bidders(session: Session, tender: Tender) -> list[int]:
    return list(session.scalars(select(Bid.organization_id).where(
        Bid.tender_id == tender.id, Bid.status == BidStatus.SUBMITTED)))


def _postpone_if_short(tender: Tender, changed: list[str]):
    """顺延 — a change that affects how bids are prepared, made less than
    ``tender_amendment_min_days`` before the bid deadline, moves the deadline so that many
    days remain from now (MOF Order No. 87, art. 27); the opening moves by as much. Adds
    the moved fields to ``changed``; returns the deadline it moved from, or None."""
    if not any(f in PREPARATION_FIELDS for f in changed):
        return None
    earliest = now() + dt.timedelta(days=policy.value("tender_amendment_min_days"))
    if tender.bid_deadline >= earliest:
        return None
    before, shift = tender.bid_deadline, earliest - tender.bid_deadline
    tender.bid_deadline = earliest
    tender.opening_time = tender.opening_time + shift
    for key in ("bid_deadline", "opening_time"):
        if key not in changed:
            changed.append(key)
    return before


def _bump_version(session: Session, actor, tender: Tender, changed: list[str],
                  reason: str, moved_from=None) -> int:
    """A material change: new version, a public change notice, bidders told to reconfirm
    (by the platform: the department learns only how many were told). Returns that count."""
    tender.version += 1
    session.add(TenderChange(tender_id=tender.id, version=tender.version, fields=changed,
                             reason=reason, by_id=getattr(actor, "id", None),
                             affects_bids=any(f in PREPARATION_FIELDS for f in changed),
                             deadline_moved_from=moved_from,
                             deadline_moved_to=tender.bid_deadline if moved_from else None))
    bidders = _live_bidders(session, tender)
    for org_id in bidders:
        notifications.notify(session, kind="tender_amended", organization_id=org_id,
                             tender_id=tender.id, ref=tender.reference, version=tender.version,
                             fields=changed)
        if moved_from is not None:
            notifications.notify(
                session, kind="tender_deadline_moved", organization_id=org_id,
                tender_id=tender.id, ref=tender.reference,
                deadline=to_local(tender.bid_deadline).strftime("%Y-%m-%d %H:%M"),
                days=policy.value("tender_amendment_min_days"))
    record(session, actor, "tender", tender.id, "amend", f"v{tender.version - 1}",
           f"v{tender.version}", f"{','.join(changed)}: {reason}"
           + (f" (bid deadline moved from {moved_from.isoformat()} to "
              f"{tender.bid_deadline.isoformat()})" if moved_from is not None else ""))
    return len(bidders)


@dataclass(frozen=True)
class Amendment:
    """What an amendment did, for the department's message: whether the bid deadline was
    moved, and how many bidders the platform told to reconfirm (a count, never who)."""

    tender: Tender
    changed: tuple[str, ...]
    moved_from: dt.datetime | None
    notified: int


def amend_tender(session: Session, actor, tender_id: int, data, reason: str) -> Tender:
    """更正 — change a published tender before its bid deadline (see ``amend``)."""
    return amend(session, actor, tender_id, data, reason).tender


def amend(session: Session, actor, tender_id: int, data, reason: str) -> Amendment:
    """更正 — change a published tender before its bid deadline, with a public reason.

    A change to any material term bumps ``Tender.version``; bids made on an earlier version
    are not admitted at the opening (invalid: not reconfirmed) unless their bidder
    reconfirms or revises them before the deadline — they stay sealed either way. A change
    that affects bid preparation less than ``tender_amendment_min_days`` before the
    deadline moves it (``_postpone_if_short``).
    """
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    if tender.status != TenderStatus.PUBLISHED or tender.bids_closed:
        raise Conflict(_l("A tender can be amended only while it is open for bids."))
    reason = (reason or "").strip()
    data = TenderData.of(data)
    checks = Checks()
    if not reason:
        checks.add("reason", _l("Give the reason for the change; it is published."))
    cleaned = checks.run(_clean, session, data, tender.catalog_item, future=False,
                         held=funds.reserved(session, tender))
    if cleaned is not None:
        terms, criteria = cleaned
        for key in ("clarification_deadline", "bid_deadline"):
            if terms[key] != getattr(tender, key) and terms[key] <= now():
                checks.add(key, _l("A changed deadline must be in the future."))
    checks.done()
    changed = [k for k in MATERIAL_FIELDS if terms[k] != getattr(tender, k)]
    if terms["ceiling_price"] != tender.ceiling_price:  # the reservation follows the ceiling
        funds.settle_reservation(session, tender, terms["ceiling_price"], by=actor,
                                 reason="ceiling_amended")
    for key, value in terms.items():
        setattr(tender, key, value)
    if _set_criteria(tender, criteria):
        changed.append("criteria")
    moved_from, notified = None, 0
    if changed:
        moved_from = _postpone_if_short(tender, changed)
        notified = _bump_version(session, actor, tender, changed, reason, moved_from)
    else:
        record(session, actor, "tender", tender.id, "update", reason=reason)
    return Amendment(tender, tuple(changed), moved_from, notified)


def clarification_affects_bids(session: Session, actor, tender_id: int, answer: str
                               ) -> Amendment:
    """澄清 — the department marks a published answer as affecting how bids are prepared:
    it is a change like an amendment (new version, bidders told to reconfirm, the deadline
    moved if too close). The answer itself is the published reason."""
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    if tender.status != TenderStatus.PUBLISHED or tender.bids_closed:
        raise Conflict(_l("A tender can be amended only while it is open for bids."))
    changed = ["clarification"]
    moved_from = _postpone_if_short(tender, changed)
    notified = _bump_version(session, actor, tender, changed, (answer or "").strip()[:2000],
                             moved_from)
    return Amendment(tender, tuple(changed), moved_from, notified)


def attach_document(session: Session, actor, tender_id: int, upload: Upload,
                    reason: str | None = None):
    """A tender document (招标文件). After publication it is a material change."""
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    if tender.status == TenderStatus.PUBLISHED:
        if tender.bids_closed:
            raise Conflict(_l("A tender can be amended only while it is open for bids."))
        if not (reason or "").strip():
            raise Invalid(_l("Give the reason for the change; it is published."),
                          field="reason")
    elif tender.status != TenderStatus.DRAFT:
        raise Conflict(_l("Documents can be added only to a draft or open tender."))
    doc = store_document(session, upload, owner_type=OwnerType.TENDER, owner_id=tender.id,
                         purpose="tender_document", actor=actor, allowed=TENDER_DOCUMENT_TYPES)
    if tender.status == TenderStatus.PUBLISHED:
        changed = ["documents"]
        moved_from = _postpone_if_short(tender, changed)
        _bump_version(session, actor, tender, changed, reason.strip(), moved_from)
    return doc


def cancel_tender(session: Session, actor, tender_id: int, reason: str) -> Tender:
    """终止 — cancel before award, with a reason that is published and sent to bidders."""
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give the reason for cancelling; it is published."), field="reason")
    if tender.status not in CANCELLABLE:
        raise Conflict(_l("A tender can be cancelled only before it is awarded."))
    before = tender.status
    freed = funds.settle_reservation(session, tender, Decimal("0.00"), by=actor,
                                     reason="cancelled")
    tender.status, tender.status_reason, tender.cancelled_at = \
        TenderStatus.CANCELLED, reason, now()
    for org_id in _live_bidders(session, tender):
        notifications.notify(session, kind="tender_cancelled", organization_id=org_id,
                             tender_id=tender.id, ref=tender.reference, reason=reason)
    record(session, actor, "tender", tender.id, "cancel", before.value,
           TenderStatus.CANCELLED.value,
           f"{reason} (released {format_money(-freed, unit=False)})" if freed else reason)
    return tender


def open_bids(session: Session, actor, tender_id: int) -> Tender:
    """开标 — at or after the opening time: mark each bid valid or not, publish receipts.

    Valid: submitted, made on (or reconfirmed for) the current version, and the bidder
    meets the provider conditions on the bid deadline's day, judged with the grade frozen
    on each bid (``eligibility.freeze_grade``: the grade valid at the deadline as recorded
    by then). Fewer valid bids than the procedure's minimum → UNSUCCESSFUL (流标).
    ``actor`` None is the platform itself (a scheduled opening).
    """
    if actor is not None:
        tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    else:
        tender = session.get(Tender, tender_id, with_for_update=True, populate_existing=True)
        if tender is None:
            raise NotFound(_l("No such tender."))
    if tender.status != TenderStatus.PUBLISHED:
        raise Conflict(_l("Only a published tender's bids can be opened, once."))
    if not tender.openable:
        raise Conflict(_l("The bids cannot be opened before the opening time."))
    valid = 0
    for bid in session.scalars(select(Bid).where(Bid.tender_id == tender.id)):
        frozen = freeze_grade(session, bid, tender)
        if bid.status == BidStatus.WITHDRAWN:
            bid.valid, bid.invalid_reason = False, "withdrawn"
        elif bid.tender_version < tender.version:
            bid.valid, bid.invalid_reason = False, "not_reconfirmed"
        elif provider_conditions(session, bid.organization, tender, deadline_day(tender),
                                 grade=frozen):
            bid.valid, bid.invalid_reason = False, "ineligible"
        else:
            bid.valid, bid.invalid_reason = True, None
            valid += 1
    tender.opened_at = now()
    minimum = policy.value(MIN_VALID_BIDS_RULE[tender.procedure])
    if valid < minimum:
        tender.status = TenderStatus.UNSUCCESSFUL
        tender.status_reason = f"valid_bids={valid}<{minimum}"
        kind = "tender_unsuccessful"
        funds.settle_reservation(session, tender, Decimal("0.00"), by=actor,
                                 reason="unsuccessful")  # 流标: the reservation goes back
    else:
        tender.status = TenderStatus.OPENED
        kind = "bids_opened"
    for org_id in _live_bidders(session, tender):
        notifications.notify(session, kind=kind, organization_id=org_id, tender_id=tender.id,
                             ref=tender.reference)
    record(session, actor, "tender", tender.id, "open", TenderStatus.PUBLISHED.value,
           tender.status.value, f"valid bids: {valid}, minimum {minimum}")
    return tender
