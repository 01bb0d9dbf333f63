"""Performance evaluations: request → assign (no conflict) → the assigned agency reports;
the payment gate in the service, the page, the API and the exported ledger; fees."""
from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from ledger.accounts import Unit, available_account, committed_account, expense_account
from ledger.balances import balance
from ledger.export import export
from ledger.verify import load_ledger
from market import funds
from market.contracts import access, payments, services
from market.contracts.models import ContractStatus, MilestoneStatus
from market.errors import Conflict, Forbidden, Invalid
from market.performance import services as performance
from market.performance.models import EvaluationRequest, RequestStatus
from tests.factories import (PASSWORD, EvaluatorFactory, approved_catalog, assign_evaluation,
                             deliver_and_accept, item_data, signed_contract, user)
from tests.probes import item_balances, procurement_counts

GATE_MESSAGE = "before a passing evaluation"


def _items(session, fee_budget="5000.00"):
    """One FY2028 catalog with the service item and a third-party evaluation item."""
    item, fee_item = approved_catalog(session, item_data(), item_data(
        service_category="evaluation", title="第三方绩效评价", description="项目中期与结项评估",
        quantity="2", unit="次", budget=fee_budget))
    return item, fee_item


@pytest.fixture
def signed(app, demo, session, clock):
    item, fee_item = _items(session)
    contract, bidders = signed_contract(session, clock, item)
    return item, fee_item, contract, bidders["a"]


def _other_evaluator(session):
    """An evaluator of another agency."""
    other = EvaluatorFactory(username="other-evaluator", display_name="另一评估员",
                             agency__name="另一家评估机构")
    session.commit()
    return other


def _login(client, username):
    client.post("/logout")
    assert client.post("/login", data={"username": username,
                                       "password": PASSWORD}).status_code == 302


def test_request_and_assign_rules(session, signed, monkeypatch):
    _, _, contract, contractor = signed
    dept, civil = user(session, "dept"), user(session, "civil")
    with pytest.raises(Conflict, match="deliverables are submitted"):
        performance.request_evaluation(session, dept, contract.id, 3)
    session.rollback()
    payments.submit_deliverables(session, contractor, contract.id, 3, "结项报告")
    payments.submit_deliverables(session, contractor, contract.id, 1, "预付款材料")
    session.commit()
    with pytest.raises(Conflict, match="does not need"):
        performance.request_evaluation(session, dept, contract.id, 1)
    with pytest.raises(Forbidden):
        performance.request_evaluation(session, civil, contract.id, 3)
    session.rollback()
    req = performance.request_evaluation(session, dept, contract.id, 3)
    session.commit()
    with pytest.raises(Conflict, match="already under way"):
        performance.request_evaluation(session, dept, contract.id, 3)
    session.rollback()
    agency_id = user(session, "evaluator").agency_id
    with pytest.raises(Forbidden):
        performance.assign_agency(session, user(session, "finance"), req.id, agency_id)
    # An agency with a conflict of interest with the contracted organization is refused.
    seen = []

    def conflicted(session_, agency, evaluator, organization, at):
        seen.append((agency, evaluator, organization))
        return "两年内曾为该组织提供审计服务"

    monkeypatch.setattr(performance, "conflict_reason", conflicted)
    before = procurement_counts(session)
    with pytest.raises(Conflict, match="conflict of interest"):
        performance.assign_agency(session, civil, req.id, agency_id)
    session.rollback()
    assert seen == [(agency_id, None, contract.organization_id)]
    assert procurement_counts(session) == before
    assert session.get(EvaluationRequest, req.id).status == RequestStatus.REQUESTED
    monkeypatch.undo()
    performance.assign_agency(session, civil, req.id, agency_id)
    session.commit()
    assert session.get(EvaluationRequest, req.id).agency_id == agency_id


def test_only_an_evaluator_of_the_assigned_agency_records(app, client, session, signed,
                                                          monkeypatch):
    _, _, contract, contractor = signed
    deliver_and_accept(session, contract, 3, contractor)
    other = _other_evaluator(session)
    evaluator = user(session, "evaluator")
    # Not assigned yet: refused everywhere.
    with pytest.raises(Conflict, match="No evaluator agency"):
        performance.record_performance_evaluation(session, evaluator, contract.id, 3, True, "90")
    session.rollback()
    _login(client, "evaluator")
    assert client.post(f"/contracts/{contract.id}/milestones/3/evaluation",
                       data={"passed": "y"}).status_code == 409
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/evaluation",
                       json={"passed": True}).status_code == 409
    assign_evaluation(session, contract, 3)
    before = procurement_counts(session)
    with pytest.raises(Forbidden):
        performance.record_performance_evaluation(session, other, contract.id, 3, True, "90")
    with pytest.raises(Forbidden):
        performance.record_performance_evaluation(session, user(session, "civil"), contract.id,
                                               3, True, "90")
    session.rollback()
    _login(client, other.username)
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/evaluation",
                       json={"passed": True}).status_code == 403
    # The assigned agency's evaluator with a personal conflict is refused too.
    monkeypatch.setattr(performance, "conflict_reason",
                        lambda s, a, e, o, at: "评估员曾在该组织任职" if e else None)
    with pytest.raises(Conflict, match="conflict of interest"):
        performance.record_performance_evaluation(session, evaluator, contract.id, 3, True, "90")
    session.rollback()
    monkeypatch.undo()
    assert procurement_counts(session) == before
    _login(client, "evaluator")
    assert client.post(f"/contracts/{contract.id}/milestones/3/evaluation", data={
        "passed": "y", "score": "90", "report_text": "服务达标"}).status_code == 302
    req = session.scalar(select(EvaluationRequest).where(
        EvaluationRequest.contract_id == contract.id))
    session.refresh(req)
    assert req.status == RequestStatus.REPORTED and req.report == "服务达标"
    assert req.evaluation.passed


def test_gate_through_service_page_and_api(app, client, session, signed):
    item, _, contract, contractor = signed
    finance = user(session, "finance")
    deliver_and_accept(session, contract, 3, contractor)
    assign_evaluation(session, contract, 3)
    performance.record_performance_evaluation(session, user(session, "evaluator"), contract.id, 3,
                                           False, "52")
    session.commit()
    before, balances = procurement_counts(session), item_balances(session, item, contract)
    with pytest.raises(Conflict, match="third-party evaluation"):
        payments.approve_payment(session, finance, contract.id, 3)
    session.rollback()
    _login(client, "finance")
    page = client.post(f"/contracts/{contract.id}/milestones/3/pay")
    assert page.status_code == 409 and "第三方评估" in page.get_data(as_text=True)
    api = client.post(f"/api/v1/contracts/{contract.id}/milestones/3/payment")
    assert api.status_code == 409 and api.get_json()["error"] == "conflict"
    assert procurement_counts(session) == before
    assert item_balances(session, item, contract) == balances
    # A failing final evaluation holds the money; the department terminates, releasing it.
    _login(client, "dept")
    assert client.post(f"/contracts/{contract.id}/terminate",
                       data={"reason": "结项评估不合格", "fault": "organization"}
                       ).status_code == 302
    session.expire_all()
    contract = access.get_contract(session, contract.id)
    assert contract.status == ContractStatus.TERMINATED
    assert contract.milestones[2].status == MilestoneStatus.CANCELLED
    assert item_balances(session, item, contract) == {
        "available": D("500000.00"), "committed": D("0"), "expense": D("0")}


def test_hand_edited_export_paying_before_the_evaluation_fails(app, session, signed, tmp_path):
    _, _, contract, contractor = signed
    deliver_and_accept(session, contract, 3, contractor)
    assign_evaluation(session, contract, 3)
    performance.record_performance_evaluation(session, user(session, "evaluator"), contract.id, 3,
                                           True, "88")
    payments.approve_payment(session, user(session, "finance"), contract.id, 3)
    session.commit()
    result = export(session, tmp_path / "export")
    _, errors, _ = load_ledger(result.main)
    assert errors == []
    journal = next(p for p in result.main.parent.glob("*.beancount") if p != result.main
                   and f'custom "evaluation" "contract-{contract.id}/m3"' in p.read_text("utf-8"))
    original = journal.read_text(encoding="utf-8")
    # 1. The evaluation directive deleted.
    lines = original.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines)
                 if f'custom "evaluation" "contract-{contract.id}/m3"' in line)
    end = start + 1
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1
    journal.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    _, errors, _ = load_ledger(result.main)
    assert any(GATE_MESSAGE in e.message and f"contract-{contract.id}/m3" in e.message
               for e in errors), [e.message for e in errors]
    # 2. The payment moved before the evaluation (the journal's order is its seq numbers).
    blocks = original.split("\n\n")
    evaluation = next(i for i, b in enumerate(blocks)
                      if f'custom "evaluation" "contract-{contract.id}/m3"' in b)
    payment = next(i for i, b in enumerate(blocks) if i > evaluation and "拨付" in b
                   and f"contract-{contract.id}/m3" in b)
    seq = [re.search(r"seq: (\d+)", blocks[i]).group(1) for i in (evaluation, payment)]
    blocks[evaluation] = blocks[evaluation].replace(f"seq: {seq[0]}", f"seq: {seq[1]}")
    blocks[payment] = blocks[payment].replace(f"seq: {seq[1]}", f"seq: {seq[0]}")
    journal.write_text("\n\n".join(blocks), encoding="utf-8")
    _, errors, _ = load_ledger(result.main)
    assert any(GATE_MESSAGE in e.message for e in errors), [e.message for e in errors]
    assert any("hash chain broken" in e.message for e in errors)  # and the chain breaks


def _fee_balances(session, fee_item, req):
    session.expire_all()
    line = funds.budget_line(fee_item)
    return {"available": balance(session, available_account(line).name),
            "committed": balance(session, committed_account(line, Unit(req.code)).name),
            "expense": balance(session, expense_account(line).name)}


def test_fee_committed_at_assignment_and_paid_with_the_report(app, client, session, signed):
    _, fee_item, contract, contractor = signed
    deliver_and_accept(session, contract, 3, contractor)
    req = assign_evaluation(session, contract, 3, fee="3000.00", fee_item=fee_item)
    assert _fee_balances(session, fee_item, req) == {
        "available": D("2000.00"), "committed": D("3000.00"), "expense": D("0")}
    _login(client, "evaluator")
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/evaluation",
                       json={"passed": True, "score": "93", "report": "达标"}).status_code == 201
    assert _fee_balances(session, fee_item, req) == {
        "available": D("2000.00"), "committed": D("0"), "expense": D("3000.00")}
    session.refresh(req)
    assert req.fee_commit_txn_id and req.fee_payment_txn_id


def test_fee_refused_when_the_evaluation_budget_is_short(app, session, signed):
    item, fee_item, contract, contractor = signed
    civil = user(session, "civil")
    deliver_and_accept(session, contract, 3, contractor)
    req = performance.request_evaluation(session, user(session, "dept"), contract.id, 3)
    session.commit()
    agency_id = user(session, "evaluator").agency_id
    before = procurement_counts(session)
    with pytest.raises(Conflict, match="Not enough budget"):
        performance.assign_agency(session, civil, req.id, agency_id, "5000.01", fee_item.id)
    session.rollback()
    # Only an approved evaluation item of the same department and year may pay a fee.
    with pytest.raises(Invalid):
        performance.assign_agency(session, civil, req.id, agency_id, "100.00", item.id)
    session.rollback()
    with pytest.raises(Invalid):
        performance.assign_agency(session, civil, req.id, agency_id, "-1", fee_item.id)
    session.rollback()
    assert procurement_counts(session) == before
    assert _fee_balances(session, fee_item, req)["available"] == D("5000.00")
    assert session.get(EvaluationRequest, req.id).status == RequestStatus.REQUESTED


def test_termination_releases_a_committed_fee(app, session, signed):
    _, fee_item, contract, contractor = signed
    deliver_and_accept(session, contract, 3, contractor)
    req = assign_evaluation(session, contract, 3, fee="1200.00", fee_item=fee_item)
    services.terminate_contract(session, user(session, "dept"), contract.id, "机构停止服务",
                                 "force_majeure")
    session.commit()
    assert _fee_balances(session, fee_item, req) == {
        "available": D("5000.00"), "committed": D("0"), "expense": D("0")}
    assert session.get(EvaluationRequest, req.id).status == RequestStatus.CANCELLED
