"""中标 — the award, its standstill (等待期) and the reasons it gives in words.

The department awards the top-ranked bid, or records why not and awards another. The
award starts the standstill (``standstill_days`` calendar days) and the challenge window
(``challenge_window_days`` working days, 质疑期). From then on the award page is public:
every bid's price and scores, the 3A+ priority applied, the ranking and why the winner won.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import funds
from market.auditlog.services import record
from market.clock import now
from market.errors import Conflict, Invalid, NotFound
from market.money import format_money
from market.tenders.access import get_tender, is_owner
from market.tenders.calendar import end_of_working_day
from market.tenders.models import PriorityRule, Tender, TenderStatus
from market.tenders.scoring import ranking
from market.tenders.scoring import services as evaluation
from market.tenders.scoring.models import Award, BidResult


def current_award(session: Session, tender: Tender) -> Award | None:
    return session.scalar(select(Award).where(Award.tender_id == tender.id,
                                              Award.revoked_at.is_(None)))


def awards(session: Session, tender: Tender) -> list[Award]:
    return list(session.scalars(select(Award).where(Award.tender_id == tender.id)
                                .order_by(Award.id)))


def award_tender(session: Session, actor, tender_id: int, bid_id: int, reason: str = ""
                 ) -> Award:
    """Award ``bid_id``. A reason is required unless it is the top-ranked bid."""
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    if tender.status != TenderStatus.EVALUATED:
        raise Conflict(_l("Only an evaluated tender can be awarded."))
    result = session.scalar(select(BidResult).where(BidResult.tender_id == tender.id,
                                                    BidResult.bid_id == bid_id))
    if result is None or result.rank is None:
        raise Invalid(_l("Choose a valid, ranked bid."), field="bid_id")
    reason = (reason or "").strip()
    if result.rank != 1 and not reason:
        raise Invalid(_l("This bid is not ranked first: record why the bids ranked above it "
                         "are passed over."), field="reason")
    # The reservation keeps the awarded price and gives the rest back (预留结余释放); raised
    # again (refused if the item is short) when a re-award after a challenge costs more.
    price = evaluation.bid_prices(session, tender)[bid_id]
    funds.settle_reservation(session, tender, price, by=actor, reason=f"award to bid {bid_id}")
    at = now()
    award = Award(tender_id=tender.id, bid_id=bid_id, rank=result.rank, reason=reason or None,
                  awarded_at=at, awarded_by_id=actor.id)
    session.add(award)
    tender.status = TenderStatus.AWARDED
    tender.awarded_at = at
    tender.standstill_ends_at = at + dt.timedelta(days=tender.standstill_days)
    tender.challenge_deadline = end_of_working_day(session, at, tender.challenge_window_days)
    session.flush()
    record(session, actor, "tender", tender.id, "award", TenderStatus.EVALUATED.value,
           TenderStatus.AWARDED.value, f"bid {bid_id} (rank {result.rank}) {reason}".strip())
    return award


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


def explain(tender: Tender, rows: list[Row], award: Award | None) -> list[str]:
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
        out.append(str(_l("The department awarded %(name)s (ranked %(rank)s) instead: "
                          "%(reason)s", name=winner.name, rank=award.rank,
                          reason=award.reason or "")))
    return out
