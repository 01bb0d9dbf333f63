"""Reading an organization's grade at a date: one query, used by every eligibility rule."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.clock import LOCAL_TZ
from market.grading.models import GRADE_VALIDITY_YEARS, PRIORITY_GRADE, OrgGrade


def _as_date(at: dt.date | dt.datetime) -> dt.date:
    if isinstance(at, dt.datetime):
        return at.astimezone(LOCAL_TZ).date()
    return at


def grade_at(session: Session, organization_id: int, at: dt.date | dt.datetime) -> int:
    """The grade (1..5) valid on ``at`` (local date), or 0 when none is.

    When several decisions cover the date, the latest recorded one wins (a downgrade
    recorded later overrides the announcement it corrects).
    """
    day = _as_date(at)
    row = session.scalar(
        select(OrgGrade).where(OrgGrade.organization_id == organization_id,
                               OrgGrade.valid_from <= day, OrgGrade.valid_until > day)
        .order_by(OrgGrade.recorded_at.desc(), OrgGrade.id.desc()).limit(1))
    return row.grade if row is not None else 0


def has_priority(session: Session, organization_id: int, at: dt.date | dt.datetime) -> bool:
    return grade_at(session, organization_id, at) >= PRIORITY_GRADE


def record_grade(session: Session, organization_id: int, grade: int, valid_from: dt.date,
                 *, source: str = "evaluation", note: str | None = None) -> OrgGrade:
    """Record an announced grade, valid for five years from ``valid_from``."""
    if grade not in range(0, 6):
        raise ValueError("grade must be 0..5")
    try:
        until = valid_from.replace(year=valid_from.year + GRADE_VALIDITY_YEARS)
    except ValueError:  # 29 February
        until = valid_from.replace(year=valid_from.year + GRADE_VALIDITY_YEARS, day=28)
    row = OrgGrade(organization_id=organization_id, grade=grade, valid_from=valid_from,
                   valid_until=until, source=source, note=note)
    session.add(row)
    session.flush()
    return row
