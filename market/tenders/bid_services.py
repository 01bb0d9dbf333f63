"""Bid services (投标): submit, revise, withdraw, reconfirm — and who may bid at all.

Every change runs with the tender row locked (SELECT ... FOR UPDATE on PostgreSQL) and
checks the deadline inside that transaction, so a bid can neither slip in after the
deadline nor be duplicated. A refused bid stores nothing.

The time that counts is when the request reached the platform (``received_at``, taken from
the trusted proxy's stamp by ``market.core.arrival``; None: the injectable clock's now), not
when a worker got to it: a bid delivered before the deadline is on time even if it waited
in the server's queue past it. Whatever the stamp, the tender must still be taking bids when
the change is made under the lock: an opened or cancelled tender refuses.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from http import HTTPStatus

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.access.permissions import Permission
from market.auditlog.services import record
from market.clock import now, to_local
from market.documents.models import Document, OwnerType
from market.documents.storage import ALL_TYPES, Upload, store_document
from market.errors import Checks, Conflict, DomainError, Forbidden, Invalid
from market.money import format_money, parse_money
from market.orgs.models import Organization
from market.orgs.status import OrganizationCannotTransact
from market.tenders import receipts
from market.tenders.access import get_tender
from market.tenders.eligibility import Unmet, bid_day, provider_conditions, snapshot_grade
from market.tenders.models import Bid, BidStatus, Tender, TenderStatus


class NotEligible(DomainError):
    """The organization does not meet the tender's eligibility terms."""

    status = HTTPStatus.FORBIDDEN
    code = "not_eligible"


class BidRefused(DomainError):
    """Too late, or the tender is not taking bids, or a withdrawn bid was re-submitted."""

    status = HTTPStatus.CONFLICT
    code = "bid_refused"


@dataclass(frozen=True)
class StoredBid:
    """What one submission, revision, reconfirmation or withdrawal stored, taken inside its
    transaction: the answer to give the bidder. Never answer by re-reading the row — another
    user of the same organization may revise the bid the moment this request commits."""

    id: int
    tender_id: int
    tender_reference: str
    tender_title: str
    organization_id: int
    organization_name: str
    action: str
    status: BidStatus
    price: Decimal
    proposal: str
    document_ids: tuple[int, ...]
    receipt_hash: str
    tender_version: int
    needs_reconfirmation: bool
    submitted_at: dt.datetime
    revised_at: dt.datetime | None
    reconfirmed_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    grade: int | None = None  # held at the bid deadline, as recorded now (provisional)
    grade_valid_from: dt.date | None = None
    grade_valid_until: dt.date | None = None

    @classmethod
    def of(cls, bid: Bid, tender: Tender, action: str) -> StoredBid:
        return cls(
            id=bid.id, tender_id=tender.id, tender_reference=tender.reference,
            tender_title=tender.title, organization_id=bid.organization_id,
            organization_name=bid.organization.name, action=action, status=bid.status,
            price=bid.price, proposal=bid.proposal, document_ids=tuple(bid.document_ids or ()),
            receipt_hash=bid.receipt_hash, tender_version=bid.tender_version,
            needs_reconfirmation=bid.needs_reconfirmation(tender),
            submitted_at=bid.submitted_at, revised_at=bid.revised_at,
            reconfirmed_at=bid.reconfirmed_at, withdrawn_at=bid.withdrawn_at,
            grade=bid.grade_at_deadline, grade_valid_from=bid.grade_valid_from,
            grade_valid_until=bid.grade_valid_until)


def eligibility_problems(session: Session, org: Organization, tender: Tender,
                         on=None) -> list[Unmet]:
    """Every condition ``org`` does not meet to bid on ``tender`` today (or on ``on``):
    ``market.tenders.eligibility.provider_conditions``."""
    return provider_conditions(session, org, tender, on or bid_day())


def eligibility_problem(session: Session, org: Organization | None, tender: Tender):
    """Why ``org`` may not bid on ``tender`` (one translated message naming every unmet
    condition), or None if it may."""
    if org is None:
        return _l("Your account does not act for a registered organization yet.")
    return refusal_message(eligibility_problems(session, org, tender))


def refusal_message(unmet: list[Unmet]):
    if not unmet:
        return None
    if len(unmet) == 1:
        return unmet[0].reason
    return _l("Your organization does not meet these conditions: %(reasons)s",
              reasons=" ".join(f"({n}) {u}" for n, u in enumerate(unmet, start=1)))


def bidder_organization(session: Session, actor) -> Organization:
    if actor is None or not actor.can(Permission.TENDERS_BID):
        raise Forbidden(_l("Only a social organization's user can bid."))
    org = session.get(Organization, actor.organization_id) if actor.organization_id else None
    if org is None:
        raise OrganizationCannotTransact(_l("Your account does not act for a registered "
                                            "organization yet."))
    return org


def _open_for_bids(tender: Tender, at) -> None:
    if tender.status != TenderStatus.PUBLISHED:
        raise BidRefused(_l("This tender is not taking bids."))
    if at >= tender.bid_deadline:
        raise BidRefused(_l("The bid deadline (%(t)s Beijing time) has passed; the bid was "
                            "not accepted.",
                            t=to_local(tender.bid_deadline).strftime("%Y-%m-%d %H:%M:%S")))


def _arrival(received_at: dt.datetime | None) -> dt.datetime:
    """The moment a change counts from: its arrival, never later than now."""
    current = now()
    return current if received_at is None else min(received_at, current)


def _locked_tender_for(session: Session, actor, tender_id: int, received_at):
    """Lock the tender, then check time, standing and eligibility — in that order."""
    org = bidder_organization(session, actor)
    tender = get_tender(session, actor, tender_id, lock=True)
    at = _arrival(received_at)
    _open_for_bids(tender, at)
    problem = refusal_message(provider_conditions(session, org, tender, bid_day(at)))
    if problem is not None:
        raise NotEligible(problem)
    return tender, org, at


def _existing(session: Session, tender: Tender, org: Organization) -> Bid | None:
    """The organization's bid, read afresh under the tender's lock (a copy loaded earlier in
    the request may predate another user's revision)."""
    return session.scalar(select(Bid).where(Bid.tender_id == tender.id,
                                            Bid.organization_id == org.id)
                          .execution_options(populate_existing=True))


def _after_last_change(bid: Bid, at: dt.datetime) -> None:
    """Two users of one organization may change its bid at once, and the requests may be
    handled in another order than they arrived: the one that arrived last must stand."""
    last = max(t for t in (bid.submitted_at, bid.revised_at, bid.reconfirmed_at) if t)
    if at < last:
        raise Conflict(_l("Your organization's bid was changed by a request that reached "
                          "the platform after this one; this change was not applied."))


def _above_ceiling(tender: Tender) -> Invalid:
    ceiling = format_money(tender.ceiling_price, unit=False)
    return Invalid(_l("The price is above the tender's ceiling of %(c)s yuan.", c=ceiling),
                   field="price")


def _clean(tender: Tender, price, proposal) -> tuple[Decimal, str]:
    """The price and the proposal, every problem with both at once."""
    checks = Checks()
    amount = checks.run(_price, tender, price)
    text = checks.run(_proposal, proposal)
    checks.done()
    return amount, text


def _price(tender: Tender, price) -> Decimal:
    amount = parse_money(price, field="price")
    if amount > tender.ceiling_price:
        raise _above_ceiling(tender)
    return amount


def _proposal(proposal) -> str:
    text = (proposal or "").strip()
    if not text:
        raise Invalid(_l("Describe your proposal."), field="proposal")
    limit = policy.value("bid_proposal_max_chars")
    if len(text) > limit:
        raise Invalid(_l("The proposal text is too long (at most %(n)s characters); attach "
                         "the details as documents.", n=limit), field="proposal")
    return text


def _attach(session: Session, actor, bid: Bid, documents, remove_ids) -> None:
    keep = [i for i in (bid.document_ids or []) if i not in set(remove_ids or ())]
    new_ids = [store_document(session, upload, owner_type=OwnerType.BID, owner_id=bid.id,
                              purpose="bid_document", actor=actor, allowed=ALL_TYPES).id
               for upload in documents or () if isinstance(upload, Upload)]
    ids = keep + new_ids
    limit = policy.value("bid_max_documents")
    if len(ids) > limit:
        raise Invalid(_l("At most %(n)s documents per bid.", n=limit), field="documents")
    bid.document_ids = ids


def submit_bid(session: Session, actor, tender_id: int, price, proposal, documents=(),
               remove_document_ids=(), *, received_at: dt.datetime | None = None
               ) -> StoredBid:
    """Submit the organization's sealed bid, or revise it while the deadline has not passed.

    ``documents``: new ``Upload``s to attach; ``remove_document_ids``: earlier attachments
    to drop on revision. A revision confirms the tender's current version. Returns what was
    stored (``StoredBid``, with the new ``receipt_hash``): answer the bidder with that.
    A withdrawn bid cannot be submitted again. ``received_at``: when the request reached
    the platform (module docstring); it is the bid's submission or revision time.
    """
    tender, org, at = _locked_tender_for(session, actor, tender_id, received_at)
    amount, text = _clean(tender, price, proposal)
    bid = _existing(session, tender, org)
    if bid is not None and bid.status == BidStatus.WITHDRAWN:
        raise BidRefused(_l("Your organization withdrew its bid on this tender; a new bid "
                            "is not accepted."))
    if bid is not None:
        _after_last_change(bid, at)
    action = "revise" if bid is not None else "submit"
    if bid is None:
        bid = Bid(tender_id=tender.id, organization_id=org.id, submitted_by_id=actor.id,
                  status=BidStatus.SUBMITTED, price=amount, proposal=text, document_ids=[],
                  receipt_hash="", tender_version=tender.version, submitted_at=at)
        session.add(bid)
        session.flush()
    else:
        bid.price, bid.proposal, bid.revised_at = amount, text, at
        bid.submitted_by_id = actor.id
        if bid.tender_version != tender.version:
            bid.tender_version, bid.reconfirmed_at = tender.version, at
    _attach(session, actor, bid, documents, remove_document_ids)
    snapshot_grade(session, bid, tender)
    session.flush()
    bid.receipt_hash = receipts.receipt_for(session, bid)
    # Never the price or proposal: the audit log is read before opening too.
    record(session, actor, "bid", bid.id, action, None, BidStatus.SUBMITTED.value,
           f"tender {tender.reference} v{bid.tender_version}")
    return StoredBid.of(bid, tender, action)


revise_bid = submit_bid


def withdraw_bid(session: Session, actor, tender_id: int, *,
                 received_at: dt.datetime | None = None) -> StoredBid:
    """撤回 — before the deadline (by ``received_at``, as for ``submit_bid``); final: the
    organization cannot bid again on this tender."""
    org = bidder_organization(session, actor)
    tender = get_tender(session, actor, tender_id, lock=True)
    at = _arrival(received_at)
    _open_for_bids(tender, at)
    bid = _existing(session, tender, org)
    if bid is None or bid.status != BidStatus.SUBMITTED:
        raise Conflict(_l("Your organization has no bid on this tender to withdraw."))
    bid.status, bid.withdrawn_at = BidStatus.WITHDRAWN, at
    record(session, actor, "bid", bid.id, "withdraw", BidStatus.SUBMITTED.value,
           BidStatus.WITHDRAWN.value, f"tender {tender.reference}")
    return StoredBid.of(bid, tender, "withdraw")


def reconfirm_bid(session: Session, actor, tender_id: int, *,
                  received_at: dt.datetime | None = None) -> StoredBid:
    """Confirm the bid unchanged for the tender's current version (after an amendment);
    ``received_at`` as for ``submit_bid``."""
    tender, org, at = _locked_tender_for(session, actor, tender_id, received_at)
    bid = _existing(session, tender, org)
    if bid is None or bid.status != BidStatus.SUBMITTED:
        raise Conflict(_l("Your organization has no bid on this tender to reconfirm."))
    _after_last_change(bid, at)
    if bid.tender_version == tender.version:
        raise Conflict(_l("Your bid already stands on the current version of the tender."))
    if bid.price > tender.ceiling_price:
        raise _above_ceiling(tender)
    bid.tender_version, bid.reconfirmed_at = tender.version, at
    snapshot_grade(session, bid, tender)  # an amendment may have moved the deadline
    bid.receipt_hash = receipts.receipt_for(session, bid)
    record(session, actor, "bid", bid.id, "reconfirm", None, BidStatus.SUBMITTED.value,
           f"tender {tender.reference} v{tender.version}")
    return StoredBid.of(bid, tender, "reconfirm")


def bid_documents(session: Session, document_ids) -> list[Document]:
    """Documents of a bid whose ids came from ``sealed`` (so the reader may see them)."""
    if not document_ids:
        return []
    return list(session.scalars(select(Document).where(Document.id.in_(document_ids))
                                .order_by(Document.id)))
