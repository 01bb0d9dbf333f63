"""Grading eligibility through HTTP (民政部令第39号 第六条、第七条): each exclusion shown with
its reason on the organization's standing page in both languages; an application refused
with the reason, changing nothing; the boundaries to the day."""
from __future__ import annotations

import datetime as dt

import pytest

from market.auditlog.models import AuditEntry
from market.grading.models import GradeEvaluation
from market.grading.services import cycles
from market.orgs import sanctions
from market.orgs.enums import InspectionResult as R
from tests.factories import PASSWORD, AnnualReportFactory, org_member, user
from tests.probes import row_counts

REF = dt.date(2026, 3, 1)


@pytest.fixture
def cycle(demo, session, travel):
    travel(2026, 3, 1, 2)
    opened = cycles.open_cycle(session, user(session, "civil"), 2026, REF)
    session.commit()
    return opened


def _member(session, *, registered_on=dt.date(2020, 1, 1), reports=((2025, R.PASS),),
            penalties=()):
    org, member = org_member(session, registered_on=registered_on, reports=False)
    for year, result in reports:
        AnnualReportFactory(organization=org, year=year, result=result)
    for kind, imposed, ends in penalties:
        sanctions.record_sanction(session, user(session, "civil"), org.id, kind=kind,
                                  imposed_on=imposed, ends_on=ends, authority="昆山市民政局",
                                  reason="违规开展活动")
    session.commit()
    return org, member


def _client(app, member, language="zh"):
    client = app.test_client()
    assert client.post("/login", data={"username": member.username,
                                       "password": PASSWORD}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    return client


def _counts(session):
    return row_counts(session, GradeEvaluation, AuditEntry)


CASES = {
    "no report": (dict(reports=()),
                  "不予评估：未参加2025年度年度检查（未报送年度报告）。",
                  "Excluded: no annual report was filed for the 2025 annual inspection."),
    "no result": (dict(reports=((2025, None),)),
                  "不予评估：2025年度年度检查尚无结论。",
                  "Excluded: the 2025 annual inspection has no result yet."),
    "failed": (dict(reports=((2025, R.FAIL),)),
               "不予评估：2025年度年检不合格。",
               "Excluded: the annual inspection for 2025 was failed."),
    "basic twice": (dict(reports=((2024, R.BASIC_PASS), (2025, R.BASIC_PASS))),
                    "不予评估：2024、2025年度年检连续基本合格。",
                    "Excluded: the annual inspections for 2024 and 2025 were both only "
                    "basically passed."),
    "penalty last year": (dict(penalties=(("fine", dt.date(2025, 6, 1),
                                           dt.date(2025, 6, 30)),)),
                          "不予评估：2025年度受到行政处罚（罚款，2025-06-01）。",
                          "Excluded: an administrative penalty (Fine) was imposed on "
                          "2025-06-01, in 2025."),
    "penalty not executed": (dict(penalties=(("warning", dt.date(2024, 6, 1), None),)),
                             "不予评估：2024-06-01受到的行政处罚（警告）尚未执行完毕。",
                             "Excluded: an administrative penalty (Warning) imposed on "
                             "2024-06-01 has not been executed or lifted yet."),
    "investigation": (dict(penalties=(("investigation", dt.date(2026, 2, 1), None),)),
                      "不予评估：自2026-02-01起被立案调查。",
                      "Excluded: under investigation since 2026-02-01."),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_exclusion_is_shown_and_refuses_the_application(app, session, cycle, case):
    fields, zh, en = CASES[case]
    _, member = _member(session, **fields)
    client = _client(app, member)
    page = client.get("/my/standing").get_data(as_text=True)
    assert "本年度不予评估，原因如下" in page and zh in page
    before = _counts(session)
    refused = client.post("/my/grade-evaluations", data={"cycle_id": cycle.id})
    assert refused.status_code == 409 and zh in refused.get_data(as_text=True)
    english = _client(app, member, "en")
    page = english.get("/my/standing").get_data(as_text=True)
    assert "Not evaluated this year, for these reasons" in page and en in page
    refused = english.post("/my/grade-evaluations", data={"cycle_id": cycle.id})
    assert refused.status_code == 409 and en in refused.get_data(as_text=True)
    assert _counts(session) == before


def test_every_exclusion_is_listed_not_only_the_first(app, session, cycle):
    _, member = _member(session, reports=((2025, R.FAIL),),
                        penalties=(("investigation", dt.date(2026, 2, 1), None),))
    page = _client(app, member).get("/my/standing").get_data(as_text=True)
    assert "不予评估：2025年度年检不合格。" in page and "不予评估：自2026-02-01起被立案调查。" in page


@pytest.mark.parametrize("language,eligible", [
    ("zh", "符合条件：登记满两年且从未参加等级评估。"),
    ("en", "Eligible: registered for at least two full years and never graded.")])
def test_an_eligible_organization_sees_no_exclusion_and_applies(app, session, cycle,
                                                                 language, eligible):
    _, member = _member(session)
    client = _client(app, member, language)
    page = client.get("/my/standing").get_data(as_text=True)
    assert eligible in page
    assert "本年度不予评估" not in page and "Not evaluated this year" not in page
    assert client.post("/my/grade-evaluations", data={"cycle_id": cycle.id}).status_code == 302
    assert row_counts(session, GradeEvaluation)["GradeEvaluation"] == 1


# --- boundaries, to the day -----------------------------------------------------------------

def _applies(app, session, cycle, **fields) -> bool:
    _, member = _member(session, **fields)
    before = _counts(session)
    response = _client(app, member).post("/my/grade-evaluations", data={"cycle_id": cycle.id})
    assert response.status_code in (302, 409)
    if response.status_code == 409:
        assert _counts(session) == before
    return response.status_code == 302


def test_registered_two_full_years_on_the_reference_date(app, session, cycle):
    assert _applies(app, session, cycle, registered_on=dt.date(2024, 3, 1))
    assert not _applies(app, session, cycle, registered_on=dt.date(2024, 3, 2))


def test_a_penalty_imposed_last_year_excludes_one_the_year_before_does_not(app, session,
                                                                           cycle):
    assert _applies(app, session, cycle, penalties=(
        ("fine", dt.date(2024, 12, 31), dt.date(2025, 1, 10)),))
    assert not _applies(app, session, cycle, penalties=(
        ("fine", dt.date(2025, 1, 1), dt.date(2025, 1, 10)),))


def test_an_investigation_excludes_through_its_last_day(app, session, cycle):
    assert _applies(app, session, cycle, penalties=(
        ("investigation", dt.date(2025, 1, 1), dt.date(2026, 2, 28)),))
    assert not _applies(app, session, cycle, penalties=(
        ("investigation", dt.date(2025, 1, 1), dt.date(2026, 3, 1)),))
