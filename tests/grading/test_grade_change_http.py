"""Civil affairs downgrades a grade from the cycles page's form (no script involved)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from market.clock import now
from market.grading.grades import grade_at, record_grade
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization


def test_downgrade_through_the_form(client, auth, session, demo):
    org = session.scalar(select(Organization).where(Organization.status == OrgStatus.ACTIVE)
                         .order_by(Organization.id.desc()))
    record_grade(session, org.id, 4, dt.date(2024, 1, 1), source="evaluation")
    session.commit()
    auth.login("civil")
    response = client.post("/evaluations/grade-changes", data={
        "organization_id": str(org.id), "grade": "2", "reason": "年检不合格"})
    assert response.status_code in (302, 303)
    session.expire_all()
    assert grade_at(session, org.id, now() + dt.timedelta(days=1)) == 2
    assert grade_at(session, org.id, dt.date(2024, 6, 1)) == 4


def test_a_bad_organization_id_is_refused_and_changes_nothing(client, auth, session, demo):
    auth.login("civil")
    response = client.post("/evaluations/grade-changes", data={
        "organization_id": "x", "grade": "2", "reason": "r"})
    assert 400 <= response.status_code < 500
