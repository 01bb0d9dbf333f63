"""Eligibility and exclusion by rule, scoring thresholds, re-examination, expiry,
downgrade and revocation."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from market.accounts.permissions import Role
from market.errors import Conflict
from market.grading.services import cycles
from market.grading.services import standing
from market.grading.models import EvaluationState, GradeCycle
from market.grading.eligibility import eligibility
from market.grading.grades import grade_at, record_grade
from market.orgs.enums import InspectionResult as R
from market.orgs.enums import Track

REF = dt.date(2026, 3, 1)


@pytest.fixture
def cycle(make, session, travel):
    travel(2026, 3, 1, 2)
    return cycles.open_cycle(session, make.civil(), 2026, REF)


def verdict(session, org, cycle):
    return eligibility(session, org, cycle)


# --- eligibility -------------------------------------------------------------------------

def test_two_full_years_and_never_graded_is_eligible(make, session, cycle):
    v = verdict(session, make.org(registered_on=dt.date(2024, 3, 1)), cycle)
    assert v.eligible and "never graded" in v.reason or "从未" in v.reason


def test_two_years_less_a_day_is_not_yet_eligible(make, session, cycle):
    assert not verdict(session, make.org(registered_on=dt.date(2024, 3, 2)), cycle).eligible


def test_grade_expiring_this_cycle_is_eligible(make, session, cycle):
    org = make.org()
    record_grade(session, org.id, 3, dt.date(2021, 9, 1))  # valid until 2026-08-31
    assert verdict(session, org, cycle).eligible


def test_grade_valid_beyond_the_cycle_is_not_due(make, session, cycle):
    org = make.org()
    record_grade(session, org.id, 4, dt.date(2022, 1, 5))  # valid until 2027-01-04
    assert not verdict(session, org, cycle).eligible


def test_failed_last_years_annual_report_excludes(make, session, cycle):
    org = make.org()
    make.report(org, 2025, R.FAIL)
    assert not verdict(session, org, cycle).eligible


def test_failure_two_years_ago_does_not_exclude(make, session, cycle):
    org = make.org()
    make.report(org, 2024, R.FAIL)
    make.report(org, 2025, R.PASS)
    assert verdict(session, org, cycle).eligible


def test_two_consecutive_basic_passes_exclude(make, session, cycle):
    org = make.org()
    make.report(org, 2024, R.BASIC_PASS)
    make.report(org, 2025, R.BASIC_PASS)
    assert not verdict(session, org, cycle).eligible


def test_one_basic_pass_does_not_exclude(make, session, cycle):
    org = make.org()
    make.report(org, 2024, R.PASS)
    make.report(org, 2025, R.BASIC_PASS)
    assert verdict(session, org, cycle).eligible


@pytest.mark.parametrize("kind", ["penalty", "investigation"])
def test_sanction_in_force_excludes(make, session, cycle, kind):
    org = make.org()
    standing.record_sanction(session, make.civil(), org.id, kind, dt.date(2026, 1, 1), None,
                             "违规开展活动")
    assert not verdict(session, org, cycle).eligible


def test_sanction_ended_before_reference_date_does_not_exclude(make, session, cycle):
    org = make.org()
    standing.record_sanction(session, make.civil(), org.id, "penalty", dt.date(2025, 1, 1),
                             dt.date(2026, 2, 28), "已整改")
    assert verdict(session, org, cycle).eligible


def test_filed_organizations_are_not_graded(make, session, cycle):
    assert not verdict(session, make.org(track=Track.FILED), cycle).eligible


def test_ineligible_organization_cannot_apply(make, session, cycle):
    org = make.org(registered_on=dt.date(2025, 1, 1), member=True)
    with pytest.raises(Conflict):
        cycles.apply(session, org.member, cycle.id)


# --- scoring -----------------------------------------------------------------------------

@pytest.mark.parametrize("total,grade", [
    ("1000", 5), ("950", 5), ("949.99", 4), ("900", 4), ("850", 3), ("849.99", 2),
    ("800", 2), ("750", 1), ("749.99", 0), ("0", 0)])
def test_thresholds(total, grade):
    assert cycles.grade_for_total(GradeCycle(
        threshold_5=Decimal(950), threshold_4=Decimal(900), threshold_3=Decimal(850),
        threshold_2=Decimal(800), threshold_1=Decimal(750)), Decimal(total)) == grade


def _through_scoring(make, session, cycle, points):
    org = make.org(member=True)
    agency = make.agency()
    evaluator = make.evaluator(agency)
    ev = cycles.apply(session, org.member, cycle.id)
    cycles.assign(session, make.civil(), ev.id, agency.id)
    ids = [i.id for i in cycle.indicators]
    cycles.score(session, evaluator, ev.id, dict(zip(ids, points)))
    return org, evaluator, ev


def test_scoring_849_99_proposes_2a_and_850_3a(make, session, cycle):
    _, _, ev = _through_scoring(make, session, cycle, ["150", "350", "250", "99.99"])
    assert (ev.total, ev.proposed_grade) == (Decimal("849.99"), 2)
    _, _, ev = _through_scoring(make, session, cycle, ["150", "350", "250", "100"])
    assert (ev.total, ev.proposed_grade) == (Decimal("850.00"), 3)


def test_more_than_the_indicator_allows_is_refused(make, session, cycle):
    from market.errors import Invalid
    with pytest.raises(Invalid):
        _through_scoring(make, session, cycle, ["151", "350", "250", "100"])


def test_indicator_table_and_thresholds_are_editable_until_scoring(make, session, cycle):
    cycles.configure(session, make.civil(), cycle.id,
                     [("基础条件", "Basic", "200"), ("工作绩效", "Performance", "800")],
                     {5: "960", 4: "910", 3: "860", 2: "810", 1: "760"})
    assert [i.max_points for i in cycle.indicators] == [200, 800]
    _, _, ev = _through_scoring(make, session, cycle, ["200", "655"])
    assert ev.proposed_grade == 2  # 855 < 860
    with pytest.raises(Conflict):
        cycles.configure(session, make.civil(), cycle.id, [("a", "a", "1000")],
                         {5: "950", 4: "900", 3: "850", 2: "800", 1: "750"})


def test_assigning_a_conflicted_agency_is_refused(make, session, cycle):
    from market.grading.services import agencies
    org = make.org(member=True)
    agency = make.agency()
    agencies.declare_relation(session, make.evaluator(agency), org.id, "related",
                              on_behalf_of_agency=True, note="同一发起人")
    ev = cycles.apply(session, org.member, cycle.id)
    with pytest.raises(Conflict):
        cycles.assign(session, make.civil(), ev.id, agency.id)
    assert ev.state == EvaluationState.APPLIED


# --- notice, re-examination, announcement -------------------------------------------------

def _on_notice(make, session, cycle, travel):
    org, evaluator, ev = _through_scoring(make, session, cycle, ["140", "320", "300", "140"])
    travel(2026, 9, 1, 2)
    cycles.publish_notice(session, make.civil(), cycle.id)
    return org, evaluator, ev


def test_announce_only_after_the_notice_period(make, session, cycle, travel):
    org, _, ev = _on_notice(make, session, cycle, travel)
    with pytest.raises(Conflict):
        cycles.announce(session, make.civil(), cycle.id)
    travel(2026, 9, 8, 2)
    cycles.announce(session, make.civil(), cycle.id)
    assert ev.state == EvaluationState.ANNOUNCED
    assert grade_at(session, org.id, dt.date(2026, 9, 8)) == 4  # 900 points
    assert grade_at(session, org.id, dt.date(2026, 9, 7)) == 0


def test_reexamination_rejected_the_grade_stands(make, session, cycle, travel):
    org, _, ev = _on_notice(make, session, cycle, travel)
    request = cycles.request_reexamination(session, org.member, ev.id, "社会评价打分偏低")
    travel(2026, 9, 9, 2)
    with pytest.raises(Conflict):  # an open re-examination holds the announcement
        cycles.announce(session, make.civil(), cycle.id)
    cycles.decide_reexamination(session, make.civil(), request.id, False, "评分有据")
    cycles.announce(session, make.civil(), cycle.id)
    assert grade_at(session, org.id, dt.date(2026, 9, 9)) == 4


def test_reexamination_upheld_the_agency_rescores(make, session, cycle, travel):
    org, evaluator, ev = _on_notice(make, session, cycle, travel)
    request = cycles.request_reexamination(session, org.member, ev.id, "工作绩效材料未采纳")
    cycles.decide_reexamination(session, make.civil(), request.id, True, "材料属实")
    assert ev.state == EvaluationState.ASSIGNED
    ids = [i.id for i in cycle.indicators]
    cycles.score(session, evaluator, ev.id, dict(zip(ids, ["150", "340", "340", "140"])))
    assert ev.proposed_grade == 5
    cycles.publish_notice(session, make.civil(), cycle.id)
    travel(2026, 9, 20, 2)
    cycles.announce(session, make.civil(), cycle.id)
    assert grade_at(session, org.id, dt.date(2026, 9, 20)) == 5


def test_reexamination_outside_the_notice_is_refused(make, session, cycle, travel):
    org, _, ev = _on_notice(make, session, cycle, travel)
    travel(2026, 9, 8, 2)
    with pytest.raises(Conflict):
        cycles.request_reexamination(session, org.member, ev.id, "太晚了")


def test_grade_expires_after_five_years(make, session, cycle, travel):
    from market.clock import today_local
    org, _, ev = _on_notice(make, session, cycle, travel)
    travel(2026, 9, 8, 2)
    cycles.announce(session, make.civil(), cycle.id)
    announced = today_local()
    assert grade_at(session, org.id, announced.replace(year=2031) - dt.timedelta(days=1)) == 4
    travel(2031, 9, 8, 2)
    assert grade_at(session, org.id, today_local()) == 0
    assert standing.current_grade(session, org.id, today_local()) is None


# --- downgrade and revocation --------------------------------------------------------------

def test_downgrade_keeps_history(make, session, travel):
    org = make.org()
    travel(2024, 1, 1, 2)
    record_grade(session, org.id, 4, dt.date(2024, 1, 1))
    travel(2025, 5, 1, 2)
    standing.change_grade(session, make.civil(), org.id, 2, "年检不合格",
                          effective=dt.date(2025, 5, 1))
    assert grade_at(session, org.id, dt.date(2025, 4, 30)) == 4
    assert grade_at(session, org.id, dt.date(2025, 5, 1)) == 2
    assert grade_at(session, org.id, dt.date(2028, 12, 31)) == 2
    assert grade_at(session, org.id, dt.date(2029, 1, 1)) == 0
    assert [g.grade for g in standing.history(session, org.id)] == [2, 4]


def test_revocation(make, session, travel):
    org = make.org()
    travel(2024, 1, 1, 2)
    record_grade(session, org.id, 3, dt.date(2024, 1, 1))
    travel(2025, 5, 1, 2)
    standing.change_grade(session, make.civil(), org.id, 0, "受到行政处罚",
                          effective=dt.date(2025, 5, 1))
    assert grade_at(session, org.id, dt.date(2025, 4, 30)) == 3
    assert grade_at(session, org.id, dt.date(2025, 5, 1)) == 0
    with pytest.raises(Conflict):
        standing.change_grade(session, make.civil(), org.id, 0, "again",
                              effective=dt.date(2025, 6, 1))


def test_only_civil_affairs_downgrades(make, session):
    from market.errors import Forbidden
    org = make.org()
    record_grade(session, org.id, 3, dt.date(2024, 1, 1))
    with pytest.raises(Forbidden):
        standing.change_grade(session, make.user(Role.AUDITOR), org.id, 1, "x")


def test_an_announced_evaluation_without_a_grade_puts_the_org_on_the_clearance_list(
        make, session, cycle, travel):
    """The clearance rule reads the cycle's outcome: 600 points is below 1A."""
    from market.grading.services.clearance import ClearanceReason, listing_for

    org, _, ev = _through_scoring(make, session, cycle, ["100", "200", "200", "100"])
    assert ev.proposed_grade == 0
    travel(2026, 9, 1, 2)
    cycles.publish_notice(session, make.civil(), cycle.id)
    before = listing_for(session, org.id, dt.date(2026, 9, 2))
    assert before is None or before.reason != ClearanceReason.NO_GRADE  # not announced yet
    travel(2026, 9, 8, 2)
    cycles.announce(session, make.civil(), cycle.id)
    session.flush()
    assert grade_at(session, org.id, dt.date(2026, 9, 9)) == 0
    assert listing_for(session, org.id, dt.date(2026, 9, 9)).reason == ClearanceReason.NO_GRADE
