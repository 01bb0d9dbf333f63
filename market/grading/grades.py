"""Reading an organization's grade at a date: one query, used by every eligibility rule —
and the rule that a grade decision takes effect no earlier than the day it is recorded,
unless it is a correction (更正), marked and audit-logged with its reason."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.auditlog.services import record
from market.clock import LOCAL_TZ, today_local
from market.errors import Invalid
from market.grading.models import OrgGrade


def _as_date(at: dt.date | dt.datetime) -> dt.date:
    if isinstance(at, dt.datetime):
        return at.astimezone(LOCAL_TZ).date()
    return at


def grade_row_at(session: Session, organization_id: int, at: dt.date | dt.datetime, *,
                 known_at: dt.datetime | None = None) -> OrgGrade | None:
    """The grade decision valid on ``at`` (local date), or None.

    When several decisions cover the date, the latest recorded one wins (a downgrade
    recorded later overrides the announcement it corrects). ``known_at``: only decisions
    recorded by that moment count — the grade as the record stood then (a bid deadline).
    """
    day = _as_date(at)
    stmt = select(OrgGrade).where(OrgGrade.organization_id == organization_id,
                                  OrgGrade.valid_from <= day, OrgGrade.valid_until > day)
    if known_at is not None:
        stmt = stmt.where(OrgGrade.recorded_at <= known_at)
    return session.scalar(stmt.order_by(OrgGrade.recorded_at.desc(), OrgGrade.id.desc())
                          .limit(1))


def grade_at(session: Session, organization_id: int, at: dt.date | dt.datetime, *,
             known_at: dt.datetime | None = None) -> int:
    """The grade (1..5) valid on ``at`` (local date), or 0 when none is."""
    row = grade_row_at(session, organization_id, at, known_at=known_at)
    return row.grade if row is not None else 0


def has_priority(session: Session, organization_id: int, at: dt.date | dt.datetime) -> bool:
    return grade_at(session, organization_id, at) >= policy.value("priority_grade")


def check_effective(effective: dt.date, correction: bool, reason: str | None) -> str | None:
    """The cleaned correction reason, after refusing a decision dated back before today
    (the day it is recorded) that is not a correction with a reason."""
    reason = (reason or "").strip() or None
    if correction and not reason:
        raise Invalid(_l("A correction (更正) needs its reason; it is recorded in the audit "
                         "log."), field="correction_reason")
    if effective < today_local() and not correction:
        raise Invalid(_l("A grade change takes effect on the day it is recorded (%(today)s) "
                         "or later. To date it back, mark it as a correction (更正) and give "
                         "the reason.", today=today_local().isoformat()), field="effective")
    return reason if correction else None


def record_grade(session: Session, organization_id: int, grade: int, valid_from: dt.date,
                 *, source: str = "evaluation", note: str | None = None,
                 correction: bool = False, correction_reason: str | None = None,
                 actor=None) -> OrgGrade:
    """Record an announced grade, valid for five years (policy grade_validity_years) from
    ``valid_from``. The writer of announcements (dated today, grading cycles) and of
    imported grades (dated when they were announced); a person's change of a grade goes
    through ``services.standing.change_grade``, which refuses a date before today unless
    it is a correction. ``correction``: mark the row and audit-log the reason."""
    if grade not in range(0, 6):
        raise ValueError("grade must be 0..5")
    reason = check_effective(valid_from, True, correction_reason) if correction else None
    years = policy.value("grade_validity_years")
    try:
        until = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February
        until = valid_from.replace(year=valid_from.year + years, day=28)
    row = OrgGrade(organization_id=organization_id, grade=grade, valid_from=valid_from,
                   valid_until=until, source=source, note=note,
                   correction=reason is not None, correction_reason=reason)
    session.add(row)
    session.flush()
    if reason is not None:
        record(session, actor, "organization", organization_id, "grade_correction", None,
               f"{grade}A from {valid_from.isoformat()}", reason)
    return row


def grades_at(session: Session, organization_ids, at: dt.date | dt.datetime) -> dict[int, int]:
    """The grade (1..5, 0 revoked) valid on ``at`` of each organization holding a decision
    that covers the date — :func:`grade_row_at` for many organizations in one query (the
    latest recorded decision wins); organizations without one are absent."""
    ids = list(organization_ids)
    if not ids:
        return {}
    day = _as_date(at)
    rows = session.execute(
        select(OrgGrade.organization_id, OrgGrade.grade)
        .where(OrgGrade.organization_id.in_(ids), OrgGrade.valid_from <= day,
               OrgGrade.valid_until > day)
        .order_by(OrgGrade.recorded_at, OrgGrade.id))
    return {org_id: grade for org_id, grade in rows}  # later rows overwrite earlier ones
