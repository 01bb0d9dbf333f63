"""回避: who may not evaluate whom, and on what day."""
from __future__ import annotations

import datetime as dt

import pytest

from market.errors import Conflict
from market.grading.services import agencies
from market.grading.recusal import conflict_reason

DAY = dt.date(2026, 6, 15)


@pytest.fixture
def setup(make):
    agency = make.agency()
    return make, agency, make.evaluator(agency), make.org()


def test_no_relation_no_conflict(setup, session):
    make, agency, evaluator, org = setup
    assert conflict_reason(session, agency.id, evaluator.id, org.id, DAY) is None
    assert conflict_reason(session, agency.id, None, org.id, DAY) is None


@pytest.mark.parametrize("for_agency", [True, False])
def test_worked_for_within_two_years_conflicts(setup, session, for_agency):
    make, agency, evaluator, org = setup
    agencies.declare_relation(session, evaluator, org.id, "worked_for",
                              on_behalf_of_agency=for_agency, work_ended_on=dt.date(2024, 6, 15))
    assert conflict_reason(session, agency.id, evaluator.id, org.id, DAY)
    # agency-wide declarations bind the agency; an evaluator's own only that evaluator
    assert bool(conflict_reason(session, agency.id, None, org.id, DAY)) is for_agency


def test_worked_for_two_years_and_a_day_ago_is_free(setup, session):
    make, agency, evaluator, org = setup
    agencies.declare_relation(session, evaluator, org.id, "worked_for",
                              on_behalf_of_agency=True, work_ended_on=dt.date(2024, 6, 14))
    assert conflict_reason(session, agency.id, evaluator.id, org.id, DAY) is None


def test_ongoing_work_conflicts(setup, session):
    make, agency, evaluator, org = setup
    agencies.declare_relation(session, evaluator, org.id, "worked_for",
                              on_behalf_of_agency=True, work_ended_on=None)
    assert conflict_reason(session, agency.id, None, org.id, DAY)


def test_otherwise_related_conflicts_whenever(setup, session):
    make, agency, evaluator, org = setup
    agencies.declare_relation(session, evaluator, org.id, "related", on_behalf_of_agency=False,
                              note="评估员的配偶任该组织理事")
    reason = conflict_reason(session, agency.id, evaluator.id, org.id, dt.date(2040, 1, 1))
    assert "评估员的配偶任该组织理事" in reason
    other = make.evaluator(agency)
    assert conflict_reason(session, agency.id, other.id, org.id, DAY) is None


def test_evaluator_of_another_agency_is_refused(setup, session):
    make, agency, evaluator, org = setup
    assert conflict_reason(session, make.agency().id, evaluator.id, org.id, DAY)


def test_relations_of_another_organization_do_not_count(setup, session):
    make, agency, evaluator, org = setup
    agencies.declare_relation(session, evaluator, org.id, "related", on_behalf_of_agency=True,
                              note="共同发起人")
    assert conflict_reason(session, agency.id, evaluator.id, make.org().id, DAY) is None


@pytest.mark.parametrize("grant", [True, False])
def test_org_requested_recusal(setup, session, grant):
    make, agency, evaluator, org = setup
    member = make.user(__import__("market.accounts.permissions", fromlist=["Role"]).Role.ORGANIZATION,
                       organization_id=org.id)
    request = agencies.request_recusal(session, member, evaluator.id, "曾与我机构有纠纷")
    assert conflict_reason(session, agency.id, evaluator.id, org.id, DAY) is None  # pending
    with pytest.raises(Conflict):
        agencies.request_recusal(session, member, evaluator.id, "再次申请")
    agencies.decide_recusal(session, make.civil(), request.id, grant, "已核实")
    reason = conflict_reason(session, agency.id, evaluator.id, org.id, DAY)
    assert bool(reason) is grant
    # the recusal names the evaluator, not the agency
    assert conflict_reason(session, agency.id, make.evaluator(agency).id, org.id, DAY) is None
