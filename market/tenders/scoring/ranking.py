"""The scoring arithmetic (综合评分法), with no database and no Flask: plain values in,
ranked results out.

- A technical criterion scores the average of the experts' scores (to the 0.01 point).
- Price scores by the formula the tender states: the lowest valid price scores the full
  price weight, every other ``price_weight × lowest / price`` (价格分 = 评标基准价 / 投标报价
  × 价格权重).
- The 3A+ priority (3A以上社会组织优先) as the tender states it:
  ``restricted``: only 3A+ bids are valid; ``price_deduction``: a 3A+ price counts X %
  lower in the price formula (both as its own price and as the lowest); ``score_bonus``:
  Y points are added to a 3A+ total; ``tie_break``: 3A+ wins a tie.
- Ties on the total go to the lower price, then the earlier bid (lower id).

Every result also carries the "plain" total and rank — the same ranking with no priority
— so the award page can say what the priority changed.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from market.tenders.models import PriorityRule

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")

# Why a bid is not ranked (codes stored on the result; labels in award.py).
BELOW_PRIORITY_GRADE = "below_priority_grade"
INVALID_AT_OPENING = "invalid_at_opening"


def points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def average(scores: Sequence[Decimal]) -> Decimal:
    return points(sum(scores, ZERO) / len(scores)) if scores else ZERO


@dataclass(frozen=True)
class BidInput:
    bid_id: int
    price: Decimal
    priority: bool  # graded 3A or above at the bid deadline
    valid: bool = True  # as decided at the opening
    invalid_reason: str | None = None  # the opening's reason code when not valid
    scores: Mapping[int, Sequence[Decimal]] = field(default_factory=dict)  # criterion -> experts


@dataclass
class Result:
    bid_id: int
    price: Decimal
    priority: bool
    valid: bool
    excluded_reason: str | None
    criterion_scores: dict[int, Decimal]
    technical: Decimal
    evaluated_price: Decimal = ZERO
    price_score: Decimal = ZERO
    bonus: Decimal = ZERO
    total: Decimal = ZERO
    rank: int | None = None
    plain_price_score: Decimal = ZERO
    plain_total: Decimal = ZERO
    plain_rank: int | None = None


def _price_scores(results: list[Result], weight: Decimal, evaluated) -> dict[int, Decimal]:
    prices = {r.bid_id: evaluated(r) for r in results}
    lowest = min(prices.values(), default=None)
    return {bid: points(weight * lowest / price) for bid, price in prices.items()}


def _rank(results: list[Result], total, first) -> list[Result]:
    """Sort by total (desc), then ``first`` (priority in a tie, if any), price, bid id."""
    ordered = sorted(results, key=lambda r: (-total(r), 0 if first(r) else 1, r.price, r.bid_id))
    return ordered


def rank_bids(bids: Sequence[BidInput], *, rule: PriorityRule, value: Decimal,
              price_weight: Decimal) -> list[Result]:
    """Results for every bid, ranked ones first in rank order, then the excluded ones."""
    results: list[Result] = []
    for b in bids:
        averages = {c: average(list(s)) for c, s in b.scores.items()}
        reason = None
        if rule == PriorityRule.RESTRICTED and not b.priority:
            reason = BELOW_PRIORITY_GRADE
        elif not b.valid:
            reason = b.invalid_reason or INVALID_AT_OPENING
        results.append(Result(
            bid_id=b.bid_id, price=b.price, priority=b.priority, valid=reason is None,
            excluded_reason=reason, criterion_scores=averages,
            technical=sum(averages.values(), ZERO)))
    ranked = [r for r in results if r.valid]
    # With no priority at all (restricted still limits who is valid: that is eligibility).
    plain = _price_scores(ranked, price_weight, lambda r: r.price)
    deduction = value if rule == PriorityRule.PRICE_DEDUCTION else ZERO
    with_priority = _price_scores(
        ranked, price_weight,
        lambda r: points(r.price * (HUNDRED - deduction) / HUNDRED) if r.priority else r.price)
    bonus = value if rule == PriorityRule.SCORE_BONUS else ZERO
    for r in ranked:
        r.evaluated_price = (points(r.price * (HUNDRED - deduction) / HUNDRED)
                             if r.priority and deduction else r.price)
        r.price_score = with_priority[r.bid_id]
        r.bonus = bonus if r.priority else ZERO
        r.total = r.technical + r.price_score + r.bonus
        r.plain_price_score = plain[r.bid_id]
        r.plain_total = r.technical + r.plain_price_score
    tie_break = rule == PriorityRule.TIE_BREAK
    for n, r in enumerate(_rank(ranked, lambda r: r.total,
                                lambda r: tie_break and r.priority), start=1):
        r.rank = n
    for n, r in enumerate(_rank(ranked, lambda r: r.plain_total, lambda r: False), start=1):
        r.plain_rank = n
    for r in results:
        if not r.valid:
            r.evaluated_price = r.price
    return sorted(ranked, key=lambda r: r.rank) + [r for r in results if not r.valid]
