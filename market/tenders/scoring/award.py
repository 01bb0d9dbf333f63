"""中标 — the award, its standstill (等待期) and the reasons it gives in words.

The department awards the top-ranked bid, or records why not and awards another. The
award starts the standstill (``standstill_days`` calendar days) and the challenge window
(``challenge_window_days`` working days, 质疑期). From then on the award page is public:
every bid's price and scores, the 3A+ priority applied, the ranking and why the winner won.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import funds
from market.access.permissions import Role
from market.auditlog.services import record
from market.clock import now
from market.documents.models import OwnerType
from market.documents.storage import PDF_OR_IMAGE, Upload, store_document
from market.errors import Conflict, Invalid, NotFound
from market.money import format_money
from market.tenders import notifications
from market.tenders.access import get_tender, is_owner
from market.tenders.calendar import end_of_working_day
from market.tenders.models import Bid, BidStatus, PriorityRule, Tender, TenderStatus
from market.tenders.scoring import ranking
from market.tenders.scoring import services as evaluation
from market.tenders.scoring.models import Award, BidResult, PassOver, PassOverReason


def current_award(session: Session, tender: Tender) -> Award | None:
    return session.scalar(select(Award).where(Award.tender_id == tender.id,
                                              Award.revoked_at.is_(None)))


def awards(session: Session, tender: Tender) -> list[Award]:
    return list(session.scalars(select(Award).where(Award.tender_id == tender.id)
                                .order_by(Award.id)))


@dataclass(frozen=True)
class PassOverData:
    """Why one better-ranked bid is passed over: a reason code (``PassOverReason``) and its
    evidence — an uploaded document, a reference to one (a letter's number, a finding), or
    both. A note adds to them and is never enough alone."""

    bid_id: int
    reason: str | None = None
    evidence: Upload | None = None
    reference: str = ""
    note: str = ""


def passovers(session: Session, tender: Tender) -> list[PassOver]:
    return list(session.scalars(select(PassOver).where(PassOver.tender_id == tender.id)
                                .order_by(PassOver.rank)))


def _name(result: BidResult) -> str:
    return result.bid.organization.name


def _clean_passover(result: BidResult, data: PassOverData) -> tuple[PassOverReason, str | None,
                                                                     str | None]:
    """Check one pass-over: a valid reason code and evidence. Raises Invalid otherwise."""
    field = f"pass-{result.bid_id}"
    try:
        code = PassOverReason(data.reason or "")
    except ValueError:
        raise Invalid(_l("%(name)s (ranked %(rank)s) is ranked above the bid you chose: "
                         "choose why it is passed over — it declined the award, did not sign "
                         "the contract within the legal period, or was found to have given "
                         "false material.", name=_name(result), rank=result.rank),
                      field=f"{field}-reason") from None
    reference = (data.reference or "").strip()[:300] or None
    if data.evidence is None and reference is None:
        raise Invalid(_l("Give the evidence for passing over %(name)s: upload the document "
                         "or give its reference. A note alone is not enough.",
                         name=_name(result)), field=f"{field}-evidence")
    return code, reference, (data.note or "").strip()[:5000] or None


def _record_passover(session: Session, actor, tender: Tender, result: BidResult,
                     data: PassOverData, award: Award | None) -> PassOver:
    code, reference, note = _clean_passover(result, data)
    row = PassOver(tender_id=tender.id, bid_id=result.bid_id, rank=result.rank, reason=code,
                   evidence_reference=reference, note=note, recorded_at=now(),
                   recorded_by_id=actor.id, award_id=award.id if award else None)
    session.add(row)
    session.flush()
    if data.evidence is not None:
        row.evidence_document_id = store_document(
            session, data.evidence, owner_type=OwnerType.AWARD_EVIDENCE, owner_id=row.id,
            purpose="award_passover_evidence", actor=actor, allowed=PDF_OR_IMAGE).id
    record(session, actor, "tender", tender.id, "pass_over", None, code.value,
           f"bid {result.bid_id} (rank {result.rank}): {code.value}"
           + (f"; ref {reference}" if reference else "")
           + (f"; document {row.evidence_document_id}" if row.evidence_document_id else ""))
    return row


def award_tender(session: Session, actor, tender_id: int, bid_id: int,
                 passed_over: Sequence[PassOverData] = ()) -> Award:
    """Award ``bid_id``. The award follows the ranking (MOF Order No. 87, art. 68): the
    first-ranked bid, or the next one only when each bid ranked above it is passed over
    for a coded reason with evidence (``PassOverData``; Implementing Regulations of the
    Government Procurement Law, art. 49) — recorded now, or earlier when an award was
    withdrawn (``withdraw_award``)."""
    if isinstance(passed_over, str):  # the free-text reason of old is not a reason code
        raise TypeError("passed_over is a sequence of PassOverData")
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    if tender.status != TenderStatus.EVALUATED:
        raise Conflict(_l("Only an evaluated tender can be awarded."))
    results = {r.bid_id: r for r in session.scalars(select(BidResult).where(
        BidResult.tender_id == tender.id, BidResult.rank.is_not(None)))}
    result = results.get(bid_id)
    if result is None:
        raise Invalid(_l("Choose a valid, ranked bid."), field="bid_id")
    given = {p.bid_id: p for p in passed_over if (p.reason or "").strip()
             or p.evidence is not None or (p.reference or "").strip()
             or (p.note or "").strip()}
    recorded = {p.bid_id for p in passovers(session, tender)}
    above = sorted((r for r in results.values() if r.rank < result.rank),
                   key=lambda r: r.rank)
    if result.bid_id in recorded:
        raise Conflict(_l("This bid was passed over; it cannot be awarded."))
    for other in given:
        if other not in {r.bid_id for r in above} or other in recorded:
            raise Invalid(_l("A reason was given for a bid that the award does not pass "
                             "over: give reasons only for the bids ranked above the one "
                             "you award."), field="bid_id")
    missing = [r for r in above if r.bid_id not in recorded]
    for r in missing:  # check every one before writing anything
        _clean_passover(r, given.get(r.bid_id, PassOverData(r.bid_id)))
    # The reservation keeps the awarded price and gives the rest back (预留结余释放); raised
    # again (refused if the item is short) when a re-award after a challenge costs more.
    price = evaluation.bid_prices(session, tender)[bid_id]
    funds.settle_reservation(session, tender, price, by=actor, reason=f"award_bid_{bid_id}")
    at = now()
    # Language-neutral codes for the record; pages say them in words (PASS_OVER_LABELS).
    notes = "; ".join(f"rank {r.rank} {PassOverReason(given[r.bid_id].reason).value}"
                      for r in missing)
    award = Award(tender_id=tender.id, bid_id=bid_id, rank=result.rank,
                  reason=notes or None, awarded_at=at, awarded_by_id=actor.id)
    session.add(award)
    session.flush()
    for r in missing:
        _record_passover(session, actor, tender, r, given[r.bid_id], award)
    tender.status = TenderStatus.AWARDED
    tender.awarded_at = at
    tender.standstill_ends_at = at + dt.timedelta(days=tender.standstill_days)
    tender.challenge_deadline = end_of_working_day(session, at, tender.challenge_window_days)
    session.flush()
    record(session, actor, "tender", tender.id, "award", TenderStatus.EVALUATED.value,
           TenderStatus.AWARDED.value, f"bid {bid_id} (rank {result.rank}) {notes}".strip())
    _notify_bidders(session, tender, bid_id)
    return award


# Notices to the bidders when the award is published (registered by the feature's init_app).
AWARD_NOTICES = {
    "award_won": _l("Your bid on tender %(ref)s won the award. Next: the department "
                    "signs the contract, then you countersign it. See My bids."),
    "award_lost": _l("Tender %(ref)s was awarded to another bidder. Your bid's rank and score "
                     "are in My bids; you may challenge the award until the challenge "
                     "deadline."),
}


def _notify_bidders(session: Session, tender: Tender, bid_id: int) -> None:
    """Tell every live bidder the outcome of its own bid (no other bidder's)."""
    rows = session.execute(select(Bid.id, Bid.organization_id).where(
        Bid.tender_id == tender.id, Bid.status == BidStatus.SUBMITTED))
    for bid, org_id in rows:
        notifications.notify(session, kind="award_won" if bid == bid_id else "award_lost",
                             organization_id=org_id, tender_id=tender.id,
                             ref=tender.reference)


def withdraw_award(session: Session, actor, tender_id: int, data: PassOverData) -> PassOver:
    """The winner declined, did not sign within the legal period, or was found to have
    given false material: the department withdraws the award with the coded reason and its
    evidence, and the tender is EVALUATED again, to be awarded to the next in rank
    (Implementing Regulations of the Government Procurement Law, art. 49)."""
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    award = current_award(session, tender)
    if tender.status != TenderStatus.AWARDED or award is None or tender.contract is not None:
        raise Conflict(_l("Only an award with no contract signed yet can be withdrawn."))
    result = session.scalar(select(BidResult).where(BidResult.tender_id == tender.id,
                                                    BidResult.bid_id == award.bid_id))
    row = _record_passover(session, actor, tender, result,
                           PassOverData(award.bid_id, data.reason, data.evidence,
                                        data.reference, data.note), award)
    reopen(session, actor, tender, f"pass_over {row.reason.value}")
    return row


def may_read_evidence(session: Session, user, doc) -> bool:
    """Evidence for passing over a bid: the department, auditors, civil affairs and the
    organization passed over (document policy for ``OwnerType.AWARD_EVIDENCE``, registered
    by the scoring feature). The public page shows the reason code and the reference."""
    row = session.get(PassOver, doc.owner_id)
    return row is not None and may_read_passover_evidence(session, user, row)


def may_read_passover_evidence(session: Session, user, row: PassOver) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    tender = session.get(Tender, row.tender_id)
    return (user.role in (Role.AUDITOR, Role.CIVIL_AFFAIRS) or is_owner(user, tender)
            or (user.organization_id is not None
                and user.organization_id == row.bid.organization_id))


def can_withdraw(user, tender: Tender) -> bool:
    return (is_owner(user, tender) and tender.status == TenderStatus.AWARDED
            and tender.contract is None)


def reopen(session: Session, actor, tender: Tender, reason: str) -> None:
    """An upheld challenge revokes the award: the tender is EVALUATED again, to re-award."""
    award = current_award(session, tender)
    if award is not None:
        award.revoked_at, award.revoked_reason = now(), reason
    tender.status = TenderStatus.EVALUATED
    tender.awarded_at = tender.standstill_ends_at = tender.challenge_deadline = None
    record(session, actor, "tender", tender.id, "reopen_award", TenderStatus.AWARDED.value,
           TenderStatus.EVALUATED.value, reason[:500])


# --- who sees the award page ---------------------------------------------------------

def is_public(session: Session, tender: Tender) -> bool:
    """Public from the first award on (the standstill begins with it)."""
    return session.scalar(select(Award.id).where(Award.tender_id == tender.id).limit(1)) \
        is not None


def get_award_tender(session: Session, user, tender_id: int) -> Tender:
    """The tender whose award page the user may read, or NotFound."""
    tender = get_tender(session, user, tender_id)
    if is_public(session, tender) or evaluation.may_see_results(session, user, tender):
        return tender
    raise NotFound(_l("The evaluation results of this tender are not public yet."))


def can_award(user, tender: Tender) -> bool:
    return is_owner(user, tender) and tender.status == TenderStatus.EVALUATED


# --- the reasons, in words -------------------------------------------------------------

@dataclass
class Row:
    result: BidResult
    name: str

    @property
    def adjustment(self):
        """What the 3A+ priority did to this bid, in words (None when nothing)."""
        r = self.result
        if not r.priority:
            return None
        if r.evaluated_price != r.price:
            return _l("3A+ price deduction: price counted as %(p)s yuan",
                      p=format_money(r.evaluated_price, unit=False))
        if r.bonus:
            return _l("3A+ bonus: +%(b)s points", b=_pts(r.bonus))
        return None


def _pts(value) -> str:
    return f"{value:.2f}"


def _first(first: Row, won: bool) -> list[str]:
    r = first.result
    parts = dict(name=first.name, total=_pts(r.total), tech=_pts(r.technical),
                 price=_pts(r.price_score), bonus=_pts(r.bonus))
    if won and r.bonus:
        text = _l("%(name)s won because it ranked first with %(total)s points (technical "
                  "%(tech)s + price %(price)s + 3A+ bonus %(bonus)s).", **parts)
    elif won:
        text = _l("%(name)s won because it ranked first with %(total)s points (technical "
                  "%(tech)s + price %(price)s).", **parts)
    elif r.bonus:
        text = _l("%(name)s ranked first with %(total)s points (technical %(tech)s + "
                  "price %(price)s + 3A+ bonus %(bonus)s).", **parts)
    else:
        text = _l("%(name)s ranked first with %(total)s points (technical %(tech)s + "
                  "price %(price)s).", **parts)
    out = [str(text)]
    if r.priority and r.evaluated_price != r.price:
        out.append(str(_l("Graded 3A or above, its price of %(price)s yuan counted as "
                          "%(evaluated)s yuan in the price formula.",
                          price=format_money(r.price, unit=False),
                          evaluated=format_money(r.evaluated_price, unit=False))))
    return out


def _runner_up(tender: Tender, first: Row, second: Row) -> str:
    if second.result.total != first.result.total:
        return str(_l("%(other)s came second with %(total)s points.", other=second.name,
                      total=_pts(second.result.total)))
    if tender.priority_rule == PriorityRule.TIE_BREAK and first.result.priority \
            and not second.result.priority:
        return str(_l("It tied with %(other)s and won the tie because it is graded 3A or "
                      "above (the tender's tie-break rule).", other=second.name))
    return str(_l("It tied with %(other)s and won the tie with the lower price.",
                  other=second.name))


def explain(tender: Tender, rows: list[Row], award: Award | None,
            passed: Sequence[PassOver] = ()) -> list[str]:
    """Sentences saying why the winner won and what the 3A+ priority changed."""
    ranked = [r for r in rows if r.result.rank is not None]
    if not ranked:
        return [str(_l("No bid remained valid, so no bid could be ranked."))]
    first = ranked[0]
    winner = next((x for x in rows if award and x.result.bid_id == award.bid_id), None)
    out = _first(first, winner is first)
    if len(ranked) > 1:
        out.append(_runner_up(tender, first, ranked[1]))
    plain_first = next((x for x in ranked if x.result.plain_rank == 1), None)
    if plain_first is not None and plain_first is not first:
        out.append(str(_l("The 3A+ priority changed the result: without it, %(other)s would "
                          "have ranked first (%(total)s points).", other=plain_first.name,
                          total=_pts(plain_first.result.plain_total))))
    excluded = [x for x in rows if x.result.excluded_reason == ranking.BELOW_PRIORITY_GRADE]
    if excluded:
        out.append(str(_l("Excluded because the tender is restricted to 3A+ organizations: "
                          "%(names)s.", names="、".join(x.name for x in excluded))))
    if winner is not None and winner is not first:
        if award.reason and not passed:  # an award recorded before reasons were coded
            out.append(str(_l("The department awarded %(name)s (ranked %(rank)s) instead: "
                              "%(reason)s", name=winner.name, rank=award.rank,
                              reason=award.reason)))
        else:
            out.append(str(_l("The department awarded %(name)s (ranked %(rank)s) because "
                              "every bid ranked above it was passed over for the reason "
                              "shown.", name=winner.name, rank=award.rank)))
    return out
