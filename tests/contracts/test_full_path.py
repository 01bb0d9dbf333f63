"""The whole path through HTTP: catalog item → tender → questions → four bids → opening →
expert scoring → award → a rejected challenge → contract → three milestone payments →
closed — with the ledger balances at each step, and the export passing beancount's check.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

from sqlalchemy import select

from ledger.export import export
from ledger.verify import load_ledger, verify
from market.auditlog.models import AuditEntry
from market.catalogs.models import Catalog, CatalogItem
from market.clock import to_local
from market.contracts.models import Contract, ContractStatus, MilestoneStatus
from market.orgs.demo import minimal_pdf
from market.tenders.scoring.models import Challenge, ChallengeStatus
from market.tenders.models import Question, Tender, TenderStatus
from market.tenders.scoring import services as evaluation
from tests.factories import bid_of, new_experts, org_member, user
from market import funds
from tests.probes import item_balances

PDF = minimal_pdf("deliverable")


def _as(client, username):
    client.post("/logout")
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302


def _local(value: dt.datetime) -> str:
    return to_local(value).strftime("%Y-%m-%dT%H:%M")


def test_catalog_to_closed_contract_through_http(app, client, demo, session, clock, tmp_path):
    # The department's FY2028 catalog item, approved by finance: 500,000 available.
    _as(client, "dept")
    client.post("/catalogs/new", data={"fiscal_year": "2028"})
    catalog = session.scalar(select(Catalog).where(Catalog.fiscal_year == 2028))
    assert client.post(f"/catalogs/{catalog.id}/items", data={
        "service_category": "health", "title": "社区健康宣教服务", "description": "健康讲座",
        "quantity": "100", "unit": "场次", "budget": "500000.00",
        "eligible_categories": ["charity", "community"], "min_grade": "0"}).status_code == 302
    client.post(f"/catalogs/{catalog.id}/submit")
    _as(client, "finance")
    assert client.post(f"/catalogs/{catalog.id}/approve").status_code == 302
    item = session.scalar(select(CatalogItem).where(CatalogItem.catalog_id == catalog.id))
    assert item_balances(session, item) == {"available": D("500000.00"), "expense": D("0")}

    # The department publishes the item's procurement intention (采购意向); its tender
    # may be published 30 days later (财库〔2020〕10号).
    _as(client, "dept")
    assert client.post(f"/catalogs/items/{item.id}/intention", data={
        "needs": "全市社区健康讲座100场", "month": "2028-06"}).status_code == 302
    clock.advance(days=30)

    # A tender on it, with a 6 % price deduction for 3A+ bids.
    now = clock.now
    response = client.post(f"/tenders/new?item={item.id}", data={
        "title": "2028年社区健康宣教服务", "description": "全市社区健康讲座100场",
        "procedure": "open", "ceiling_price": "300000.00",
        "eligible_categories": ["charity", "community"], "min_grade": "0",
        "priority_rule": "price_deduction", "priority_value": "6",
        "clarification_deadline": _local(now + dt.timedelta(days=5)),
        "bid_deadline": _local(now + dt.timedelta(days=10)),
        "opening_time": _local(now + dt.timedelta(days=10, hours=1)),
        "standstill_days": "7", "challenge_window_days": "7", "price_weight": "30",
        "criteria-0-name": "服务方案", "criteria-0-weight": "40",
        "criteria-1-name": "团队与经验", "criteria-1-weight": "30"})
    assert response.status_code == 302, response.get_data(as_text=True)
    tender = session.scalar(select(Tender).where(Tender.catalog_item_id == item.id))
    # Publication needs the tender documents (招标文件): refused without, then attached.
    refused = client.post(f"/tenders/{tender.id}/publish", follow_redirects=True)
    assert "Attach the tender documents" in refused.get_data(as_text=True) \
        or "招标文件" in refused.get_data(as_text=True)
    assert client.post(f"/tenders/{tender.id}/documents", data={
        "document": (io.BytesIO(minimal_pdf("tender documents")), "招标文件.pdf")},
        content_type="multipart/form-data").status_code == 302
    assert client.post(f"/tenders/{tender.id}/publish").status_code == 302
    # Publication reserves the ceiling (预留): it is no longer available to another tender.
    assert item_balances(session, item)["available"] == D("200000.00")
    assert funds.reserved(session, tender) == D("300000.00")

    # Four bidders, two graded 3A or above; one asks a question, the department answers.
    _, a = org_member(session, grade=4, name="昆山市甲社工服务中心")
    _, b = org_member(session, grade=3, name="昆山市乙公益服务社")
    _, c = org_member(session, grade=0, name="昆山市丙志愿者协会")
    _, d = org_member(session, grade=2, name="昆山市丁健康促进会")
    _as(client, c.username)
    client.post(f"/tenders/{tender.id}/questions", data={"question": "讲座场地由谁提供？"})
    question = session.scalar(select(Question).where(Question.tender_id == tender.id))
    _as(client, "dept")
    assert client.post(f"/tenders/questions/{question.id}/answer",
                       data={"answer": "由各社区提供。"}).status_code == 302
    prices = {a: "266666.67", b: "255000.00", c: "240000.00", d: "290000.00"}
    for bidder, price in prices.items():
        _as(client, bidder.username)
        assert client.post(f"/tenders/{tender.id}/bid", data={
            "price": price, "proposal": f"{bidder.display_name}的服务方案"}).status_code == 302

    # Opening.
    clock.travel(tender.opening_time + dt.timedelta(minutes=10))
    _as(client, "dept")
    assert client.post(f"/tenders/{tender.id}/open").status_code == 302
    session.refresh(tender)
    assert tender.status == TenderStatus.OPENED

    # The committee: five experts drawn from the pool declare no conflict and score.
    new_experts(session, 5)
    assert client.post(f"/tenders/{tender.id}/committee/draw", data={
        "specialty": "social_work", "members": "5"}).status_code == 302
    experts = [seat.expert for seat in evaluation.active_experts(session, tender)]
    assert len(experts) == 5
    technical = [cr for cr in tender.criteria if not cr.is_price]
    marks = {a: ("36", "27"), b: ("30", "24"), c: ("28", "22"), d: ("25", "20")}
    assert client.get(f"/tenders/{tender.id}/award").status_code == 404  # no results yet
    for n, e in enumerate(experts):
        _as(client, e.username)
        assert client.post(f"/tenders/{tender.id}/declaration",
                           data={"statement": "none"}).status_code == 302
        form = {f"score-{bid_of(session, tender, who).id}-{cr.id}": v
                for who, values in marks.items() for cr, v in zip(technical, values)}
        assert client.post(f"/tenders/{tender.id}/scores", data=form).status_code == 302
        page = client.get(f"/tenders/{tender.id}/scoring").get_data(as_text=True)
        # Nobody sees the others' scores until all have submitted.
        assert ('id="all-scores"' in page) == (n == len(experts) - 1)
        client.post("/logout")
        if n < len(experts) - 1:
            assert client.get(f"/tenders/{tender.id}/award").status_code == 404
    session.refresh(tender)
    assert tender.status == TenderStatus.EVALUATED

    # Award to the top-ranked bid (A: 3A+, its 266,666.67 counted as 250,666.67).
    _as(client, "dept")
    bid_a = bid_of(session, tender, a)
    assert client.post(f"/tenders/{tender.id}/award",
                       data={"bid_id": str(bid_a.id)}).status_code == 302
    client.post("/logout")
    html = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    assert "昆山市甲社工服务中心" in html and "250,666.67" in html and "91.69" in html
    # The award keeps the awarded price reserved and gives the rest of the ceiling back.
    assert item_balances(session, item)["available"] == D("233333.33")
    assert funds.reserved(session, tender) == D("266666.67")

    # C challenges; no contract while it is open; the department rejects it with reasons.
    _as(client, c.username)
    assert client.post(f"/tenders/{tender.id}/challenges", data={
        "grounds": "价格扣除计算有误", "evidence": (io.BytesIO(PDF), "证据.pdf")},
        content_type="multipart/form-data").status_code == 302
    challenge = session.scalar(select(Challenge).where(Challenge.tender_id == tender.id))
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    _as(client, "dept")
    schedule = {"title-1": "预付款", "percent-1": "30", "due-1": "2028-03-01",
                "title-2": "中期交付", "percent-2": "40", "due-2": "2028-07-01",
                "title-3": "结项验收", "percent-3": "30", "due-3": "2028-12-01", "gated-3": "y"}
    blocked = client.post(f"/contracts/sign/{tender.id}", data=schedule)
    assert blocked.status_code == 409 and "质疑" in blocked.get_data(as_text=True)
    assert client.post(f"/tenders/challenges/{challenge.id}/answer",
                       data={"reason": "经复核，价格扣除计算符合招标文件规定。"}).status_code == 302
    session.refresh(challenge)
    assert challenge.status == ChallengeStatus.REJECTED
    assert "经复核" in client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)

    # The contract at the awarded price: 30 / 40 / 30 %, the last gated by an evaluation.
    assert client.post(f"/contracts/sign/{tender.id}", data=schedule).status_code == 302
    contract = session.scalar(select(Contract).where(Contract.tender_id == tender.id))
    assert contract.amount == D("266666.67")
    assert [m.amount for m in contract.milestones] == [D("80000.00"), D("106666.66"),
                                                       D("80000.01")]
    session.refresh(tender)
    assert tender.status == TenderStatus.CONTRACTED
    assert item_balances(session, item, contract) == {
        "available": D("233333.33"), "committed": D("266666.67"), "expense": D("0")}
    assert funds.reserved(session, tender) == D("0.00")  # signing moved it to committed

    # A accepts (countersigns) the written contract; it takes effect and is published.
    _as(client, a.username)
    assert client.post(f"/contracts/{contract.id}/accept", data={
        "confirm": "y", "password": "demo-pass-2026"}).status_code == 302
    session.refresh(contract)
    assert contract.in_effect and contract.published_at is not None

    def deliver(number):
        _as(client, a.username)
        assert client.post(f"/contracts/{contract.id}/milestones/{number}/deliverables", data={
            "text": f"第{number}期交付成果", "documents": (io.BytesIO(PDF), "成果.pdf")},
            content_type="multipart/form-data").status_code == 302

    def accept(number):
        _as(client, "dept")
        assert client.post(f"/contracts/{contract.id}/milestones/{number}/accept").status_code \
            == 302

    def pay(number, expected=302):
        _as(client, "finance")
        response = client.post(f"/contracts/{contract.id}/milestones/{number}/pay")
        assert response.status_code == expected
        return response

    # Milestone 1.
    deliver(1)
    accept(1)
    pay(1)
    assert item_balances(session, item, contract) == {
        "available": D("233333.33"), "committed": D("186666.67"), "expense": D("80000.00")}
    # Milestone 2: rejected once with reasons, then accepted.
    deliver(2)
    _as(client, "dept")
    assert client.post(f"/contracts/{contract.id}/milestones/2/reject",
                       data={"reason": "缺少活动签到表"}).status_code == 302
    assert "缺少活动签到表" in client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    deliver(2)
    accept(2)
    pay(2)
    assert item_balances(session, item, contract)["expense"] == D("186666.66")
    # Milestone 3 is gated: refused before a passing evaluation, paid after one.
    deliver(3)
    accept(3)
    refused = pay(3, 409)
    assert "第三方评估" in refused.get_data(as_text=True)
    assert item_balances(session, item, contract)["committed"] == D("80000.01")
    # The department requests the evaluation; civil affairs assigns an agency with no
    # conflict of interest; only that agency's evaluator may report.
    _as(client, "dept")
    assert client.post(f"/performance-evaluations/request/{contract.id}/3").status_code == 302
    from market.performance.models import EvaluationRequest

    request_id = session.scalar(select(EvaluationRequest.id).where(
        EvaluationRequest.contract_id == contract.id))
    _as(client, "civil")
    assert client.post(f"/performance-evaluations/{request_id}/assign", data={
        "agency_id": user(session, "evaluator").agency_id}).status_code == 302
    _as(client, "evaluator")
    assert client.post(f"/contracts/{contract.id}/milestones/3/evaluation", data={
        "passed": "y", "score": "88.50", "report": (io.BytesIO(PDF), "评估报告.pdf")},
        content_type="multipart/form-data").status_code == 302
    pay(3)
    session.expire_all()
    contract = session.get(Contract, contract.id)
    assert contract.status == ContractStatus.COMPLETED
    assert all(m.status == MilestoneStatus.PAID for m in contract.milestones)
    assert item_balances(session, item, contract) == {
        "available": D("233333.33"), "committed": D("0"), "expense": D("266666.67")}

    # The public sees the contract and its payments; the ledger checks out with beancount.
    client.post("/logout")
    public = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "266,666.67" in public and "已结清" in public
    assert verify(session).ok
    result = export(session, tmp_path / "export")
    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    entries, errors, _ = load_ledger(result.main)
    assert errors == []
    checked = subprocess.run([str(Path(sys.executable).with_name("bean-check")), str(result.main)],
                             capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "export").glob("*.beancount"))
    assert f'custom "evaluation" "contract-{contract.id}/m3" TRUE' in text
    assert f"^contract-{contract.id}" in text

    # Every step is in the audit log.
    actions = set(session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type.in_(["tender", "challenge", "contract", "milestone"]))))
    assert {"draw_committee", "declare_no_conflict", "submit_scores", "evaluate", "award",
            "file", "answer", "sign", "contract", "submit", "accept", "reject", "pay",
            "complete"} <= actions
