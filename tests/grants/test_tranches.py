"""A grant from agreement to its last tranche (资助协议 → 分期拨付): the ledger commits
at signing, pays tranche by tranche, refuses a tranche before its evaluation, and a
failing mid-term evaluation stops the grant and releases the rest — every amount
asserted on the ledger's balances, and the export passes bean-check with the plugin."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ledger.accounts import committed_account, expense_account
from ledger.balances import balance
from ledger.export import export
from ledger.models import Evaluation, Transaction
from market import funds
from market.errors import Conflict
from market.grants import funding
from market.grants.funding import DecisionLine
from market.grants.funding_models import GrantStatus, TrancheStatus
from tests.factories import user
from tests.grants.conftest import eligible, review_all


@pytest.fixture
def grants(session, grant_round, clock):
    """Two approved grants of 100,000 and 80,000 (50/30/20), their agreements signed."""
    a, member_a = eligible(session, grant_round, "100000.00")
    b, member_b = eligible(session, grant_round, "80000.00")
    clock.travel(grant_round.closes_at + dt.timedelta(hours=1))
    review_all(session, grant_round)
    civil = user(session, "civil")
    made = funding.decide_round(session, civil, grant_round.id, [
        DecisionLine(a.id, True, D("100000.00")), DecisionLine(b.id, True, D("80000.00"))])
    session.commit()
    clock.advance(days=5)
    for grant in made:
        funding.sign_agreement(session, civil, grant.id, clock.now.date())
    session.commit()
    return made, (member_a, member_b)


def committed(session, grant):
    return funds.grant_committed(session, grant)


def ledger_rows(session):
    session.expire_all()
    return (session.scalar(select(func.count(Transaction.id))),
            session.scalar(select(func.count(Evaluation.id))))


def _evaluate(session, clock, grant, member, stage, passed):
    civil, evaluator = user(session, "civil"), user(session, "evaluator")
    funding.submit_report(session, member, grant.id, stage, f"{stage} 报告正文")
    funding.assign_evaluation(session, civil, grant.id, stage, evaluator.agency_id)
    session.commit()
    clock.advance(days=1)
    funding.record_evaluation(session, evaluator, grant.id, stage, passed, "86.50" if passed
                              else "52.00", report="评估意见")
    session.commit()


def test_signing_commits_every_tranche_out_of_the_reservation(session, grants):
    made, _ = grants
    grant = made[0]
    assert grant.status == GrantStatus.SIGNED
    assert funds.grant_reserved(session, grant) == D("0.00")
    assert committed(session, grant) == {"": D("50000.00"), f"{grant.code}/midterm": D("30000.00"),
                                         f"{grant.code}/final": D("20000.00")}
    assert all(t.commit_txn_id for t in grant.tranches)


def test_tranches_paid_in_turn_after_passing_evaluations(session, grants, clock):
    made, members = grants
    grant, finance = made[0], user(session, "finance")
    line = funds.budget_line(grant.round.item)
    paid_before = balance(session, expense_account(line, "Grants").name)
    funding.pay_tranche(session, finance, grant.id, 1)
    session.commit()
    # Tranche 2 before its mid-term evaluation: refused, nothing written.
    before = ledger_rows(session)
    with pytest.raises(Conflict) as refused:
        funding.pay_tranche(session, finance, grant.id, 2)
    session.rollback()
    assert "only after a passing evaluation" in str(refused.value.message)
    assert ledger_rows(session) == before
    assert grant.tranches[1].status == TrancheStatus.PENDING
    _evaluate(session, clock, grant, members[0], "midterm", True)
    funding.pay_tranche(session, finance, grant.id, 2)
    session.commit()
    with pytest.raises(Conflict):  # the final tranche waits for the final evaluation
        funding.pay_tranche(session, finance, grant.id, 3)
    session.rollback()
    _evaluate(session, clock, grant, members[0], "final", True)
    funding.pay_tranche(session, finance, grant.id, 3)
    session.commit()
    session.refresh(grant)
    assert grant.status == GrantStatus.COMPLETED and grant.paid == D("100000.00")
    assert committed(session, grant) == {}
    assert balance(session, expense_account(line, "Grants").name) == paid_before + D("100000.00")
    assert balance(session, committed_account(line, funds.grant_unit(grant)).name) == D("0.00")


def test_a_failing_midterm_stops_the_grant_and_releases_the_rest(session, grants, clock):
    made, members = grants
    grant, finance = made[1], user(session, "finance")
    funding.pay_tranche(session, finance, grant.id, 1)
    session.commit()
    available = funds.item_funds(session, grant.round.item).available
    _evaluate(session, clock, grant, members[1], "midterm", False)
    session.refresh(grant)
    assert grant.status == GrantStatus.STOPPED
    assert grant.released == D("40000.00")  # 30 % + 20 % of 80,000
    assert committed(session, grant) == {}
    assert funds.item_funds(session, grant.round.item).available == available + D("40000.00")
    assert [t.status for t in grant.tranches] == [TrancheStatus.PAID, TrancheStatus.CANCELLED,
                                                  TrancheStatus.CANCELLED]
    before = ledger_rows(session)
    with pytest.raises(Conflict):
        funding.pay_tranche(session, finance, grant.id, 2)
    session.rollback()
    assert ledger_rows(session) == before


def test_the_export_passes_bean_check_and_shows_the_release(session, grants, clock, tmp_path):
    made, members = grants
    finance = user(session, "finance")
    for grant in made:
        funding.pay_tranche(session, finance, grant.id, 1)
    session.commit()
    _evaluate(session, clock, made[0], members[0], "midterm", True)
    funding.pay_tranche(session, finance, made[0].id, 2)
    _evaluate(session, clock, made[1], members[1], "midterm", False)
    session.commit()
    result = export(session, tmp_path / "export")
    env = {**os.environ, "PYTHONPATH": "", "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    checked = subprocess.run([str(Path(sys.executable).with_name("bean-check")),
                              str(result.main)], capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "export").glob("*.beancount"))
    assert f'custom "evaluation" "{made[0].code}/midterm" TRUE' in text
    assert f'custom "evaluation" "{made[1].code}/midterm" FALSE' in text
    assert f"^{made[1].code}" in text and f"^grant-round-{made[1].round_id}" in text
    assert f"公益创投释放 grant released {made[1].code}" in text
    from ledger.verify import verify

    assert verify(session).ok


def test_the_public_round_page_lists_funded_projects(client, session, grants, clock):
    made, members = grants
    _evaluate(session, clock, made[1], members[1], "midterm", False)
    client.post("/logout")
    for language, words in (("zh", ("已终止", "中期: 不合格")), ("en", ("Stopped", "Mid-term: Failed"))):
        client.post(f"/language/{language}", data={"next": "/"})
        page = client.get(f"/grants/rounds/{made[0].round_id}").get_data(as_text=True)
        assert made[0].application.title in page and "100,000.00" in page
        assert all(w in page for w in words), language


# --- through HTTP ---------------------------------------------------------------------------

import io  # noqa: E402

from tests.grants.conftest import PDF, login  # noqa: E402


def test_reports_evaluations_and_tranches_through_http(client, session, grants, clock):
    made, (member_a, member_b) = grants
    grant = made[0]
    url = f"/grants/projects/{grant.id}"
    login(client, "finance")
    assert client.post(f"{url}/tranches/1/pay").status_code == 302
    # the mid-term tranche before its evaluation: refused in both languages, nothing written
    before = ledger_rows(session)
    for language, message in (("zh", "评估合格后才能拨付"), ("en", "only after a passing evaluation")):
        login(client, "finance", language)
        refused = client.post(f"{url}/tranches/2/pay")
        assert refused.status_code == 409 and message in refused.get_data(as_text=True)
    assert ledger_rows(session) == before
    payable = client.get("/grants/payable").get_data(as_text=True)
    assert grant.application.title not in payable
    login(client, member_a.username)
    assert client.post(f"{url}/reports/midterm", data={
        "midterm-text": "中期执行情况良好", "midterm-document": (io.BytesIO(PDF), "中期报告.pdf")},
        content_type="multipart/form-data").status_code == 302
    login(client, "civil")
    assert client.post(f"{url}/evaluations/midterm/assign", data={
        "assign-midterm-agency_id": str(user(session, "evaluator").agency_id)}).status_code == 302
    login(client, "evaluator")
    page = client.get(url).get_data(as_text=True)
    assert "中期执行情况良好" in page and "记录这次评估" in page
    assert client.post(f"{url}/evaluations/midterm", data={
        "evaluation-midterm-passed": "pass", "evaluation-midterm-score": "88.00",
        "evaluation-midterm-report": "达到中期目标"}).status_code == 302
    login(client, "finance")
    assert grant.application.title in client.get("/grants/payable").get_data(as_text=True)
    assert client.post(f"{url}/tranches/2/pay").status_code == 302
    session.expire_all()
    assert [t.status for t in grant.tranches][:2] == [TrancheStatus.PAID, TrancheStatus.PAID]
    login(client, member_a.username)
    home = client.get("/home").get_data(as_text=True)
    assert grant.application.title in home and "80,000.00 / 100,000.00" in home
    login(client, "finance")
    page = client.get(url).get_data(as_text=True)
    assert "80,000.00" in page  # paid so far
    # the other grant fails its mid-term through HTTP: stopped, the rest released
    other = made[1]
    login(client, member_b.username)
    client.post(f"/grants/projects/{other.id}/reports/midterm", data={"midterm-text": "进展缓慢"})
    login(client, "civil")
    client.post(f"/grants/projects/{other.id}/evaluations/midterm/assign", data={
        "assign-midterm-agency_id": str(user(session, "evaluator").agency_id)})
    login(client, "evaluator")
    assert client.post(f"/grants/projects/{other.id}/evaluations/midterm", data={
        "evaluation-midterm-passed": "fail", "evaluation-midterm-score": "48.00"}).status_code == 302
    session.expire_all()
    assert other.status == GrantStatus.STOPPED and other.released == D("80000.00")
    login(client, member_b.username, "en")
    page = client.get(f"/grants/projects/{other.id}").get_data(as_text=True)
    assert "Stopped after a failing evaluation" in page and "Released back to the pool" in page


def test_budget_execution_shows_grants_beside_contracts(client, session, grants, clock):
    from market.auditor.queries import budget_execution

    made, members = grants
    finance = user(session, "finance")
    funding.pay_tranche(session, finance, made[0].id, 1)
    session.commit()
    _evaluate(session, clock, made[1], members[1], "midterm", False)
    item = made[0].round.item
    execution = budget_execution(session, item.catalog.fiscal_year)
    row = next(r for d in execution.departments for r in d.items if r.item.id == item.id)
    # 100,000 + 80,000 granted; 50,000 paid; 80,000 released; 50,000 still committed
    assert (row.grants.reserved, row.grants.committed, row.grants.paid, row.grants.released) \
        == (D("0.00"), D("50000.00"), D("50000.00"), D("80000.00"))
    assert row.committed >= row.grants.committed and row.paid >= row.grants.paid
    assert execution.reconciles
    login(client, "auditor")
    page = client.get(f"/audit/?fy={item.catalog.fiscal_year}").get_data(as_text=True)
    assert "公益创投资助" in page and "80,000.00" in page
