"""The whole cycle through HTTP: open → apply → assign → score → notice → announce →
the public profile shows the grade."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from market.accounts.models import User
from market.grading.models import GradeCycle, GradeEvaluation
from tests.factories import PASSWORD, AnnualReportFactory, org_member


def login(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_cycle_through_http(app, session, demo, travel):
    travel(2026, 4, 1, 2)
    org, member_user = org_member(session, registered_on=dt.date(2022, 1, 1))
    AnnualReportFactory(organization=org, year=2025)  # art. 7(1): last year's inspection
    member = member_user.username
    evaluator = session.scalar(select(User).where(User.username == "evaluator"))
    session.commit()
    civil = login(app, "civil")

    assert civil.post("/evaluations/cycles", data={"year": "2026", "reference_date": "2026-04-01",
                                                   "notice_days": "7"}).status_code == 302
    cycle = session.scalar(select(GradeCycle).where(GradeCycle.year == 2026))
    page = civil.get(f"/evaluations/cycles/{cycle.id}").get_data(as_text=True)
    assert org.name in page

    mine = login(app, member)
    assert "/my/grade-evaluations" in mine.get("/my/standing").get_data(as_text=True)
    mine.post("/my/grade-evaluations", data={"cycle_id": cycle.id})
    session.expire_all()
    ev = session.scalar(select(GradeEvaluation))
    assert ev is not None and ev.organization_id == org.id

    civil.post(f"/evaluations/grade-evaluations/{ev.id}/assign",
               data={"agency_id": evaluator.agency_id})
    scorer = login(app, "evaluator")
    form = scorer.get(f"/evaluations/grade-evaluations/{ev.id}/score")
    assert form.status_code == 200
    ids = [i.id for i in cycle.indicators]
    scorer.post(f"/evaluations/grade-evaluations/{ev.id}/score",
                data={f"indicator_{i}": p for i, p in zip(ids, ["150", "330", "300", "140"])})
    session.expire_all()
    assert (session.get(GradeEvaluation, ev.id).proposed_grade) == 4  # 920

    civil.post(f"/evaluations/cycles/{cycle.id}/notice")
    assert org.name in app.test_client().get("/grades/notices").get_data(as_text=True)
    travel(2026, 4, 9, 2)
    civil.post(f"/evaluations/cycles/{cycle.id}/announce")
    profile = app.test_client().get(f"/organizations/{org.id}").get_data(as_text=True)
    # Five years from 2026-04-09: the last valid day (one date, market.grading.models
    # ``last_valid_day``), not the exclusive end stored.
    assert "4A" in profile and "2031-04-08" in profile and "2031-04-09" not in profile


def test_errors_come_back_as_messages_and_store_nothing(app, session, demo):
    session.commit()
    civil = login(app, "civil")
    response = civil.post("/evaluations/cycles", data={"year": "x"},
                          headers={"Referer": "http://localhost/evaluations/cycles"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "请填写所有必填项" in html and 'href="/evaluations/cycles"' in html
    assert session.scalar(select(GradeCycle)) is None
