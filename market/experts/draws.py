"""The random draw (随机抽取) itself: pure functions, no database, no clock.

财政部令第87号 第四十八条 asks that the experts be drawn at random from the relevant
specialty of the expert pool; 第四十七条 fixes the committee's shape (an odd number of at
least five members, experts at least two thirds of them). ``draw`` is what the platform
runs and what an auditor replays: the same snapshot, seed, size and exclusions always give
the same experts, on any machine (``random.Random`` seeded with an integer, over the pool
sorted by id).

The whole sorted pool is shuffled once and the excluded skipped, so excluding one more
expert (a replacement) keeps every other member and brings in the next in line.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def draw(pool_snapshot: Iterable[Mapping], seed: str, size: int,
         exclusions: Mapping[str, str] | Iterable) -> list[int]:
    """Up to ``size`` expert ids from ``pool_snapshot`` ([{"id": ...}, ...]) in drawn
    order, skipping ``exclusions`` (ids, or a mapping id -> reason; keys may be strings)."""
    excluded = {int(k) for k in exclusions}
    order = sorted({int(e["id"]) for e in pool_snapshot})
    random.Random(int(seed, 16)).shuffle(order)
    return [i for i in order if i not in excluded][:max(size, 0)]


@dataclass(frozen=True)
class Composition:
    """A committee's shape: ``members`` in all, ``experts`` of them drawn."""

    members: int
    experts: int

    @property
    def representatives(self) -> int:
        return self.members - self.experts


def composition_problem(members: int, representatives: int, *, min_members: int,
                        expert_thirds: int) -> str | None:
    """Which rule of 第四十七条 the shape breaks (a code), or None when it is lawful."""
    if members < min_members:
        return "too_few"
    if members % 2 == 0:
        return "even"
    if representatives < 0 or representatives > members:
        return "representatives"
    if (members - representatives) * 3 < members * expert_thirds:
        return "expert_share"
    return None


@dataclass(frozen=True)
class ReplayStep:
    label: str  # "draw" or the step's reason
    expected: list[int]
    recomputed: list[int]

    @property
    def matches(self) -> bool:
        return self.expected == self.recomputed


def replay(pool_snapshot, seed: str, size: int, exclusions: Mapping[str, str],
           result: list[int], steps: Iterable[tuple[int, str, list[int]]]
           ) -> list[ReplayStep]:
    """Recompute the first draw and each replacement (expert id, reason, stored result)
    from the record alone; each ``ReplayStep`` says whether it matches what was stored."""
    excluded = dict(exclusions)
    out = [ReplayStep("draw", list(result), draw(pool_snapshot, seed, size, excluded))]
    for expert_id, reason, stored in steps:
        excluded[str(expert_id)] = reason
        out.append(ReplayStep(reason, list(stored), draw(pool_snapshot, seed, size, excluded)))
    return out
