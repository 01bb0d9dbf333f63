"""The working-day calendar (工作日历): Monday to Friday, except the holidays and the
weekend workdays (调休) the operator records. Challenge windows count working days."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.permissions import Permission
from market.auditlog.services import record
from market.clock import LOCAL_TZ
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.tenders.models import CalendarDay


def _overrides(session: Session, start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    rows = session.execute(select(CalendarDay.day, CalendarDay.is_workday)
                           .where(CalendarDay.day >= start, CalendarDay.day <= end))
    return {day: workday for day, workday in rows}


def is_working_day(session: Session, day: dt.date) -> bool:
    override = _overrides(session, day, day).get(day)
    return override if override is not None else day.weekday() < 5


def add_working_days(session: Session, start: dt.date | dt.datetime, n: int):
    """The n-th working day after ``start`` (n ≥ 0; 0 returns ``start``).

    A date gives a date. A datetime is counted in Asia/Shanghai and keeps its local time
    of day; the answer is in UTC. E.g. an award on Friday 10:00 with n=1 → Monday 10:00
    (unless Monday is a holiday).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    is_datetime = isinstance(start, dt.datetime)
    local = start.astimezone(LOCAL_TZ) if is_datetime else None
    day = local.date() if is_datetime else start
    overrides: dict[dt.date, bool] = {}
    loaded_until = day
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day > loaded_until:  # one query per two months of calendar
            loaded_until = day + dt.timedelta(days=60)
            overrides.update(_overrides(session, day, loaded_until))
        working = overrides.get(day)
        if working if working is not None else day.weekday() < 5:
            counted += 1
    if not is_datetime:
        return day
    result = dt.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=LOCAL_TZ)
    return result.astimezone(dt.timezone.utc)


def start_day(start) -> dt.date:
    return start.astimezone(LOCAL_TZ).date() if isinstance(start, dt.datetime) else start


def end_of_working_day(session: Session, start: dt.date | dt.datetime, n: int) -> dt.datetime:
    """The end (23:59:59 Beijing time) of the n-th working day after ``start``, in UTC."""
    day = add_working_days(session, start_day(start), n)
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LOCAL_TZ)\
        .astimezone(dt.timezone.utc)


def days_in(session: Session, year: int) -> list[CalendarDay]:
    return list(session.scalars(select(CalendarDay).where(
        CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))
        .order_by(CalendarDay.day)))


def years(session: Session) -> list[int]:
    return sorted({d.year for d in session.scalars(select(CalendarDay.day))})


def _operator(actor) -> None:
    if actor is None or not actor.can(Permission.CALENDAR_MANAGE):
        raise Forbidden(_l("Only the platform operator keeps the working-day calendar."))


def set_day(session: Session, actor, day: dt.date, is_workday: bool, note: str = ""
            ) -> CalendarDay:
    """Record a holiday on a weekday, or a workday on a weekend."""
    _operator(actor)
    if not isinstance(day, dt.date):
        raise Invalid(_l("Enter a date."), field="day")
    default = day.weekday() < 5
    if bool(is_workday) == default:
        raise Invalid(_l("That day is already a working day (weekday) or a rest day "
                         "(weekend); record only exceptions."), field="is_workday")
    if session.scalar(select(CalendarDay.id).where(CalendarDay.day == day)):
        raise Conflict(_l("This day is already in the calendar."), field="day")
    row = CalendarDay(day=day, is_workday=bool(is_workday), note=(note or "").strip()[:100])
    session.add(row)
    session.flush()
    record(session, actor, "calendar_day", row.id, "set", None,
           "workday" if row.is_workday else "holiday", f"{day.isoformat()} {row.note}".strip())
    return row


def remove_day(session: Session, actor, day_id: int) -> None:
    _operator(actor)
    row = session.get(CalendarDay, day_id)
    if row is None:
        raise NotFound(_l("No such calendar day."))
    record(session, actor, "calendar_day", row.id, "remove",
           "workday" if row.is_workday else "holiday", None, row.day.isoformat())
    session.delete(row)
