"""A grade change takes effect no earlier than the day it is recorded, unless it is a
correction (更正): marked on the grade record and audit-logged with its reason."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.clock import today_local
from market.grading.models import OrgGrade
from tests.factories import org_member


def _counts(session):
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (OrgGrade, AuditEntry))


def _civil(app, language="zh"):
    client = app.test_client()
    client.post("/login", data={"username": "civil", "password": "demo-pass-2026"})
    if language == "en":
        client.post("/language/en", data={"next": "/"})
    return client


def _change(client, org, effective, **extra):
    return client.post("/evaluations/grade-changes", data={
        "organization_id": str(org.id), "grade": "2", "reason": "年检不合格",
        "effective": effective.isoformat(), **extra})


def test_a_change_dated_today_needs_no_correction(app, demo, session, clock):
    org, _ = org_member(session, grade=4)
    assert _change(_civil(app), org, today_local()).status_code == 302
    row = session.scalar(select(OrgGrade).where(OrgGrade.organization_id == org.id,
                                                OrgGrade.grade == 2))
    assert row.valid_from == today_local() and row.correction is False
    assert row.correction_reason is None


@pytest.mark.parametrize("language, message", [
    ("zh", "等级变更自登记之日（{today}）或之后生效。如需追溯生效，请标记为“更正”并说明理由。"),
    ("en", ("A grade change takes effect on the day it is recorded ({today}) or later. To "
            "date it back, mark it as a correction (更正) and give the reason.")),
])
def test_a_change_dated_yesterday_is_refused_unless_a_correction(app, demo, session, clock,
                                                                 language, message):
    org, _ = org_member(session, grade=4)
    before = _counts(session)
    response = _change(_civil(app, language), org, today_local() - dt.timedelta(days=1))
    assert 400 <= response.status_code < 500
    assert message.format(today=today_local().isoformat()) in response.get_data(as_text=True)
    assert _counts(session) == before


@pytest.mark.parametrize("language, message", [
    ("zh", "更正须说明理由，理由将记入审计日志。"),
    ("en", "A correction (更正) needs its reason; it is recorded in the audit log."),
])
def test_a_correction_without_its_reason_is_refused(app, demo, session, clock, language,
                                                    message):
    org, _ = org_member(session, grade=4)
    before = _counts(session)
    response = _change(_civil(app, language), org, today_local() - dt.timedelta(days=1),
                       correction="1", correction_reason="  ")
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert _counts(session) == before


def test_a_correction_is_marked_and_audit_logged_with_its_reason(app, demo, session, clock):
    org, _ = org_member(session, grade=4)
    back = today_local() - dt.timedelta(days=30)
    response = _change(_civil(app), org, back, correction="1",
                       correction_reason="年检结论录入错误，依复核决定更正")
    assert response.status_code == 302
    row = session.scalar(select(OrgGrade).where(OrgGrade.organization_id == org.id,
                                                OrgGrade.grade == 2))
    assert row.valid_from == back and row.correction is True
    assert row.correction_reason == "年检结论录入错误，依复核决定更正"
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "organization", AuditEntry.object_id == org.id,
        AuditEntry.action == "grade_downgrade").order_by(AuditEntry.id.desc()))
    assert "年检结论录入错误，依复核决定更正" in entry.reason
    assert f"更正 {back.isoformat()}" in entry.reason


@pytest.mark.parametrize("language, words", [
    ("zh", ["生效日期", "更正（对已生效决定的更正）", "更正理由"]),
    ("en", ["Takes effect on", "Correction of a decision already in force",
            "Reason for the correction"]),
])
def test_the_form_offers_the_date_and_the_correction(app, demo, session, language, words):
    page = _civil(app, language).get("/evaluations/cycles")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert all(w in body for w in words)
