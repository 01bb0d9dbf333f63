"""Reading an organization's sanctions (行政处罚) at a date: in force, and serious
violations (重大违法记录) within a number of years. Plain reads, no writes."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from market.orgs.models import Sanction


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def sanctions_in_force(session: Session, org_id: int, on: dt.date) -> list[Sanction]:
    """Sanctions in force on ``on``: imposed on or before it, not ended before it
    (``ends_on`` is the last day in force) and not lifted on or before it."""
    return list(session.scalars(select(Sanction).where(
        Sanction.organization_id == org_id, Sanction.imposed_on <= on,
        or_(Sanction.ends_on.is_(None), Sanction.ends_on >= on),
        or_(Sanction.lifted_on.is_(None), Sanction.lifted_on > on))
        .order_by(Sanction.imposed_on, Sanction.id)))


def serious_violation_within(session: Session, org_id: int, years: int,
                             on: dt.date) -> Sanction | None:
    """The latest serious violation imposed within the ``years`` years ending on ``on``
    (前三年内): imposed after the same day ``years`` years earlier and not after ``on``.
    A violation imposed exactly ``years`` years before ``on`` is outside the period."""
    return session.scalar(select(Sanction).where(
        Sanction.organization_id == org_id, Sanction.serious.is_(True),
        Sanction.imposed_on > years_before(on, years), Sanction.imposed_on <= on)
        .order_by(Sanction.imposed_on.desc(), Sanction.id.desc()).limit(1))
