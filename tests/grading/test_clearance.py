"""清退: the clearance list by rule as of a date, civil affairs' decisions, the pages."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from market.auditlog.models import AuditEntry
from market.errors import Conflict, Forbidden, Invalid
from market.grading.services import clearance
from market.grading.services.clearance import ClearanceReason
from market.grading.grades import record_grade
from market.orgs.enums import OrgStatus, Track
from tests.factories import org_member, user

REGISTERED = dt.date(2020, 1, 1)  # OrganizationFactory's registration date
DUE = dt.date(2025, 1, 1)  # eligible 2022-01-01, three years later


def _listed(session, at) -> dict[int, ClearanceReason]:
    return {l.organization.id: l.reason for l in clearance.clearance_list(session, at)}


def _login(client, username):
    client.post("/logout")
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302


def test_never_evaluated_is_listed_from_the_day_three_years_of_eligibility_end(
        app, demo, session):
    org, _ = org_member(session, registered_on=REGISTERED)
    assert org.registered_on == REGISTERED
    assert org.id not in _listed(session, DUE - dt.timedelta(days=1))
    assert _listed(session, DUE)[org.id] == ClearanceReason.NEVER_EVALUATED
    assert clearance.reason_for(session, org.id, DUE - dt.timedelta(days=1)) is None
    assert clearance.reason_for(session, org.id, DUE) == \
        "Eligible for evaluation for three years and never evaluated"
    # Any grade row at all means it was evaluated; filed and cleared ones are not listed.
    graded, _ = org_member(session, registered_on=REGISTERED)
    record_grade(session, graded.id, 2, dt.date(2021, 6, 1))
    filed, _ = org_member(session, registered_on=REGISTERED)
    filed.track = Track.FILED
    gone, _ = org_member(session, registered_on=REGISTERED)
    gone.status = OrgStatus.CLEARED
    session.commit()
    listed = _listed(session, DUE)
    assert graded.id not in listed and filed.id not in listed and gone.id not in listed
    # A grade recorded only after the date does not count on the date.
    late, _ = org_member(session, registered_on=REGISTERED)
    record_grade(session, late.id, 3, dt.date(2026, 1, 1))
    session.commit()
    assert late.id in _listed(session, DUE)
    assert late.id not in _listed(session, dt.date(2026, 1, 1))


def test_a_29_february_registration(app, demo, session):
    org, _ = org_member(session, registered_on=REGISTERED)
    org.registered_on = dt.date(2016, 2, 29)
    session.commit()
    assert org.id not in _listed(session, dt.date(2021, 2, 27))
    assert org.id in _listed(session, dt.date(2021, 2, 28))


def test_evaluated_without_reaching_a_grade(app, demo, session):
    org, _ = org_member(session, registered_on=REGISTERED)
    record_grade(session, org.id, 3, dt.date(2021, 1, 1))
    zero = record_grade(session, org.id, 0, dt.date(2023, 5, 1), source="evaluation")
    session.commit()
    assert org.id not in _listed(session, dt.date(2023, 4, 30))
    assert _listed(session, dt.date(2023, 5, 1))[org.id] == ClearanceReason.NO_GRADE
    assert clearance.listing_for(session, org.id, dt.date(2023, 5, 1)).key == \
        f"grade-{zero.id:09d}"
    # A later evaluation reaching a grade takes it off; a revocation is not "no grade".
    record_grade(session, org.id, 2, dt.date(2024, 5, 1))
    revoked, _ = org_member(session, registered_on=REGISTERED)
    record_grade(session, revoked.id, 0, dt.date(2023, 5, 1), source="downgrade")
    session.commit()
    assert org.id not in _listed(session, dt.date(2024, 5, 1))
    assert revoked.id not in _listed(session, dt.date(2023, 6, 1))


def test_why_not_keeps_it_off_until_a_new_reason(app, demo, session):
    civil = user(session, "civil")
    org, _ = org_member(session, registered_on=REGISTERED)
    with pytest.raises(Invalid):
        clearance.decide(session, civil, org.id, False, " ", DUE)
    with pytest.raises(Forbidden):
        clearance.decide(session, user(session, "dept"), org.id, False, "x", DUE)
    with pytest.raises(Conflict):  # not listed yet
        clearance.decide(session, civil, org.id, False, "正在整改", DUE - dt.timedelta(days=1))
    session.rollback()
    clearance.decide(session, civil, org.id, False, "已报名参加本年度评估", DUE)
    session.commit()
    assert org.id not in _listed(session, DUE)
    assert clearance.reason_for(session, org.id, dt.date(2027, 12, 31)) is None
    # Another three years without an evaluation is a new reason.
    assert _listed(session, dt.date(2028, 1, 1))[org.id] == ClearanceReason.NEVER_EVALUATED
    # So is an evaluation that reaches no grade.
    record_grade(session, org.id, 0, dt.date(2026, 3, 1), source="evaluation")
    session.commit()
    assert _listed(session, dt.date(2026, 3, 1))[org.id] == ClearanceReason.NO_GRADE
    assert session.scalar(select(AuditEntry).where(
        AuditEntry.object_id == org.id, AuditEntry.action == "clearance_kept")) is not None


def test_civil_affairs_clears_through_the_page(app, demo, session, client):
    org, _ = org_member(session, name="长期未参评服务社", registered_on=REGISTERED)
    _login(client, "dept")
    assert client.get("/clearance/").status_code == 403
    assert client.post(f"/clearance/{org.id}/decision", data={
        "outcome": "clear", "note": "x"}).status_code == 403
    _login(client, "civil")
    page = client.get("/clearance/").get_data(as_text=True)
    assert "长期未参评服务社" in page
    assert client.post(f"/clearance/{org.id}/decision", data={
        "outcome": "clear", "note": ""}).status_code == 422
    assert client.post(f"/clearance/{org.id}/decision", data={
        "outcome": "clear", "note": "逾期未参加评估，经催告仍未参评"}).status_code == 302
    session.expire_all()
    assert session.get(type(org), org.id).status == OrgStatus.CLEARED
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "organization", AuditEntry.object_id == org.id,
        AuditEntry.action == "clear"))
    assert entry is not None and "逾期未参加评估" in entry.reason
    assert "长期未参评服务社" not in client.get("/clearance/").get_data(as_text=True)
