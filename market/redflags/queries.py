"""Reads for the red-flags pages: every detector run over one scope, with reviews.

Computed on demand (no cache): each detector is one bounded query, so a page costs one
query per kind plus two for the reviews (and their reviewers) and one for the department
names, whatever the number of flags, and always
shows what the facts raise now. The list is filtered and paginated in memory because the
counts per kind need every flag of the scope anyway.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from market.accounts.models import Department
from market.catalogs.models import Catalog
from market.redflags.detectors import DETECTORS, Flag, Scope
from market.redflags.models import FlagReview

REVIEW_STATES = ("open", "reviewed")


@dataclass
class FlagList:
    flags: list[Flag]  # after the kind and review filters
    counts: dict[str, int]  # kind -> flags of the scope (every kind, before those filters)
    reviewed: dict[str, int]  # kind -> reviewed flags of the scope

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open(self) -> int:
        return self.total - sum(self.reviewed.values())


def compute(session: Session, scope: Scope, kinds=None) -> list[Flag]:
    """Every flag of ``kinds`` (default: all) in ``scope``, with reviews and department
    names filled in, ordered by fiscal year (newest first), kind and key."""
    flags: list[Flag] = []
    for kind, det in DETECTORS.items():
        if kinds is None or kind in kinds:
            flags.extend(det.compute(session, scope))
    if not flags:
        return flags
    reviews = {r.key: r for r in session.scalars(
        select(FlagReview).options(selectinload(FlagReview.reviewed_by))
        .where(FlagReview.key.in_({f.key for f in flags})))}
    departments = {d.id: d for d in session.scalars(
        select(Department).where(Department.id.in_(
            {f.department_id for f in flags if f.department_id is not None})))}
    order = list(DETECTORS)
    for f in flags:
        f.review = reviews.get(f.key)
        f.department = departments.get(f.department_id)
    flags.sort(key=lambda f: (-(f.fiscal_year or 0), order.index(f.kind), f.key))
    return flags


def flag_list(session: Session, scope: Scope, kind: str | None = None,
              state: str | None = None) -> FlagList:
    flags = compute(session, scope)
    counts = Counter(f.kind for f in flags)
    reviewed = Counter(f.kind for f in flags if f.review is not None)
    shown = [f for f in flags if (kind is None or f.kind == kind)
             and (state is None or (f.review is not None) == (state == "reviewed"))]
    return FlagList(shown, {k: counts.get(k, 0) for k in DETECTORS},
                    {k: reviewed.get(k, 0) for k in DETECTORS})


def find(session: Session, key: str) -> Flag | None:
    """The flag raised now under ``key`` (any year and department), or None."""
    kind = key.split(":", 1)[0]
    if kind not in DETECTORS:
        return None
    return next((f for f in compute(session, Scope(), {kind}) if f.key == key), None)


def open_count(session: Session) -> int:
    """Flags raised now that no auditor has reviewed (the auditor's home panel)."""
    return sum(1 for f in compute(session, Scope()) if f.review is None)


def fiscal_years(session: Session) -> list[int]:
    return list(session.scalars(select(Catalog.fiscal_year).distinct()
                                .order_by(Catalog.fiscal_year.desc())))


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).where(Department.is_finance.is_(False))
                                .order_by(Department.id)))
