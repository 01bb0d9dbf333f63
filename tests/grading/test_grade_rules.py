"""Eligibility and exclusion by rule, scoring thresholds, re-examination, expiry,
downgrade and revocation."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from market.access.permissions import Role
from market.errors import Conflict
from market.grading.services import cycles
from market.grading.services import standing
from market.orgs import sanctions
from market.grading.models import EvaluationState, GradeCycle
from market.grading.eligibility import eligibility
from market.grading.grades import grade_at, record_grade
from market.orgs.enums import InspectionResult as R
from market.orgs.enums import Track
from tests.factories import (AnnualReportFactory, EvaluatorAgencyFactory, EvaluatorFactory,
                             OrganizationFactory, UserFactory, org_member, user)

REF = dt.date(2026, 3, 1)


@pytest.fixture
def cycle(demo, session, travel):
    travel(2026, 3, 1, 2)
    return cycles.open_cycle(session, user(session, "civil"), 2026, REF)


def verdict(session, org, cycle):
    return eligibility(session, org, cycle)


def reported(org, year=2025, result=R.PASS):
    """``org`` with last year's annual report inspected (art. 7(1): one is required)."""
    AnnualReportFactory(organization=org, year=year, result=result)
    return org


def member_of(session, **fields):
    """org_member with last year's annual report inspected and passed."""
    org, user_ = org_member(session, **fields)
    reported(org)
    bound = org.id
    session.commit()
    assert bound
    return org, user_


# --- eligibility -------------------------------------------------------------------------

def test_two_full_years_and_never_graded_is_eligible(demo, session, cycle):
    v = verdict(session, reported(OrganizationFactory(registered_on=dt.date(2024, 3, 1))), cycle)
    assert v.eligible and v.exclusions == []
    assert "never graded" in v.reason or "从未" in v.reason


def test_two_years_less_a_day_is_not_yet_eligible(demo, session, cycle):
    org = reported(OrganizationFactory(registered_on=dt.date(2024, 3, 2)))
    assert not verdict(session, org, cycle).eligible


def test_grade_expiring_this_cycle_is_eligible(demo, session, cycle):
    org = reported(OrganizationFactory())
    record_grade(session, org.id, 3, dt.date(2021, 9, 1))  # valid until 2026-08-31
    assert verdict(session, org, cycle).eligible


def test_grade_valid_beyond_the_cycle_is_not_due(demo, session, cycle):
    org = OrganizationFactory()
    record_grade(session, org.id, 4, dt.date(2022, 1, 5))  # valid until 2027-01-04
    assert not verdict(session, org, cycle).eligible


def test_failed_last_years_annual_report_excludes(demo, session, cycle):
    org = OrganizationFactory()
    AnnualReportFactory(organization=org, year=2025, result=R.FAIL)
    assert not verdict(session, org, cycle).eligible


def test_failure_two_years_ago_does_not_exclude(demo, session, cycle):
    org = OrganizationFactory()
    AnnualReportFactory(organization=org, year=2024, result=R.FAIL)
    AnnualReportFactory(organization=org, year=2025, result=R.PASS)
    assert verdict(session, org, cycle).eligible


def test_two_consecutive_basic_passes_exclude(demo, session, cycle):
    org = OrganizationFactory()
    AnnualReportFactory(organization=org, year=2024, result=R.BASIC_PASS)
    AnnualReportFactory(organization=org, year=2025, result=R.BASIC_PASS)
    assert not verdict(session, org, cycle).eligible


def test_one_basic_pass_does_not_exclude(demo, session, cycle):
    org = OrganizationFactory()
    AnnualReportFactory(organization=org, year=2024, result=R.PASS)
    AnnualReportFactory(organization=org, year=2025, result=R.BASIC_PASS)
    assert verdict(session, org, cycle).eligible


@pytest.mark.parametrize("kind", ["fine", "investigation"])
def test_sanction_in_force_excludes(demo, session, cycle, kind):
    org = reported(OrganizationFactory())
    sanctions.record_sanction(session, user(session, "civil"), org.id, kind=kind,
                              imposed_on=dt.date(2026, 1, 1), authority="昆山市民政局",
                              reason="违规开展活动")
    v = verdict(session, org, cycle)
    assert not v.eligible and len(v.exclusions) == 1 and "2026-01-01" in v.exclusions[0]


def test_penalty_ended_before_reference_date_still_excludes_when_imposed_last_year(
        demo, session, cycle):
    """Art. 7(3): a penalty imposed last year excludes even once executed."""
    org = reported(OrganizationFactory())
    sanctions.record_sanction(session, user(session, "civil"), org.id, kind="fine",
                              imposed_on=dt.date(2025, 12, 31), ends_on=dt.date(2026, 1, 15),
                              authority="昆山市民政局", reason="已整改")
    v = verdict(session, org, cycle)
    assert not v.eligible and v.exclusions == [
        "Excluded: an administrative penalty (Fine) was imposed on 2025-12-31, in 2025."]


def test_penalty_imposed_the_year_before_last_and_ended_does_not_exclude(demo, session,
                                                                          cycle):
    org = reported(OrganizationFactory())
    sanctions.record_sanction(session, user(session, "civil"), org.id, kind="warning",
                              imposed_on=dt.date(2024, 12, 31), ends_on=dt.date(2025, 1, 10),
                              authority="昆山市民政局", reason="已整改")
    assert verdict(session, org, cycle).eligible


def test_an_ended_investigation_does_not_exclude(demo, session, cycle):
    org = reported(OrganizationFactory())
    sanctions.record_sanction(session, user(session, "civil"), org.id, kind="investigation",
                              imposed_on=dt.date(2025, 6, 1), ends_on=dt.date(2026, 2, 28),
                              authority="昆山市公安局", reason="已结案")
    assert verdict(session, org, cycle).eligible


def test_filed_organizations_are_not_graded(demo, session, cycle):
    assert not verdict(session, OrganizationFactory(track=Track.FILED), cycle).eligible


def test_ineligible_organization_cannot_apply(demo, session, cycle):
    _, member = org_member(session, registered_on=dt.date(2025, 1, 1))
    with pytest.raises(Conflict):
        cycles.apply(session, member, cycle.id)


# --- scoring -----------------------------------------------------------------------------

@pytest.mark.parametrize("total,grade", [
    ("1000", 5), ("950", 5), ("949.99", 4), ("900", 4), ("850", 3), ("849.99", 2),
    ("800", 2), ("750", 1), ("749.99", 0), ("0", 0)])
def test_thresholds(total, grade):
    assert cycles.grade_for_total(GradeCycle(
        threshold_5=Decimal(950), threshold_4=Decimal(900), threshold_3=Decimal(850),
        threshold_2=Decimal(800), threshold_1=Decimal(750)), Decimal(total)) == grade


def _through_scoring(session, cycle, points):
    """An organization applies, an agency is assigned and scores ``points``:
    (org, member, evaluator, evaluation)."""
    org, member = member_of(session)
    agency = EvaluatorAgencyFactory()
    evaluator = EvaluatorFactory(agency=agency)
    ev = cycles.apply(session, member, cycle.id)
    cycles.assign(session, user(session, "civil"), ev.id, agency.id)
    ids = [i.id for i in cycle.indicators]
    cycles.score(session, evaluator, ev.id, dict(zip(ids, points)))
    return org, member, evaluator, ev


def test_scoring_849_99_proposes_2a_and_850_3a(demo, session, cycle):
    _, _, _, ev = _through_scoring(session, cycle, ["150", "350", "250", "99.99"])
    assert (ev.total, ev.proposed_grade) == (Decimal("849.99"), 2)
    _, _, _, ev = _through_scoring(session, cycle, ["150", "350", "250", "100"])
    assert (ev.total, ev.proposed_grade) == (Decimal("850.00"), 3)


def test_more_than_the_indicator_allows_is_refused(demo, session, cycle):
    from market.errors import Invalid
    with pytest.raises(Invalid):
        _through_scoring(session, cycle, ["151", "350", "250", "100"])


def test_indicator_table_and_thresholds_are_editable_until_scoring(demo, session, cycle):
    cycles.configure(session, user(session, "civil"), cycle.id,
                     [("基础条件", "Basic", "200"), ("工作绩效", "Performance", "800")],
                     {5: "960", 4: "910", 3: "860", 2: "810", 1: "760"})
    assert [i.max_points for i in cycle.indicators] == [200, 800]
    _, _, _, ev = _through_scoring(session, cycle, ["200", "655"])
    assert ev.proposed_grade == 2  # 855 < 860
    with pytest.raises(Conflict):
        cycles.configure(session, user(session, "civil"), cycle.id, [("a", "a", "1000")],
                         {5: "950", 4: "900", 3: "850", 2: "800", 1: "750"})


def test_assigning_a_conflicted_agency_is_refused(demo, session, cycle):
    from market.grading.services import agencies
    org, member = member_of(session)
    agency = EvaluatorAgencyFactory()
    agencies.declare_relation(session, EvaluatorFactory(agency=agency), org.id, "related",
                              on_behalf_of_agency=True, note="同一发起人")
    ev = cycles.apply(session, member, cycle.id)
    with pytest.raises(Conflict):
        cycles.assign(session, user(session, "civil"), ev.id, agency.id)
    assert ev.state == EvaluationState.APPLIED


# --- notice, re-examination, announcement -------------------------------------------------

def _on_notice(session, cycle, travel):
    org, member, evaluator, ev = _through_scoring(session, cycle, ["140", "320", "300", "140"])
    travel(2026, 9, 1, 2)
    cycles.publish_notice(session, user(session, "civil"), cycle.id)
    return org, member, evaluator, ev


def test_announce_only_after_the_notice_period(demo, session, cycle, travel):
    org, member, _, ev = _on_notice(session, cycle, travel)
    with pytest.raises(Conflict):
        cycles.announce(session, user(session, "civil"), cycle.id)
    travel(2026, 9, 8, 2)
    cycles.announce(session, user(session, "civil"), cycle.id)
    assert ev.state == EvaluationState.ANNOUNCED
    assert grade_at(session, org.id, dt.date(2026, 9, 8)) == 4  # 900 points
    assert grade_at(session, org.id, dt.date(2026, 9, 7)) == 0


def test_reexamination_rejected_the_grade_stands(demo, session, cycle, travel):
    org, member, _, ev = _on_notice(session, cycle, travel)
    request = cycles.request_reexamination(session, member, ev.id, "社会评价打分偏低")
    travel(2026, 9, 9, 2)
    with pytest.raises(Conflict):  # an open re-examination holds the announcement
        cycles.announce(session, user(session, "civil"), cycle.id)
    cycles.decide_reexamination(session, user(session, "civil"), request.id, False, "评分有据")
    cycles.announce(session, user(session, "civil"), cycle.id)
    assert grade_at(session, org.id, dt.date(2026, 9, 9)) == 4


def test_reexamination_upheld_the_agency_rescores(demo, session, cycle, travel):
    org, member, evaluator, ev = _on_notice(session, cycle, travel)
    request = cycles.request_reexamination(session, member, ev.id, "工作绩效材料未采纳")
    cycles.decide_reexamination(session, user(session, "civil"), request.id, True, "材料属实")
    assert ev.state == EvaluationState.ASSIGNED
    ids = [i.id for i in cycle.indicators]
    cycles.score(session, evaluator, ev.id, dict(zip(ids, ["150", "340", "340", "140"])))
    assert ev.proposed_grade == 5
    cycles.publish_notice(session, user(session, "civil"), cycle.id)
    travel(2026, 9, 20, 2)
    cycles.announce(session, user(session, "civil"), cycle.id)
    assert grade_at(session, org.id, dt.date(2026, 9, 20)) == 5


def test_reexamination_outside_the_notice_is_refused(demo, session, cycle, travel):
    org, member, _, ev = _on_notice(session, cycle, travel)
    travel(2026, 9, 8, 2)
    with pytest.raises(Conflict):
        cycles.request_reexamination(session, member, ev.id, "太晚了")


def test_grade_expires_after_five_years(demo, session, cycle, travel):
    from market.clock import today_local
    org, member, _, ev = _on_notice(session, cycle, travel)
    travel(2026, 9, 8, 2)
    cycles.announce(session, user(session, "civil"), cycle.id)
    announced = today_local()
    assert grade_at(session, org.id, announced.replace(year=2031) - dt.timedelta(days=1)) == 4
    travel(2031, 9, 8, 2)
    assert grade_at(session, org.id, today_local()) == 0
    assert standing.current_grade(session, org.id, today_local()) is None


# --- downgrade and revocation --------------------------------------------------------------

def test_downgrade_keeps_history(demo, session, travel):
    org = OrganizationFactory()
    travel(2024, 1, 1, 2)
    record_grade(session, org.id, 4, dt.date(2024, 1, 1))
    travel(2025, 5, 1, 2)
    standing.change_grade(session, user(session, "civil"), org.id, 2, "年检不合格",
                          effective=dt.date(2025, 5, 1))
    assert grade_at(session, org.id, dt.date(2025, 4, 30)) == 4
    assert grade_at(session, org.id, dt.date(2025, 5, 1)) == 2
    assert grade_at(session, org.id, dt.date(2028, 12, 31)) == 2
    assert grade_at(session, org.id, dt.date(2029, 1, 1)) == 0
    assert [g.grade for g in standing.history(session, org.id)] == [2, 4]


def test_revocation(demo, session, travel):
    org = OrganizationFactory()
    travel(2024, 1, 1, 2)
    record_grade(session, org.id, 3, dt.date(2024, 1, 1))
    travel(2025, 5, 1, 2)
    standing.change_grade(session, user(session, "civil"), org.id, 0, "受到行政处罚",
                          effective=dt.date(2025, 5, 1))
    assert grade_at(session, org.id, dt.date(2025, 4, 30)) == 3
    assert grade_at(session, org.id, dt.date(2025, 5, 1)) == 0
    with pytest.raises(Conflict):
        standing.change_grade(session, user(session, "civil"), org.id, 0, "again",
                              effective=dt.date(2025, 6, 1))


def test_only_civil_affairs_downgrades(demo, session):
    from market.errors import Forbidden
    org = OrganizationFactory()
    record_grade(session, org.id, 3, dt.date(2024, 1, 1))
    with pytest.raises(Forbidden):
        standing.change_grade(session, UserFactory(role=Role.AUDITOR), org.id, 1, "x")


def test_an_announced_evaluation_without_a_grade_puts_the_org_on_the_clearance_list(
        demo, session, cycle, travel):
    """The clearance rule reads the cycle's outcome: 600 points is below 1A."""
    from market.grading.services.clearance import ClearanceReason, listing_for

    org, _, _, ev = _through_scoring(session, cycle, ["100", "200", "200", "100"])
    assert ev.proposed_grade == 0
    travel(2026, 9, 1, 2)
    cycles.publish_notice(session, user(session, "civil"), cycle.id)
    before = listing_for(session, org.id, dt.date(2026, 9, 2))
    assert before is None or before.reason != ClearanceReason.NO_GRADE  # not announced yet
    travel(2026, 9, 8, 2)
    cycles.announce(session, user(session, "civil"), cycle.id)
    session.flush()
    assert grade_at(session, org.id, dt.date(2026, 9, 9)) == 0
    assert listing_for(session, org.id, dt.date(2026, 9, 9)).reason == ClearanceReason.NO_GRADE
