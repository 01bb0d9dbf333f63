"""信用记录 (policy §18 信誉良好): every source kind appears in an organization's credit
record with its date, source and evidence; the public sees only public entries; the
provider conditions at the bid and the grants eligibility read the credit standing (a
contract terminated for the organization's fault bars it for ``credit_negative_years``)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from market import policy
from market.auditlog.models import AuditEntry
from market.clock import today_local
from market.contracts import services as contracts
from market.contracts.models import ContractStatus, TerminationFault
from market.credit import queries, services
from market.credit.models import CreditEntry, CreditKind, Effect
from market.errors import Conflict, Invalid, NotFound
from market.grants.services import eligibility_problem
from market.orgs.enums import InspectionResult, SanctionKind
from market.orgs.models import Sanction
from market.orgs.sanctions import years_before
from market.performance import services as performance
from market.tenders.models import Bid
from tests.factories import (AnnualReportFactory, assign_evaluation, budget_item,
                             deliver_and_accept, new_tender, org_member, signed_contract, user)

TERMINATION_REASON = "机构擅自停止入户服务，经书面催告仍未恢复"
INVESTIGATION_REASON = "涉嫌虚报服务人次（立案调查中）"
FINE_REASON = "未按规定报送年度报告材料"
ENDED_REASON = "未按规定公开年度工作报告（已执行完毕）"


def _counts(session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (CreditEntry, Bid, AuditEntry))


def _client(app, username=None, language="zh"):
    client = app.test_client()
    if username:
        client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    if language == "en":
        client.post("/language/en", data={"next": "/"})
    return client


def _sanction(session, org, **fields) -> Sanction:
    row = Sanction(organization_id=org.id, **{
        "kind": SanctionKind.FINE, "serious": False, "authority": "昆山市民政局",
        "reason": FINE_REASON, "imposed_on": today_local() - dt.timedelta(days=400),
        "ends_on": today_local() - dt.timedelta(days=300), **fields})
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def terminated(app, demo, session, clock):
    """A's contract: the final milestone's evaluation failed, then the department
    terminated it for A's fault. Also on A's record: a fine in force (public, with its
    decision number), an ended warning and an investigation (not public), a failed annual
    inspection."""
    contract, bidders = signed_contract(session, clock, budget_item(session))
    a = bidders["a"]
    deliver_and_accept(session, contract, 3, a)
    assign_evaluation(session, contract, 3)
    evaluation = performance.record_performance_evaluation(
        session, user(session, "evaluator"), contract.id, 3, False, "52.50")
    session.commit()
    contracts.terminate_contract(session, user(session, "dept"), contract.id,
                                 TERMINATION_REASON, "organization")
    session.commit()
    org = contract.organization
    fine = _sanction(session, org, document_ref="昆民罚字〔2025〕7号",
                     imposed_on=today_local() - dt.timedelta(days=20), ends_on=None)
    ended = _sanction(session, org, kind=SanctionKind.WARNING, reason=ENDED_REASON)
    investigation = _sanction(session, org, kind=SanctionKind.INVESTIGATION,
                              reason=INVESTIGATION_REASON,
                              imposed_on=today_local() - dt.timedelta(days=700),
                              ends_on=today_local() - dt.timedelta(days=500))
    AnnualReportFactory(organization=org, year=today_local().year - 3,
                        result=InspectionResult.FAIL)
    session.commit()
    return SimpleNamespace(contract=contract, org=org, member=a, evaluation=evaluation,
                           fine=fine, ended=ended, investigation=investigation,
                           bidders=bidders)


def _by_kind(entries, kind):
    return [e for e in entries if e.kind == kind]


# --- every source kind, with its date, source and evidence --------------------------------

def test_each_source_kind_appears_with_date_source_and_evidence(session, terminated):
    t = terminated
    # An upheld complaint, as the complaints room will record it.
    services.record(session, user(session, "civil"), organization_id=t.org.id,
                    kind="upheld_complaint", occurred_on=today_local(),
                    source_room="complaints", source_kind="complaint", source_id=41,
                    summary="投诉查实：服务人员未按约定时间上门", public=True,
                    evidence_ref="TS-2026-0041")
    session.commit()
    entries = queries.record_of(session, t.org.id, viewer=user(session, "auditor"))

    [ended] = _by_kind(entries, CreditKind.CONTRACT_TERMINATED_FAULT)
    assert (ended.source_room, ended.source_kind, ended.source_id) == \
        ("contracts", "contract", t.contract.id)
    assert ended.occurred_on == today_local() and ended.effect == Effect.NEGATIVE
    assert ended.public and ended.evidence_ref == t.contract.number
    assert TERMINATION_REASON in ended.summary

    [failed] = _by_kind(entries, CreditKind.FAILED_PERFORMANCE_EVALUATION)
    assert (failed.source_room, failed.source_kind, failed.source_id) == \
        ("performance", "evaluation", t.evaluation.id)
    assert failed.occurred_on == today_local() and not failed.public
    assert "52.50" in failed.summary

    sanctions = {e.source_id: e for e in _by_kind(entries, CreditKind.SANCTION)}
    fine = sanctions[t.fine.id]
    assert (fine.occurred_on, fine.until) == (t.fine.imposed_on, t.fine.ends_on)
    assert fine.evidence_ref == "昆民罚字〔2025〕7号" and fine.public
    assert FINE_REASON in fine.summary and "昆山市民政局" in fine.summary
    assert not sanctions[t.investigation.id].public
    # A penalty is public while in force; the full record keeps it after it ended.
    assert sanctions[t.ended.id].until == t.ended.ends_on and not sanctions[t.ended.id].public

    reports = _by_kind(entries, CreditKind.ANNUAL_REPORT_RESULT)
    assert {e.effect for e in reports} == {Effect.POSITIVE, Effect.NEGATIVE}
    assert all(e.source_room == "orgs" and e.source_kind == "annual_report" for e in reports)

    [complaint] = _by_kind(entries, CreditKind.UPHELD_COMPLAINT)
    assert complaint.source_room == "complaints" and complaint.evidence_ref == "TS-2026-0041"
    # Latest first.
    assert [e.occurred_on for e in entries] == sorted((e.occurred_on for e in entries),
                                                      reverse=True)
    # The department's termination said whose fault it was.
    session.expire_all()
    assert t.contract.status == ContractStatus.TERMINATED
    assert t.contract.termination_fault == TerminationFault.ORGANIZATION


def test_the_clearance_list_appears_in_the_record(app, demo, session, clock):
    # Registered 2020, never graded: eligible from 2022, listed from 2025-01-01.
    org, _member = org_member(session, registered_on=dt.date(2020, 1, 1))
    [listed] = _by_kind(queries.record_of(session, org.id, viewer=None),
                        CreditKind.CLEARANCE)
    assert listed.occurred_on == dt.date(2025, 1, 1) and listed.public
    assert (listed.source_room, listed.source_kind) == ("grading", "clearance_listing")
    assert [a.code for a in queries.barring(session, org.id, today_local())] == \
        ["clearance_listed"]


def test_a_termination_for_the_purchasers_side_is_not_a_credit_entry(
        app, demo, session, clock):
    contract, bidders = signed_contract(session, clock, budget_item(session))
    before = _counts(session)
    contracts.terminate_contract(session, user(session, "dept"), contract.id,
                                 "预算调整，项目取消", "purchaser")
    session.commit()
    assert _counts(session)[0] == before[0]
    assert queries.standing_on(session, contract.organization_id, today_local()) == []
    # And it may bid again.
    tender = new_tender(session, clock)
    client = _client(app, bidders["a"].username)
    assert client.post(f"/tenders/{tender.id}/bid",
                       data={"price": "250000.00", "proposal": "方案"}).status_code == 302


# --- who sees what ------------------------------------------------------------------------

@pytest.mark.parametrize("language, title, fault", [
    ("zh", "信用记录", "因本组织过错解除合同"),
    ("en", "Credit record", "Contract terminated for the organization&#39;s fault")])
def test_the_public_profile_never_shows_non_public_entries(app, session, terminated,
                                                           language, title, fault):
    t = terminated
    for username in (None, "dept", "org-cishan"):  # whoever reads the public profile
        body = _client(app, username, language).get(
            f"/organizations/{t.org.id}").get_data(as_text=True)
        assert title in body and fault in body and TERMINATION_REASON in body
        assert FINE_REASON in body
        assert 'data-kind="failed_performance_evaluation"' not in body
        assert INVESTIGATION_REASON not in body
        assert ENDED_REASON not in body
    assert queries.record_of(session, t.org.id, viewer=user(session, "org-cishan")) == \
        queries.record_of(session, t.org.id, viewer=None)


@pytest.mark.parametrize("language, words", [
    ("zh", ("信用记录", "绩效评价不合格", "不得参与投标及公益创投申报")),
    ("en", ("Credit record", "Performance evaluation failed",
            "Bars bidding and grant applications"))])
def test_departments_auditors_and_the_organization_see_the_full_record(
        app, session, terminated, language, words):
    t = terminated
    for username, url in [("dept", f"/credit/organizations/{t.org.id}"),
                          ("auditor", f"/credit/organizations/{t.org.id}"),
                          ("civil", f"/credit/organizations/{t.org.id}"),
                          (t.member.username, "/my/credit")]:
        response = _client(app, username, language).get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, (username, url)
        assert all(w in body for w in words), (username, url)
        assert 'data-kind="failed_performance_evaluation"' in body
        assert INVESTIGATION_REASON in body and TERMINATION_REASON in body
        assert ENDED_REASON in body
        assert 'data-code="contract_terminated_fault"' in body
    # Everyone else: the public is sent to log in, another organization is refused.
    assert _client(app).get(f"/credit/organizations/{t.org.id}").status_code == 302
    refused = _client(app, "org-cishan").get(f"/credit/organizations/{t.org.id}")
    assert refused.status_code == 403 and TERMINATION_REASON not in refused.get_data(True)
    assert _client(app, "dept").get("/credit/organizations/999999").status_code == 404


def test_the_contract_page_says_whose_fault(app, session, terminated):
    body = _client(app, "dept").get(f"/contracts/{terminated.contract.id}").get_data(True)
    assert 'id="termination-fault"' in body and "承接主体过错" in body


# --- provider conditions and grants read the standing ------------------------------------

def _termination_entry(session, org, occurred_on):
    return services.record(session, user(session, "dept"), organization_id=org.id,
                           kind=CreditKind.CONTRACT_TERMINATED_FAULT, occurred_on=occurred_on,
                           source_room="contracts", source_kind="contract", source_id=9000,
                           summary="HT-测试-9000: 擅自停止服务", public=True)


def test_a_termination_for_fault_refuses_the_bid_and_a_clean_record_is_accepted(
        app, demo, session, clock):
    tender = new_tender(session, clock)
    org, member = org_member(session)
    _clean, clean = org_member(session)
    _termination_entry(session, org, today_local() - dt.timedelta(days=30))
    session.commit()
    before = _counts(session)
    response = _client(app, member.username).post(
        f"/tenders/{tender.id}/bid", data={"price": "250000.00", "proposal": "方案"})
    assert response.status_code == 403
    assert "因本组织过错被解除合同" in response.get_data(as_text=True)
    english = _client(app, member.username, "en").post(
        f"/tenders/{tender.id}/bid", data={"price": "250000.00", "proposal": "方案"})
    assert "terminated for the organization's fault on" in english.get_data(as_text=True)
    assert _counts(session) == before
    accepted = _client(app, clean.username).post(
        f"/tenders/{tender.id}/bid", data={"price": "250000.00", "proposal": "方案"})
    assert accepted.status_code == 302
    assert _counts(session)[1] == before[1] + 1


def test_a_termination_for_fault_bars_for_the_set_years_only(app, demo, session):
    org, _member = org_member(session)
    day = today_local() - dt.timedelta(days=10)
    _termination_entry(session, org, day)
    session.commit()
    years = policy.value("credit_negative_years")
    end = years_before(day, -years)  # the same date ``years`` later: no longer counts

    def codes(on):  # (three years on, the ungraded organization is on the clearance list)
        return [a.code for a in queries.barring(session, org.id, on)]

    assert "contract_terminated_fault" in codes(end - dt.timedelta(days=1))
    assert "contract_terminated_fault" not in codes(end)
    assert codes(day - dt.timedelta(days=1)) == []
    assert codes(day) == ["contract_terminated_fault"]


def test_a_failed_evaluation_counts_against_without_barring(app, demo, session):
    org, _member = org_member(session)
    services.record(session, None, organization_id=org.id,
                    kind=CreditKind.FAILED_PERFORMANCE_EVALUATION, occurred_on=today_local(),
                    source_room="performance", source_kind="evaluation", source_id=7,
                    summary="中期评估不合格")
    session.commit()
    [against] = queries.standing_on(session, org.id, today_local())
    assert against.code == "failed_performance_evaluation" and not against.bars
    assert queries.barring(session, org.id, today_local()) == []


def test_grant_eligibility_reads_the_same_standing(app, demo, session, clock):
    org, _member = org_member(session)
    grant_round = SimpleNamespace(eligible_categories=[org.category.value], min_grade=0,
                                  startups_without_grade=False)
    assert eligibility_problem(session, org, grant_round, clock.now) is None
    _termination_entry(session, org, today_local())
    session.commit()
    assert "HT-测试-9000" in str(eligibility_problem(session, org, grant_round, clock.now))


# --- the service refuses bad entries, writing nothing ------------------------------------

@pytest.mark.parametrize("change, error", [
    ({"kind": "gossip"}, Invalid),
    ({"kind": "sanction"}, Invalid),  # read from orgs, never copied here
    ({"effect": "terrible"}, Invalid),
    ({"occurred_on": dt.date(2999, 1, 1)}, Invalid),
    ({"in_force_until": dt.date(2000, 1, 1)}, Invalid),
    ({"summary": "  "}, Invalid),
    ({"source_room": ""}, Invalid),
    ({"organization_id": 999999}, NotFound),
])
def test_bad_entries_are_refused(app, demo, session, change, error):
    org, _member = org_member(session)
    before = _counts(session)
    fields = {"organization_id": org.id, "kind": "upheld_complaint",
              "occurred_on": today_local(), "source_room": "complaints",
              "source_kind": "complaint", "source_id": 1, "summary": "查实", **change}
    with pytest.raises(error):
        services.record(session, user(session, "civil"), **fields)
    session.rollback()
    assert _counts(session) == before


def test_the_same_fact_is_recorded_once(app, demo, session):
    org, _member = org_member(session)
    _termination_entry(session, org, today_local())
    session.commit()
    before = _counts(session)
    with pytest.raises(Conflict):
        _termination_entry(session, org, today_local())
    session.rollback()
    assert _counts(session) == before


def test_the_demo_shows_credit_entries(app, demo, session):
    """The demo's sanctions (the grading demo records them) and annual-inspection results
    appear in the organizations' credit records, sources and dates included."""
    sanctioned = session.scalars(select(Sanction.organization_id).distinct()).all()
    assert sanctioned
    for org_id in sanctioned:
        entries = queries.record_of(session, org_id, viewer=user(session, "auditor"))
        kinds = {e.kind for e in entries}
        assert kinds & {CreditKind.SANCTION, CreditKind.SERIOUS_VIOLATION}
        assert all(e.occurred_on and e.source_room and e.source_id for e in entries)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_full_record_downloads_for_its_readers_only(app, session, terminated, language):
    from flask_babel import force_locale

    from market.credit.views import RECORD
    from tests.core.downloads import both

    t = terminated
    url = f"/credit/organizations/{t.org.id}"
    entries = queries.record_of(session, t.org.id, viewer=user(session, "auditor"))
    for username in ("auditor", "dept"):
        rows, sheet = both(_client(app, username, language), url)
        with app.test_request_context(), force_locale(language):
            assert rows[0] == sheet[0] == RECORD.header()
        assert len(rows) - 1 == len(sheet) - 1 == len(entries) >= 5
        text = str(rows)
        assert INVESTIGATION_REASON in text and TERMINATION_REASON in text  # not public
        assert "昆民罚字〔2025〕7号" in text  # evidence
    for username, status in ((None, 302), ("org-cishan", 403)):
        response = _client(app, username).get(f"{url}?format=csv")
        assert response.status_code == status
        assert TERMINATION_REASON not in response.get_data(as_text=True)
