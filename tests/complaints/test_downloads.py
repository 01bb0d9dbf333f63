"""The complaint lists as CSV and Excel: the public outcomes (never who complained), and
the work list of civil affairs, auditors and departments, each in its own scope."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from market.complaints import queries
from market.complaints.models import Complaint, ComplaintStatus
from market.complaints.views import OUTCOMES
from tests.core.downloads import both, client_for, csv_rows
from tests.factories import user


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_public_outcomes_download_without_the_complainant(app, demo, session, language):
    answered = list(session.scalars(select(Complaint).where(
        Complaint.status == ComplaintStatus.ANSWERED)))
    assert answered
    rows, sheet = both(client_for(app, None, language), "/complaints/")
    with app.test_request_context(), force_locale(language):
        assert rows[0] == sheet[0] == OUTCOMES.header()
    assert len(rows) - 1 == len(sheet) - 1 == len(answered)
    assert {r[1] for r in rows[1:]} == {c.subject_title for c in answered}
    text = str(rows) + str(sheet)
    for c in session.scalars(select(Complaint)):
        for secret in (c.contact_name, c.contact_phone, c.text):
            assert not secret or secret not in text


def test_the_work_list_downloads_in_each_readers_scope(app, demo, session):
    everything = session.scalars(select(Complaint)).all()
    overdue = {c.id for c in queries.overdue(session)}
    assert overdue and len(everything) >= 2
    for username in ("auditor", "civil"):
        rows, sheet = both(client_for(app, username, "en"), "/complaints/work")
        assert rows[0][:5] == ["#", "Subject kind", "Subject", "Status", "Overdue"]
        assert sorted(int(r[0]) for r in rows[1:]) == sorted(c.id for c in everything)
        assert len(sheet) == len(rows)
        assert {int(r[0]) for r in rows[1:] if r[4] == "Yes"} == overdue
    dept = user(session, "dept")
    rows = csv_rows(client_for(app, "dept", "en").get("/complaints/work?format=csv"))
    mine = {c.id for c in everything if c.department_id == dept.department_id
            and c.status != ComplaintStatus.FILED}
    assert {int(r[0]) for r in rows[1:]} == mine != {c.id for c in everything}


def test_the_work_list_is_closed_to_the_public_and_organizations(app, demo, session):
    for username in (None, "org"):
        response = client_for(app, username).get("/complaints/work?format=csv")
        assert response.status_code in (302, 403)
        assert "attachment" not in response.headers.get("Content-Disposition", "")
