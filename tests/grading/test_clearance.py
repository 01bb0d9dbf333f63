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
from market.grading.services import cycles, standing
from market.orgs.enums import OrgStatus, Track
from tests.factories import org_member, user

REGISTERED = dt.date(2020, 1, 1)  # OrganizationFactory's registration date
DUE = dt.date(2025, 1, 1)  # eligible 2022-01-01, three years later


def _listed(session, at) -> dict[int, ClearanceReason]:
    return {l.organization.id: l.reason for l in clearance.clearance_list(session, at)}


def _all_pages(client) -> str:
    """Every page of the clearance list (the demo lists many), joined."""
    html, number = "", 1
    while True:
        page = client.get(f"/clearance/?page={number}").get_data(as_text=True)
        html += page
        if f"page={number + 1}" not in page or number > 20:
            return html
        number += 1


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
    page = _all_pages(client)
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
    assert "长期未参评服务社" not in _all_pages(client)


# --- each kind through the page, with its dates, to the day (issue 10, part 3) ----------------

def _entry(client, org_id) -> str | None:
    """The clearance page's card for one organization, or None when it is not listed."""
    import re

    html = _all_pages(client)
    found = re.search(rf'<section class="card clearance" id="org-{org_id}">(.*?)</section>',
                      html, re.S)
    return found.group(1) if found else None


def test_a_grade_expired_long_ago_is_listed_three_years_after_it_expired(
        app, demo, session, client, travel):
    org, _ = org_member(session, name="等级过期测试协会", registered_on=dt.date(2010, 1, 1))
    record_grade(session, org.id, 2, dt.date(2015, 6, 1), source="legacy")  # to 2020-06-01
    session.commit()
    _login(client, "civil")
    travel(2023, 5, 31, 2)
    assert _entry(client, org.id) is None
    travel(2023, 6, 1, 2)
    entry = _entry(client, org.id)
    assert "评估等级已过期或被撤销，此后三年内未参加评估" in entry
    assert "自2023-06-01起列入" in entry
    assert "符合评估条件起始日</dt><dd>2020-06-01" in entry
    assert "2015-06-01 · 2A" in entry and "等级到期日</dt><dd>2020-06-01" in entry
    client.post("/language/en", data={"next": "/"})
    entry = _entry(client, org.id)
    assert "Grade expired or revoked, and not evaluated in the three years since" in entry
    assert "Grade expired on</dt><dd>2020-06-01" in entry and "listed since 2023-06-01" in entry


def test_a_revoked_grade_is_listed_three_years_after_the_revocation(
        app, demo, session, client, travel):
    org, _ = org_member(session, name="等级撤销测试服务社", registered_on=dt.date(2012, 1, 1))
    travel(2018, 1, 1, 2)
    record_grade(session, org.id, 3, dt.date(2018, 1, 1), source="legacy")  # to 2023-01-01
    travel(2020, 4, 1, 2)
    standing.change_grade(session, user(session, "civil"), org.id, 0, "受到行政处罚",
                          effective=dt.date(2020, 4, 1))
    session.commit()
    _login(client, "civil")
    travel(2023, 3, 31, 2)
    assert _entry(client, org.id) is None
    travel(2023, 4, 1, 2)
    entry = _entry(client, org.id)
    assert "等级撤销日</dt><dd>2020-04-01" in entry and "2018-01-01 · 3A" in entry
    assert clearance.listing_for(session, org.id, dt.date(2023, 4, 1)).reason == \
        ClearanceReason.LAPSED


def test_never_graded_through_the_page_to_the_day_in_both_languages(
        app, demo, session, client, travel):
    org, _ = org_member(session, name="从未参评测试中心", registered_on=dt.date(2020, 1, 1))
    _login(client, "civil")
    travel(2024, 12, 31, 2)
    assert _entry(client, org.id) is None
    travel(2025, 1, 1, 2)
    entry = _entry(client, org.id)
    assert "符合评估条件三年内未参加评估" in entry and "从未参加评估" in entry
    assert "符合评估条件起始日</dt><dd>2022-01-01" in entry
    client.post("/language/en", data={"next": "/"})
    entry = _entry(client, org.id)
    assert "Eligible for evaluation for three years and never evaluated" in entry
    assert "Never evaluated" in entry and "2022-01-01" in entry


def test_no_grade_through_the_page(app, demo, session, client, travel):
    org, _ = org_member(session, name="未达等级测试协会", registered_on=dt.date(2020, 1, 1))
    record_grade(session, org.id, 0, dt.date(2024, 11, 28), source="evaluation")
    session.commit()
    _login(client, "civil")
    travel(2024, 11, 27, 2)
    entry = _entry(client, org.id)
    assert entry is None or "参加评估但未达到等级" not in entry
    travel(2024, 11, 28, 2)
    entry = _entry(client, org.id)
    assert "参加评估但未达到等级" in entry and "2024-11-28" in entry


def test_taking_part_in_a_cycle_keeps_an_organization_off(app, demo, session, travel):
    from tests.factories import AnnualReportFactory

    org, member = org_member(session, name="已报名参评测试中心",
                             registered_on=dt.date(2020, 1, 1))  # eligible from 2022-01-01
    AnnualReportFactory(organization=org, year=2023)
    travel(2024, 6, 1, 2)
    cycle = cycles.open_cycle(session, user(session, "civil"), 2024, dt.date(2024, 6, 1))
    cycles.apply(session, member, cycle.id)
    session.commit()
    assert org.id not in _listed(session, dt.date(2025, 1, 1))
    # The same case without the application is listed.
    other, _ = org_member(session, name="未报名测试中心", registered_on=dt.date(2020, 1, 1))
    assert other.id in _listed(session, dt.date(2025, 1, 1))


@pytest.mark.parametrize("language,listed,none", [
    ("zh", "评估等级已过期或被撤销，此后三年内未参加评估", "不在清退名单上。"),
    ("en", "Grade expired or revoked, and not evaluated in the three years since",
     "Not on the clearance list.")])
def test_the_standing_page_shows_the_entry_with_its_dates(app, demo, session, travel,
                                                          language, listed, none):
    from tests.factories import PASSWORD

    org, member = org_member(session, registered_on=dt.date(2010, 1, 1))
    record_grade(session, org.id, 2, dt.date(2015, 6, 1), source="legacy")
    session.commit()
    client = app.test_client()
    client.post("/login", data={"username": member.username, "password": PASSWORD})
    client.post(f"/language/{language}", data={"next": "/"})
    travel(2023, 5, 31, 2)
    page = client.get("/my/standing").get_data(as_text=True)
    assert listed not in page and none in page
    travel(2023, 6, 1, 2)
    page = client.get("/my/standing").get_data(as_text=True)
    assert listed in page and "2020-06-01" in page and "2015-06-01" in page
