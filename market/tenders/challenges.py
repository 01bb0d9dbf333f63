"""质疑 — a bidder's challenge to an award, and the department's answer.

A bidder may challenge the current award until the challenge deadline (working days
after the award). While a challenge is open no contract can be signed. The department
answers with reasons: upheld (the award is reopened: the tender is EVALUATED again and
is re-awarded) or rejected. Open challenges are seen by the challenger, the department
and auditors; closed ones by everyone.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.permissions import Permission, Role
from market.auditlog.services import record
from market.clock import now
from market.documents.access import register_policy
from market.documents.storage import PDF_OR_IMAGE, Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.tenders.access import get_tender, is_owner
from market.tenders.scoring.models import Challenge, ChallengeStatus
from market.tenders.models import Bid, BidStatus, Tender, TenderStatus


def open_challenges(session: Session, tender: Tender) -> list[Challenge]:
    return list(session.scalars(select(Challenge).where(
        Challenge.tender_id == tender.id, Challenge.status == ChallengeStatus.OPEN)
        .order_by(Challenge.id)))


def _bid_of(session: Session, user, tender: Tender) -> Bid | None:
    org_id = getattr(user, "organization_id", None)
    if org_id is None:
        return None
    return session.scalar(select(Bid).where(Bid.tender_id == tender.id,
                                            Bid.organization_id == org_id,
                                            Bid.status == BidStatus.SUBMITTED))


def window_open(tender: Tender) -> bool:
    return (tender.status == TenderStatus.AWARDED and tender.challenge_deadline is not None
            and now() < tender.challenge_deadline)


def can_challenge(session: Session, user, tender: Tender) -> bool:
    return (user is not None and getattr(user, "is_authenticated", False)
            and user.can(Permission.TENDERS_CHALLENGE) and window_open(tender)
            and _bid_of(session, user, tender) is not None)


def file_challenge(session: Session, actor, tender_id: int, grounds: str,
                   upload: Upload | None = None) -> Challenge:
    from market.tenders.award import current_award

    if not actor.can(Permission.TENDERS_CHALLENGE):
        raise Forbidden(_l("Only a bidder may challenge an award."))
    tender = get_tender(session, actor, tender_id, lock=True)
    if not window_open(tender):
        raise Conflict(_l("The challenge period for this award is over (or there is no "
                          "award to challenge)."))
    bid = _bid_of(session, actor, tender)
    if bid is None:
        raise Forbidden(_l("Only an organization that bid on this tender may challenge "
                           "its award."))
    grounds = (grounds or "").strip()
    if not grounds:
        raise Invalid(_l("State the grounds of the challenge."), field="grounds")
    award = current_award(session, tender)
    if session.scalar(select(Challenge.id).where(
            Challenge.award_id == award.id, Challenge.organization_id == bid.organization_id,
            Challenge.status == ChallengeStatus.OPEN)):
        raise Conflict(_l("Your organization already has an open challenge to this award."))
    challenge = Challenge(tender_id=tender.id, award_id=award.id,
                          organization_id=bid.organization_id, submitted_by_id=actor.id,
                          grounds=grounds[:10000])
    session.add(challenge)
    session.flush()
    if upload is not None:
        doc = store_document(session, upload, owner_type="challenge", owner_id=challenge.id,
                             purpose="challenge_evidence", actor=actor, allowed=PDF_OR_IMAGE)
        challenge.document_ids = [doc.id]
    record(session, actor, "challenge", challenge.id, "file", None, ChallengeStatus.OPEN.value,
           f"tender {tender.id}")
    return challenge


def answer_challenge(session: Session, actor, challenge_id: int, upheld: bool, reason: str
                     ) -> Challenge:
    from market.tenders.award import reopen

    challenge = session.get(Challenge, challenge_id)
    if challenge is None:
        raise NotFound(_l("No such challenge."))
    tender = get_tender(session, actor, challenge.tender_id, manage=True, lock=True)
    if challenge.status != ChallengeStatus.OPEN:
        raise Conflict(_l("This challenge has already been answered."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give the reasons for the answer; they are published."),
                      field="reason")
    challenge.status = ChallengeStatus.UPHELD if upheld else ChallengeStatus.REJECTED
    challenge.answer, challenge.answered_at = reason[:10000], now()
    challenge.answered_by_id = actor.id
    record(session, actor, "challenge", challenge.id, "answer", ChallengeStatus.OPEN.value,
           challenge.status.value, reason[:500])
    if upheld:
        for other in open_challenges(session, tender):
            if other.id != challenge.id:
                other.status, other.answered_at = ChallengeStatus.SUPERSEDED, now()
                record(session, actor, "challenge", other.id, "supersede",
                       ChallengeStatus.OPEN.value, ChallengeStatus.SUPERSEDED.value)
        reopen(session, actor, tender, reason)
    return challenge


def sees_challenge(session: Session, user, challenge: Challenge, tender: Tender) -> bool:
    if challenge.closed:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (user.role == Role.AUDITOR or is_owner(user, tender)
            or user.organization_id == challenge.organization_id)


def visible_challenges(session: Session, user, tender: Tender) -> list[Challenge]:
    rows = session.scalars(select(Challenge).where(Challenge.tender_id == tender.id)
                           .order_by(Challenge.id))
    return [c for c in rows if sees_challenge(session, user, c, tender)]


def _may_read_evidence(session: Session, user, doc) -> bool:
    challenge = session.get(Challenge, doc.owner_id)
    if challenge is None:
        return False
    tender = session.get(Tender, challenge.tender_id)
    return user.role == Role.AUDITOR or is_owner(user, tender) \
        or user.organization_id == challenge.organization_id


register_policy("challenge", _may_read_evidence)
