"""THE query layer for bid content (密封投标). Every page, API endpoint and export reads
bids through here; nothing else selects ``Bid.price`` or ``Bid.proposal``.

Rules:
- before the tender is opened, a bid's price, proposal, documents and receipt are
  readable by its bidder (users of the bidding organization) alone; everyone else may
  know only how many bids there are (``bid_count``) — not even who bid;
- once opened (``Tender.opened_at`` is set by ``open_bids`` at or after the opening time),
  every bid's content is readable by the owning department, auditors and the experts
  the scoring feature says are assigned (``register_reader``), and every bid's
  organization and receipt hash are public;
- the audit log hides entries about bids until their tender is opened
  (``bid_entries_still_sealed``, registered by the tenders feature; the app refuses to
  start without it).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from market.access.permissions import Role
from market.core import registry
from market.errors import Conflict, NotFound
from market.grading.models import last_valid_day
from market.tenders.access import is_owner
from market.tenders.models import Bid, BidStatus, Tender, TenderStatus

# Extra readers after opening, e.g. "the user is an expert assigned to this tender".
# A reader is fn(session, user, tender) -> bool; it is never asked before opening.
Reader = Callable[[Session, object, Tender], bool]


def register_reader(app, reader: Reader) -> None:
    """The scoring feature registers who else may read opened bids (its experts)."""
    for readers in registry.targets(app, "bid_readers", list, process=True):
        if reader not in readers:
            readers.append(reader)


@dataclass(frozen=True)
class BidView:
    """A bid as one reader may see it. ``sealed`` is True when the content is withheld:
    then ``price``, ``proposal`` and ``document_ids`` are None."""

    id: int
    tender_id: int
    tender_reference: str
    tender_title: str
    organization_id: int
    organization_name: str
    status: BidStatus
    submitted_at: dt.datetime
    revised_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    reconfirmed_at: dt.datetime | None
    tender_version: int
    needs_reconfirmation: bool
    valid: bool | None
    invalid_reason: str | None
    receipt_hash: str
    sealed: bool
    price: Decimal | None
    proposal: str | None
    document_ids: tuple[int, ...] | None
    own: bool
    # The grade held at the bid deadline (``Bid.grade_at_deadline``) and its validity;
    # ``grade_frozen``: fixed at the opening, else as the record stood at submission.
    grade: int | None = None
    grade_valid_from: dt.date | None = None
    grade_valid_until: dt.date | None = None
    grade_frozen: bool = False
    tender_status: TenderStatus | None = None

    @property
    def live(self) -> bool:
        return self.status == BidStatus.SUBMITTED

    @property
    def grade_last_day(self) -> dt.date | None:
        """The last day the grade is valid (``grade_valid_until`` is exclusive)."""
        if self.grade_valid_until is None:
            return None
        return last_valid_day(self.grade_valid_until)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_bidder(user, bid: Bid) -> bool:
    return (_authenticated(user) and user.role == Role.ORGANIZATION
            and user.organization_id is not None and user.organization_id == bid.organization_id)


def may_read_content(session: Session, user, tender: Tender, bid: Bid | None = None) -> bool:
    """May ``user`` read the price and proposal of ``bid`` (of any bid when None)?"""
    if bid is not None and is_bidder(user, bid):
        return True
    if not tender.is_opened or not _authenticated(user):
        return False
    if is_owner(user, tender) or user.role == Role.AUDITOR:
        return True
    return any(reader(session, user, tender)
               for reader in registry.current("bid_readers", list, process=True))


def _view(session: Session, user, tender: Tender, bid: Bid) -> BidView:
    readable = may_read_content(session, user, tender, bid)
    return BidView(
        id=bid.id, tender_id=bid.tender_id, tender_reference=tender.reference,
        tender_title=tender.title, organization_id=bid.organization_id,
        organization_name=bid.organization.name, status=bid.status,
        submitted_at=bid.submitted_at, revised_at=bid.revised_at,
        withdrawn_at=bid.withdrawn_at, reconfirmed_at=bid.reconfirmed_at,
        tender_version=bid.tender_version, needs_reconfirmation=bid.needs_reconfirmation(tender),
        valid=bid.valid, invalid_reason=bid.invalid_reason, receipt_hash=bid.receipt_hash,
        sealed=not readable,
        price=bid.price if readable else None,
        proposal=bid.proposal if readable else None,
        document_ids=tuple(bid.document_ids or ()) if readable else None,
        own=is_bidder(user, bid), grade=bid.grade_at_deadline,
        grade_valid_from=bid.grade_valid_from, grade_valid_until=bid.grade_valid_until,
        grade_frozen=bid.grade_frozen_at is not None, tender_status=tender.status)


def bid_count(session: Session, tender: Tender) -> int:
    """How many live (not withdrawn) bids the tender has: the one figure anyone may see."""
    return session.scalar(select(func.count(Bid.id)).where(
        Bid.tender_id == tender.id, Bid.status == BidStatus.SUBMITTED)) or 0


def visible_bids(session: Session, user, tender: Tender) -> list[BidView]:
    """The bids ``user`` may know of: before opening only their own; after opening all of
    them (content only for the readers above; organization and receipt for everyone)."""
    stmt = (select(Bid).where(Bid.tender_id == tender.id)
            .options(selectinload(Bid.organization)).order_by(Bid.id))
    if not tender.is_opened:
        if not (_authenticated(user) and user.role == Role.ORGANIZATION
                and user.organization_id):
            return []
        stmt = stmt.where(Bid.organization_id == user.organization_id)
    return [_view(session, user, tender, bid) for bid in session.scalars(stmt)]


def get_bid_for(session: Session, user, bid_id: int) -> BidView:
    """One bid as ``user`` may see it; NotFound when they may not even know it exists."""
    bid = session.get(Bid, bid_id)
    if bid is None or not (bid.tender.is_opened or is_bidder(user, bid)):
        raise NotFound(_l("No such bid."))
    if bid.tender.published_at is None:
        raise NotFound(_l("No such bid."))
    return _view(session, user, bid.tender, bid)


def own_bid(session: Session, user, tender: Tender) -> BidView | None:
    """The user's organization's bid on the tender, with its content, or None."""
    if not (_authenticated(user) and user.role == Role.ORGANIZATION and user.organization_id):
        return None
    bid = session.scalar(select(Bid).where(Bid.tender_id == tender.id,
                                           Bid.organization_id == user.organization_id))
    return _view(session, user, tender, bid) if bid is not None else None


def stored_view(stored) -> BidView:
    """The answer to the bidder whose request just stored ``stored`` (a
    ``bid_services.StoredBid``): exactly what that request stored — its own content, so not
    sealed from it — never a re-read of the row, which another revision may have changed."""
    return BidView(
        id=stored.id, tender_id=stored.tender_id, tender_reference=stored.tender_reference,
        tender_title=stored.tender_title, organization_id=stored.organization_id,
        organization_name=stored.organization_name, status=stored.status,
        submitted_at=stored.submitted_at, revised_at=stored.revised_at,
        withdrawn_at=stored.withdrawn_at, reconfirmed_at=stored.reconfirmed_at,
        tender_version=stored.tender_version, needs_reconfirmation=stored.needs_reconfirmation,
        valid=None, invalid_reason=None, receipt_hash=stored.receipt_hash, sealed=False,
        price=stored.price, proposal=stored.proposal, document_ids=stored.document_ids,
        own=True, grade=stored.grade, grade_valid_from=stored.grade_valid_from,
        grade_valid_until=stored.grade_valid_until, grade_frozen=False)


def own_bids(session: Session, user) -> list[BidView]:
    """Every bid of the user's organization, newest first ("my bids")."""
    if not (_authenticated(user) and user.role == Role.ORGANIZATION and user.organization_id):
        return []
    bids = session.scalars(select(Bid).where(Bid.organization_id == user.organization_id)
                           .options(selectinload(Bid.tender), selectinload(Bid.organization))
                           .order_by(Bid.id.desc()))
    return [_view(session, user, bid.tender, bid) for bid in bids]


@dataclass(frozen=True)
class OpenedBid:
    """A bid's content for the platform's own computations after opening (scoring, award)."""

    id: int
    organization_id: int
    price: Decimal
    proposal: str
    document_ids: tuple[int, ...]
    valid: bool | None
    receipt_hash: str


def opened_bids(session: Session, tender: Tender, *, valid_only: bool = True
                ) -> list[OpenedBid]:
    """Content of every bid of an opened tender, for services (no user involved).

    Refuses (Conflict) before opening, so no computation can read a sealed bid either.
    """
    if not tender.is_opened:
        raise Conflict(_l("The bids of this tender are still sealed."))
    stmt = select(Bid).where(Bid.tender_id == tender.id).order_by(Bid.id)
    if valid_only:
        stmt = stmt.where(Bid.valid.is_(True))
    return [OpenedBid(b.id, b.organization_id, b.price, b.proposal, tuple(b.document_ids or ()),
                      b.valid, b.receipt_hash) for b in session.scalars(stmt)]


def bid_entries_still_sealed():
    """Audit-log condition: hide entries about bids whose tender is not opened yet, and
    about the documents attached to them (uploaded by the bidder's account), so the log
    cannot tell who bid before the opening."""
    from market.auditlog.models import AuditEntry
    from market.documents.models import Document, OwnerType

    sealed_bids = select(Bid.id).join(Tender, Tender.id == Bid.tender_id).where(
        Tender.opened_at.is_(None))
    sealed_documents = select(Document.id).where(Document.owner_type == OwnerType.BID,
                                                 Document.owner_id.in_(sealed_bids))
    return ~(((AuditEntry.object_type == "bid") & AuditEntry.object_id.in_(sealed_bids))
             | ((AuditEntry.object_type == "document")
                & AuditEntry.object_id.in_(sealed_documents)))



def parties_for_conflict_check(session: Session, tender: Tender) -> set[int]:
    """The bidding organizations' ids, for one use only: the server-side conflict check of
    the expert draw (an expert employed by a bidder, or who declared a conflict with one,
    is not drawn). Never shown to anyone. Refused (Conflict) before the bid deadline,
    when the set of bidders is not final yet."""
    if not tender.bids_closed:
        raise Conflict(_l("The evaluation committee is drawn after the bid deadline."))
    return set(session.scalars(select(Bid.organization_id).where(
        Bid.tender_id == tender.id, Bid.status == BidStatus.SUBMITTED)))
