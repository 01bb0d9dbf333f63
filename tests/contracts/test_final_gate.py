"""The payment gate follows the latest evaluation (a later fail closes what a pass opened),
and the final tranche of every contract waits for a final performance evaluation unless the
tender says otherwise, with a reason shown on the tender and contract pages."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from market import funds
from market.contracts.models import Contract, Milestone
from market.errors import Conflict
from market.tenders.models import Tender
from tests.factories import (assign_evaluation, awarded_tender, budget_item,
                             deliver_and_accept, signed_contract, user)
from tests.probes import item_balances, procurement_counts, untranslated

UNGATED_END = {"title-1": "预付款", "percent-1": "30", "due-1": "2028-03-01",
               "title-2": "中期交付", "percent-2": "40", "due-2": "2028-07-01", "gated-2": "y",
               "title-3": "结项验收", "percent-3": "30", "due-3": "2028-12-01"}


def _as(client, username, language="zh"):
    client.post("/logout")
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    client.post(f"/language/{language}", data={"next": "/"})


def _evaluate(client, contract, number, passed, score):
    _as(client, "evaluator")
    response = client.post(f"/api/v1/contracts/{contract.id}/milestones/{number}/evaluation",
                           json={"passed": passed, "score": score})
    assert response.status_code == 201, response.get_json()


@pytest.fixture
def signed(app, demo, session, clock):
    item = budget_item(session)
    contract, bidders = signed_contract(session, clock, item)
    return item, contract, bidders["a"]


@pytest.mark.parametrize("language, says", [
    ("zh", "第三方评估"), ("en", "needs a passing third-party evaluation")])
def test_a_later_failing_evaluation_closes_the_gate(client, session, signed, language, says):
    item, contract, contractor = signed
    deliver_and_accept(session, contract, 3, contractor)
    assign_evaluation(session, contract, 3)
    _evaluate(client, contract, 3, True, "88")
    # The pass opened the gate; the department asks again and the second evaluation fails.
    assign_evaluation(session, contract, 3)
    _evaluate(client, contract, 3, False, "52")
    before, balances = procurement_counts(session), item_balances(session, item, contract)
    _as(client, "finance", language)
    page = client.post(f"/contracts/{contract.id}/milestones/3/pay")
    assert page.status_code == 409 and says in page.get_data(as_text=True)
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/payment").status_code \
        == 409
    # The ledger itself refuses too, when the service check is bypassed.
    milestone = session.scalar(select(Milestone).where(Milestone.contract_id == contract.id,
                                                       Milestone.number == 3))
    with pytest.raises(Conflict):
        funds.pay_milestone(session, contract, milestone, by=user(session, "finance"))
    session.rollback()
    assert procurement_counts(session) == before
    assert item_balances(session, item, contract) == balances
    detail = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert ("最近一次绩效评价不合格" if language == "zh"
            else "the latest evaluation failed") in detail

    # A third evaluation that passes opens it again.
    assign_evaluation(session, contract, 3)
    _evaluate(client, contract, 3, True, "90")
    _as(client, "finance")
    assert client.post(f"/api/v1/contracts/{contract.id}/milestones/3/payment").status_code \
        == 201
    assert item_balances(session, item, contract)["expense"] == D("72000.00")


@pytest.mark.parametrize("language, says", [
    ("zh", "尾款须在终期绩效评价合格后方可支付"),
    ("en", "The final tranche is paid only after a passing final performance evaluation")])
def test_the_final_tranche_must_be_gated(client, session, clock, app, demo, language, says):
    item = budget_item(session)
    tender, _ = awarded_tender(session, clock, item)
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    before, balances = procurement_counts(session), item_balances(session, item)
    _as(client, "dept", language)
    response = client.post(f"/contracts/sign/{tender.id}", data=UNGATED_END)
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    assert procurement_counts(session) == before and item_balances(session, item) == balances
    gated = {**UNGATED_END, "gated-3": "y"}
    assert client.post(f"/contracts/sign/{tender.id}", data=gated).status_code == 302


def test_a_tender_may_waive_the_final_evaluation_with_a_reason(client, session, clock, app,
                                                               demo):
    item = budget_item(session)
    tender, _ = awarded_tender(session, clock, item)
    session.execute(Tender.__table__.update().where(Tender.id == tender.id).values(
        final_evaluation_waiver="一次性公益活动，按场次验收"))
    session.commit()
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    _as(client, "dept")
    assert client.post(f"/contracts/sign/{tender.id}", data=UNGATED_END).status_code == 302
    contract = session.scalar(select(Contract).where(Contract.tender_id == tender.id))
    assert not contract.milestones[-1].needs_evaluation
    for language, says in [("zh", "不经终期绩效评价支付，理由：一次性公益活动，按场次验收"),
                           ("en", "Paid without a final performance evaluation, because: "
                                  "一次性公益活动，按场次验收")]:
        _as(client, "dept", language)
        assert says in client.get(f"/contracts/{contract.id}").get_data(as_text=True)
        assert says in client.get(f"/tenders/{tender.id}").get_data(as_text=True)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_contract_and_tender_pages_show_the_final_gate(app, session, signed, language):
    _, contract, _ = signed
    pages = [(None, f"/contracts/{contract.id}"), (None, f"/tenders/{contract.tender_id}"),
             ("dept", f"/contracts/{contract.id}")]
    assert untranslated(app, session, pages, language) == []
