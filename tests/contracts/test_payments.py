"""Payments: the evaluation gate, the contract ceiling and termination — each refusal
changes nothing (row counts and ledger balances), in the service, the page and the API."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from ledger import operations
from ledger.export import export
from ledger.verify import load_ledger
from market import funds
from market.clock import today_local
from market.contracts import access, payments
from market.contracts.models import ContractStatus, Milestone, MilestoneStatus
from market.errors import Conflict
from tests.factories import (assign_evaluation, budget_item, deliver_and_accept,
                             signed_contract, user)
from tests.probes import item_balances, procurement_counts


@pytest.fixture
def signed(app, demo, session, clock):
    item = budget_item(session)
    contract, bidders = signed_contract(session, clock, item)
    return item, contract, bidders["a"]


def _login(client, username):
    client.post("/logout")
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302


def test_signing_commits_each_gated_tranche_in_its_own_pool(session, signed):
    item, contract, _ = signed
    assert item_balances(session, item, contract) == {
        "available": D("260000.00"), "committed": D("240000.00"), "expense": D("0")}
    assert funds.committed_pools(session, contract) == {
        "": D("168000.00"), f"contract-{contract.id}/m3": D("72000.00")}


def test_gated_milestone_waits_for_a_passing_evaluation(app, client, session, signed):
    item, contract, contractor = signed
    finance = user(session, "finance")
    deliver_and_accept(session, contract, 3, contractor)
    before, balances = procurement_counts(session), item_balances(session, item, contract)

    # The service refuses …
    with pytest.raises(Conflict, match="third-party evaluation"):
        payments.approve_payment(session, finance, contract.id, 3)
    session.rollback()
    # … and so does the ledger itself, when the service check is bypassed.
    milestone = session.scalar(select(Milestone).where(Milestone.contract_id == contract.id,
                                                       Milestone.number == 3))
    with pytest.raises(Conflict):
        funds.pay_milestone(session, contract, milestone, by=finance)
    session.rollback()
    # The page and the API refuse with 409 and a reason.
    _login(client, "finance")
    page = client.post(f"/contracts/{contract.id}/milestones/3/pay")
    assert page.status_code == 409 and "第三方评估" in page.get_data(as_text=True)
    api = client.post(f"/api/v1/contracts/{contract.id}/milestones/3/payment")
    assert api.status_code == 409 and api.get_json()["error"] == "conflict"
    assert procurement_counts(session) == before
    assert item_balances(session, item, contract) == balances

    # A failed evaluation does not open the gate; a passing one does (each one requested
    # by the department and assigned to the demo evaluator's agency).
    assign_evaluation(session, contract, 3)
    _login(client, "evaluator")
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/evaluation",
                       json={"passed": False, "score": "55"}).status_code == 201
    _login(client, "finance")
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/payment").status_code \
        == 409
    assign_evaluation(session, contract, 3)
    _login(client, "evaluator")
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/evaluation",
                       json={"passed": True, "score": "91.5"}).status_code == 201
    _login(client, "finance")
    paid = client.post(f"/api/v1/contracts/{contract.id}/milestones/3/payment")
    assert paid.status_code == 201
    assert [m["status"] for m in paid.get_json()["milestones"]] == ["pending", "pending", "paid"]
    assert item_balances(session, item, contract) == {
        "available": D("260000.00"), "committed": D("168000.00"), "expense": D("72000.00")}


def test_a_payment_beyond_the_contract_is_refused(app, session, signed, tmp_path):
    item, contract, contractor = signed
    finance = user(session, "finance")
    deliver_and_accept(session, contract, 1, contractor)
    # Someone raised the milestone in the database: the service refuses to pay it.
    session.execute(Milestone.__table__.update().where(
        Milestone.contract_id == contract.id, Milestone.number == 1)
        .values(amount=D("250000.00") if session.bind.dialect.name != "sqlite" else 25000000))
    session.commit()
    session.expire_all()
    before, balances = procurement_counts(session), item_balances(session, item, contract)
    with pytest.raises(Conflict, match="exceed the contract"):
        payments.approve_payment(session, finance, contract.id, 1)
    session.rollback()
    # The ledger refuses to pay more than is committed to the contract, too.
    with pytest.raises(Conflict, match="Not enough budget"):
        funds.pay_milestone(session, contract, session.get(Milestone, contract.milestones[0].id),
                            by=finance)
    session.rollback()
    assert procurement_counts(session) == before
    assert item_balances(session, item, contract) == balances

    # And the beancount plugin flags such a payment in an exported ledger.
    operations.pay(session, today_local(), funds.budget_line(item), funds.contract_unit(contract),
                   D("168000.00"))  # the whole ungated pool: allowed
    session.commit()
    result = export(session, tmp_path / "export")
    text = result.main.parent.joinpath(f"{today_local().year}.beancount")
    journal = text.read_text(encoding="utf-8")
    head, payment = journal.rsplit("拨付", 1)  # the last transaction: the payment
    text.write_text(head + "拨付" + payment.replace("168000.00 CNY", "240000.01 CNY"),
                    encoding="utf-8")
    _, errors, _ = load_ledger(result.main)
    assert any("below zero" in e.message for e in errors)


def test_termination_releases_the_remainder(app, client, session, signed):
    item, contract, contractor = signed
    deliver_and_accept(session, contract, 1, contractor)
    payments.approve_payment(session, user(session, "finance"), contract.id, 1)
    session.commit()
    before = procurement_counts(session)
    _login(client, "dept")
    assert client.post(f"/contracts/{contract.id}/terminate", data={"reason": ""}).status_code \
        == 422
    assert procurement_counts(session) == before
    # Whose fault it was must be said.
    assert client.post(f"/contracts/{contract.id}/terminate",
                       data={"reason": "服务机构无法继续履约"}).status_code == 422
    assert procurement_counts(session) == before
    assert client.post(f"/contracts/{contract.id}/terminate",
                       data={"reason": "服务机构无法继续履约", "fault": "organization"}
                       ).status_code == 302
    session.expire_all()
    contract = access.get_contract(session, contract.id)
    assert contract.status == ContractStatus.TERMINATED
    assert contract.released == D("168000.00")
    assert [m.status for m in contract.milestones] == [
        MilestoneStatus.PAID, MilestoneStatus.CANCELLED, MilestoneStatus.CANCELLED]
    assert item_balances(session, item, contract) == {
        "available": D("428000.00"), "committed": D("0"), "expense": D("72000.00")}
    assert funds.committed_pools(session, contract) == {}
    # Nothing more can be paid or delivered.
    before = procurement_counts(session)
    with pytest.raises(Conflict):
        payments.approve_payment(session, user(session, "finance"), contract.id, 2)
    session.rollback()
    with pytest.raises(Conflict):
        payments.submit_deliverables(session, contractor, contract.id, 2, "补交")
    session.rollback()
    assert procurement_counts(session) == before
    assert "服务机构无法继续履约" in client.get(f"/contracts/{contract.id}").get_data(as_text=True)


def test_only_the_right_roles_act_on_a_milestone(app, client, session, signed):
    _, contract, contractor = signed
    before = procurement_counts(session)
    _login(client, "org")  # an organization, but not the contractor
    assert client.post(f"/contracts/{contract.id}/milestones/1/deliverables",
                       data={"text": "x"}).status_code == 403
    _login(client, "dept")
    assert client.post(f"/contracts/{contract.id}/milestones/1/pay").status_code == 403
    _login(client, "finance")
    assert client.post(f"/contracts/{contract.id}/milestones/1/accept").status_code == 403
    _login(client, contractor.username)
    assert client.post(f"/contracts/{contract.id}/milestones/1/evaluation",
                       data={"passed": "y"}).status_code == 403
    assert client.post(f"/contracts/{contract.id}/milestones/9/deliverables",
                       data={"text": "x"}).status_code == 404
    # Deliverables need a description; an accept needs something submitted.
    assert client.post(f"/contracts/{contract.id}/milestones/1/deliverables",
                       data={"text": " "}).status_code == 422
    _login(client, "dept")
    assert client.post(f"/contracts/{contract.id}/milestones/1/accept").status_code == 409
    assert procurement_counts(session) == before
