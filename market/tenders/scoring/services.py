"""评标 — the evaluation committee: declare conflicts, score, rank.

The platform draws the experts from the expert pool (``committee``; nobody is assigned by
hand). Each expert first declares, bidder by bidder, that they have no conflict of
interest (利益冲突); a declared conflict takes them off the tender and a recorded redraw
brings in the next expert in line. Each expert then scores
every bid on every technical criterion (0..weight) and submits once. Nobody sees an
expert's scores but the expert until all have submitted; then the results are computed
(market.tenders.scoring.ranking), stored, and the tender is EVALUATED.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.clock import now
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.orgs.models import Organization
from market.money import CENT
from market.tenders import sealed
from market.experts.models import Exclusion
from market.tenders.scoring import committee as drawn
from market.tenders.scoring import ranking
from market.tenders.access import is_owner
from market.tenders.scoring.models import BidResult, Declaration, Expert, Score
from market.tenders.models import Bid, BidStatus, Criterion, Tender, TenderStatus

PAST_OPENING = (TenderStatus.EVALUATED, TenderStatus.AWARDED, TenderStatus.CONTRACTED)


# --- reading what is evaluated (bid content only through market.tenders.sealed) ----

def bids_to_evaluate(session: Session, tender: Tender) -> list[sealed.OpenedBid]:
    """The bids found valid at the opening; refused (Conflict) while bids are sealed."""
    return sealed.opened_bids(session, tender)


def bid_prices(session: Session, tender: Tender) -> dict[int, Decimal]:
    return {b.id: b.price for b in bids_to_evaluate(session, tender)}


def bidder_names(session: Session, tender: Tender) -> dict[int, str]:
    """Bid id -> the bidding organization's name (not sealed content)."""
    rows = session.execute(select(Bid.id, Organization.name).join(Organization)
                           .where(Bid.tender_id == tender.id))
    return {bid_id: name for bid_id, name in rows}


def technical_criteria(tender: Tender) -> list[Criterion]:
    return [c for c in tender.criteria if not c.is_price]


def committee(session: Session, tender: Tender) -> list[Expert]:
    return list(session.scalars(select(Expert).where(Expert.tender_id == tender.id)
                                .order_by(Expert.id)))


def active_experts(session: Session, tender: Tender) -> list[Expert]:
    return [e for e in committee(session, tender) if e.active]


def membership(session: Session, user, tender: Tender) -> Expert | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(select(Expert).where(Expert.tender_id == tender.id,
                                               Expert.expert_id == user.id))


def get_expert_tender(session: Session, user, tender_id: int) -> tuple[Tender, Expert]:
    """The tender and the user's seat on its committee, or NotFound."""
    tender = session.get(Tender, tender_id)
    seat = membership(session, user, tender) if tender is not None else None
    if tender is None or seat is None:
        raise NotFound(_l("You are not on this tender's evaluation committee."))
    return tender, seat


def scores_of(session: Session, seat: Expert) -> dict[tuple[int, int], Decimal]:
    rows = session.scalars(select(Score).where(Score.expert_row_id == seat.id))
    return {(s.bid_id, s.criterion_id): s.score for s in rows}


def all_scores_visible(tender: Tender) -> bool:
    """Experts see each other's scores only once everyone has submitted."""
    return tender.status in PAST_OPENING


def all_scores(session: Session, tender: Tender) -> list[tuple[Expert, dict]]:
    if not all_scores_visible(tender):
        raise Forbidden(_l("Scores stay private until every expert has submitted."))
    return [(seat, scores_of(session, seat)) for seat in active_experts(session, tender)]


def expert_assignments(session: Session, user) -> list[Expert]:
    return list(session.scalars(select(Expert).where(Expert.expert_id == user.id)
                                .order_by(Expert.id.desc())))


# --- the committee is drawn, never assigned by hand (market.tenders.scoring.committee) ---

def assign_expert(session: Session, actor, tender_id: int, expert_id: int) -> None:
    """Hand-picking an expert, the old way: refused with the reason, nothing changes."""
    drawn.hand_pick(session, actor, tender_id)


# --- the expert declares, then scores ------------------------------------------------

def _opened_seat(session: Session, actor, tender_id: int) -> tuple[Tender, Expert]:
    if not actor.can(Permission.TENDERS_SCORE):
        raise Forbidden(_l("Only expert reviewers score bids."))
    tender, seat = get_expert_tender(session, actor, tender_id)
    session.refresh(tender, with_for_update=True)
    if tender.status != TenderStatus.OPENED:
        raise Conflict(_l("Bids are scored after they are opened and before the evaluation "
                          "is complete."))
    if not seat.active:
        raise Conflict(_l("You declared a conflict of interest and are off this tender."))
    return tender, seat


def declare(session: Session, actor, tender_id: int, conflicts: set[int], note: str = ""
            ) -> Expert:
    """Declare, for every bidder, whether there is a conflict of interest.

    Any conflict takes the expert off this tender (the department assigns another).
    """
    tender, seat = _opened_seat(session, actor, tender_id)
    if seat.declared_at is not None:
        raise Conflict(_l("You have already made your declaration."))
    bids = bids_to_evaluate(session, tender)
    ids = {b.id for b in bids}
    if not set(conflicts) <= ids:
        raise Invalid(_l("Unknown bidder."))
    note = (note or "").strip()
    if conflicts and not note:
        raise Invalid(_l("Say briefly what the conflict of interest is."), field="note")
    for bid in bids:
        session.add(Declaration(expert_row_id=seat.id, bid_id=bid.id,
                                conflict=bid.id in conflicts))
    if conflicts:
        seat.conflict_at, seat.conflict_note = now(), note[:2000]
        record(session, actor, "tender", tender.id, "declare_conflict", reason=note[:500])
        drawn.replace_seat(session, actor, tender, seat, Exclusion.CONFLICT_AT_SEAT, note)
    else:
        seat.declared_at = now()
        record(session, actor, "tender", tender.id, "declare_no_conflict")
    return seat


def _score(raw, weight: Decimal) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError):
        raise Invalid(_l("Enter every score as a number.")) from None
    if not value.is_finite():
        raise Invalid(_l("Enter every score as a number."))
    # The range first: quantizing 1e30 to the cent would overflow the decimal context.
    if not Decimal("0") <= value <= weight:
        shown = f"{weight.normalize():f}"
        raise Invalid(_l("A score is between 0 and the criterion's weight (%(w)s).", w=shown))
    if value != value.quantize(CENT):
        raise Invalid(_l("Scores have at most two decimals."))
    return value


def submit_scores(session: Session, actor, tender_id: int,
                  scores: Mapping[tuple[int, int], object]) -> Expert:
    """Score every bid on every technical criterion, all at once; final once submitted."""
    tender, seat = _opened_seat(session, actor, tender_id)
    if seat.declared_at is None:
        raise Conflict(_l("Declare your conflicts of interest before scoring."))
    if seat.submitted_at is not None:
        raise Conflict(_l("You have already submitted your scores."))
    clean = {}
    for bid in bids_to_evaluate(session, tender):
        for criterion in technical_criteria(tender):
            raw = scores.get((bid.id, criterion.id))
            if raw is None or str(raw).strip() == "":
                raise Invalid(_l("Score every bid on every criterion."))
            clean[(bid.id, criterion.id)] = _score(raw, criterion.weight)
    for (bid_id, criterion_id), value in clean.items():
        session.add(Score(expert_row_id=seat.id, bid_id=bid_id, criterion_id=criterion_id,
                          score=value))
    seat.submitted_at = now()
    session.flush()
    record(session, actor, "tender", tender.id, "submit_scores")
    _complete_if_all_scored(session, actor, tender)
    return seat


def _complete_if_all_scored(session: Session, actor, tender: Tender) -> bool:
    seats = active_experts(session, tender)
    needed = experts_needed(session, tender)
    if not needed or len(seats) < needed or any(s.submitted_at is None for s in seats):
        return False
    store_results(session, tender, seats)
    tender.status = TenderStatus.EVALUATED
    record(session, actor, "tender", tender.id, "evaluate", TenderStatus.OPENED.value,
           TenderStatus.EVALUATED.value)
    return True


def progress(session: Session, tender: Tender) -> dict:
    seats = active_experts(session, tender)
    return {"active": len(seats), "declared": sum(1 for s in seats if s.declared_at),
            "submitted": sum(1 for s in seats if s.submitted_at),
            "needed": experts_needed(session, tender)}


def experts_needed(session: Session, tender: Tender) -> int:
    """The drawn experts who must score: the draw's size (0 before the draw)."""
    draw = drawn.draw_of(session, tender)
    return draw.size if draw is not None else 0


# --- results -------------------------------------------------------------------------

def store_results(session: Session, tender: Tender, seats: list[Expert]) -> list[BidResult]:
    """Compute and store every live bid's result: valid ones ranked, the others with why."""
    per_bid: dict[int, dict[int, list[Decimal]]] = {}
    for seat in seats:
        for (bid_id, criterion_id), value in scores_of(session, seat).items():
            per_bid.setdefault(bid_id, {}).setdefault(criterion_id, []).append(value)
    live = dict(session.execute(select(Bid.id, Bid.invalid_reason).where(
        Bid.tender_id == tender.id, Bid.status == BidStatus.SUBMITTED)).all())
    opened = [b for b in sealed.opened_bids(session, tender, valid_only=False) if b.id in live]
    # The grade frozen on each bid at the opening (the one valid at the bid deadline as
    # recorded by then): a grade change recorded later never moves the ranking.
    frozen = dict(session.execute(select(Bid.id, Bid.grade_at_deadline).where(
        Bid.tender_id == tender.id)).all())
    grades = {b.id: frozen.get(b.id) or 0 for b in opened}
    priority_grade = policy.value("priority_grade")
    inputs = [ranking.BidInput(bid_id=b.id, price=b.price, priority=grades[b.id] >= priority_grade,
                               valid=b.valid is True, invalid_reason=live[b.id],
                               scores=per_bid.get(b.id, {}))
              for b in opened]
    weight = next(c.weight for c in tender.criteria if c.is_price)
    rows = []
    for r in ranking.rank_bids(inputs, rule=tender.priority_rule, value=tender.priority_value,
                               price_weight=weight):
        row = BidResult(
            tender_id=tender.id, bid_id=r.bid_id, grade=grades[r.bid_id], priority=r.priority,
            valid=r.valid, excluded_reason=r.excluded_reason,
            criterion_scores={str(c): str(v) for c, v in r.criterion_scores.items()},
            technical=r.technical, price=r.price, evaluated_price=r.evaluated_price,
            price_score=r.price_score, bonus=r.bonus, total=r.total, rank=r.rank,
            plain_total=r.plain_total, plain_rank=r.plain_rank)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def results(session: Session, tender: Tender) -> list[BidResult]:
    """Stored results, ranked bids first in rank order, then the excluded ones."""
    rows = session.scalars(select(BidResult).where(BidResult.tender_id == tender.id))
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.bid_id))


def may_see_results(session: Session, user, tender: Tender) -> bool:
    """Before the award: the owning department, auditors and the committee's experts."""
    if tender.status not in PAST_OPENING and tender.awarded_at is None:
        return False
    if is_owner(user, tender):
        return True
    if user is not None and getattr(user, "is_authenticated", False):
        if user.role == Role.AUDITOR:
            return True
        seat = membership(session, user, tender)
        return seat is not None and seat.active
    return False


def committee_reader(session: Session, user, tender: Tender) -> bool:
    """Sealed bids, once opened, are readable by experts who declared no conflict
    (registered with ``sealed.register_reader`` by the scoring feature's ``init_app``)."""
    seat = membership(session, user, tender)
    return seat is not None and seat.active and seat.declared_at is not None
