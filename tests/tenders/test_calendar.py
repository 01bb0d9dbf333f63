"""The working-day calendar: weekends, holidays and weekend workdays (调休)."""
from __future__ import annotations

import datetime as dt

import pytest

from market.clock import LOCAL_TZ
from market.errors import Forbidden, Invalid
from market.tenders.calendar import add_working_days, end_of_working_day, set_day
from tests.factories import user

D = dt.date


def test_plain_weeks(app, session):
    assert add_working_days(session, D(2026, 9, 4), 1) == D(2026, 9, 7)  # Fri -> Mon
    assert add_working_days(session, D(2026, 9, 1), 7) == D(2026, 9, 10)
    assert add_working_days(session, D(2026, 9, 5), 0) == D(2026, 9, 5)


def test_holidays_and_weekend_workdays(app, demo, session):
    civil = user(session, "civil")
    for day in range(1, 8):  # 国庆: 1-7 October; 1, 2, 5, 6, 7 are weekdays in 2026
        if D(2026, 10, day).weekday() < 5:
            set_day(session, civil, D(2026, 10, day), False, "国庆节")
    set_day(session, civil, D(2026, 10, 10), True, "国庆调休")  # a Saturday
    session.commit()
    # Awarded Wednesday 30 September: 7 working days = 8, 9, 10 (Sat, worked), 12, 13, 14, 15.
    assert add_working_days(session, D(2026, 9, 30), 7) == D(2026, 10, 15)
    awarded = dt.datetime(2026, 9, 30, 10, 0, tzinfo=LOCAL_TZ)
    at = add_working_days(session, awarded, 7)
    assert at.tzinfo is not None and at.astimezone(LOCAL_TZ) == \
        dt.datetime(2026, 10, 15, 10, 0, tzinfo=LOCAL_TZ)
    end = end_of_working_day(session, awarded, 7).astimezone(LOCAL_TZ)
    assert (end.date(), end.hour, end.minute) == (D(2026, 10, 15), 23, 59)


def test_only_the_operator_edits_and_only_exceptions(app, demo, session):
    with pytest.raises(Forbidden):
        set_day(session, user(session, "dept"), D(2026, 10, 1), False, "")
    with pytest.raises(Invalid):
        set_day(session, user(session, "civil"), D(2026, 10, 3), False, "")  # a Saturday


def test_calendar_page(app, demo, client, auth):
    auth.login("civil")
    response = client.post("/tenders/calendar", data={"day": "2026-10-01", "kind": "holiday",
                                                      "note": "国庆节"})
    assert response.status_code == 302
    page = client.get("/tenders/calendar?year=2026").get_data(as_text=True)
    assert "2026-10-01" in page and "国庆节" in page
    again = client.post("/tenders/calendar", data={"day": "2026-10-01", "kind": "holiday"})
    assert again.status_code == 409 and "该日期已在工作日历中" in again.get_data(as_text=True)
    auth.logout()
    auth.login("dept")
    assert client.get("/tenders/calendar").status_code == 403
