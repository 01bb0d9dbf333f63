"""A full venture philanthropy round through the pages (issue 11, done-when): civil affairs
creates and publishes a round → 12 organizations apply and submit → the window closes →
civil affairs screens (two ineligible, with reasons) → draws the reviewers at random →
one reviewer declares a conflict (a redraw) → every reviewer scores → the ranking (mean,
spread, the disagreement flag) → a decision within the pool (the rejected applicant reads
its reason) → agreements signed → tranche 1 paid → mid-term reports and evaluations (one
failing: the grant stops and its commitment is released) → tranche 2 for the others →
final reports and evaluations → tranche 3. The ledger export then passes bean-check with
the plugin and shows the release linked to the stopped grant.

Every step goes through HTTP (the test client, CSRF off). Only the test's own setup is
written directly: the 12 organizations with their users and the experts of the drawn
specialty (``tests.factories``; registration and the expert pool have their own pages and
tests), the clock travelling past the window and between stages, and civil affairs' item
given room for the pool (``civil_item``: finance's budget amendment)."""
from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

from sqlalchemy import select

from ledger.export import export
from ledger.verify import verify
from market import funds
from market.clock import LOCAL_TZ
from market.grants import review
from market.grants.funding_models import Grant, GrantStatus, TrancheStatus
from market.grants.models import ApplicationStatus, GrantApplication, GrantRound
from tests.factories import new_experts, org_member, user
from tests.grants.conftest import application_form, civil_item, login

SPECIALTY = "health"  # no demo expert has it: the test's experts are the whole pool
TITLE = "全流程测试公益创投活动"
POOL = D("300000.00")


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")


def _round_form(session, clock) -> dict:
    return {
        "title": TITLE, "description": "征集社区公益项目，择优资助", "pool": str(POOL),
        "cap": "100000.00", "min_self_share": "20",
        "eligible_categories": ["charity", "community"], "min_grade": "0",
        "priority_mode": "score_bonus", "priority_value": "3", "startups_without_grade": "y",
        "opens_at": _local(clock.now - dt.timedelta(hours=1)),
        "closes_at": _local(clock.now + dt.timedelta(days=2)),
        "reviewers_per_application": "3", "criteria": "项目设计 | 60\n执行能力 | 40",
        "questions": "text | 团队介绍 | | required\nchoice | 服务范围 | 覆盖农村;仅城市 | required",
        "tranche_signing": "50", "tranche_midterm": "30", "tranche_final": "20",
        "reporting_dates": "2027-06-30\n2027-12-15", "item_id": str(civil_item(session).id),
    }


def _scores(n: int) -> list[tuple[int, int]]:
    """Per application (in order of submission), the criterion scores of its three
    reviewers, seat by seat: higher for the earlier applications; the third application's
    reviewers disagree by more than the 20-point margin."""
    base = 90 - 3 * n
    if n == 2:
        return [(95, 95), (60, 60), (80, 80)]
    return [(base, base - 2), (base - 1, base - 1), (base + 1, base - 3)]


def _post_ok(client, url, data=None, **kw):
    response = client.post(url, data=data or {}, **kw)
    assert response.status_code == 302, (url, response.status_code, [
        line for line in _text(response).splitlines() if "error" in line or "flash" in line])
    return response


def test_a_full_round_through_the_pages(app, client, session, demo, clock, tmp_path):
    evaluator = user(session, "evaluator")

    # --- the call: civil affairs creates and publishes the round ---------------------------
    login(client, "civil")
    _post_ok(client, "/grants/rounds/new", _round_form(session, clock))
    grant_round = session.scalar(select(GrantRound).where(GrantRound.title == TITLE))
    _post_ok(client, f"/grants/rounds/{grant_round.id}/publish")
    client.post("/logout")
    assert TITLE in _text(client.get("/grants/"))
    page = _text(client.get(f"/grants/rounds/{grant_round.id}"))
    assert "团队介绍" in page and "300,000.00" in page

    # --- 12 organizations apply and submit -------------------------------------------------
    members, applications = [], []
    for n in range(12):
        org, member = org_member(session, grade=3 if n == 0 else 2)
        login(client, member.username)
        _post_ok(client, f"/grants/rounds/{grant_round.id}/apply",
                 application_form(session, title=f"社区项目{n + 1:02d}", q1=f"团队{n + 1}",
                                  q2="仅城市", q3=None, q4=None),
                 content_type="multipart/form-data")
        made = session.scalar(select(GrantApplication).where(
            GrantApplication.round_id == grant_round.id,
            GrantApplication.organization_id == org.id))
        _post_ok(client, f"/grants/applications/{made.id}/submit")
        members.append(member)
        applications.append(made)
    session.expire_all()
    assert [a.status for a in applications] == [ApplicationStatus.SUBMITTED] * 12
    assert applications[0].answers["q1"] == "团队1"

    # --- the window closes; civil affairs screens ------------------------------------------
    clock.travel(grant_round.closes_at + dt.timedelta(hours=1))
    login(client, "civil")
    screening = _text(client.get(f"/grants/rounds/{grant_round.id}/screening"))
    assert all(a.title in screening for a in applications)
    ineligible = {10: ("out_of_scope", "项目以会员联谊为主，不属于本次创投方向"),
                  11: ("budget", "预算明细与项目内容不符")}
    for n, a in enumerate(applications):
        outcome, reason, note = (("ineligible", *ineligible[n]) if n in ineligible
                                 else ("eligible", "meets_requirements", ""))
        _post_ok(client, f"/grants/applications/{a.id}/screen", {
            f"a{a.id}-outcome": outcome, f"a{a.id}-reason": reason, f"a{a.id}-note": note})
    session.expire_all()
    assert [a.status for a in applications].count(ApplicationStatus.ELIGIBLE) == 10
    login(client, members[11].username)
    shown = _text(client.get(f"/grants/applications/{applications[11].id}"))
    assert "未通过资格审查" in shown and "预算明细与项目内容不符" in shown
    eligible = applications[:10]

    # --- the random draw; one reviewer declares a conflict --------------------------------
    new_experts(session, 6, specialty=SPECIALTY)
    login(client, "civil")
    _post_ok(client, f"/grants/rounds/{grant_round.id}/draw-reviewers",
             {"specialty": SPECIALTY})
    assert all(len(review.seats(session, a)) == 3 for a in eligible)
    first = eligible[0]
    conflicted = review.seats(session, first)[0]
    login(client, conflicted.user.username)
    _post_ok(client, f"/grants/reviews/{first.id}/declare",
             {"conflict": "yes", "note": "曾为该机构提供有偿督导服务"})
    session.expire_all()
    seats = review.seats(session, first)
    assert len(seats) == 3 and conflicted.user_id not in {s.user_id for s in seats}
    assert not conflicted.active and conflicted.conflict

    # --- every reviewer declares and scores -------------------------------------------------
    by_reviewer: dict[str, list[tuple[int, tuple[int, int]]]] = {}
    for n, a in enumerate(eligible):
        for seat, scores in zip(review.seats(session, a), _scores(n), strict=True):
            by_reviewer.setdefault(seat.user.username, []).append((a.id, scores))
    for username, work in by_reviewer.items():
        login(client, username)
        for app_id, (s0, s1) in work:
            _post_ok(client, f"/grants/reviews/{app_id}/declare", {"conflict": "no", "note": ""})
            _post_ok(client, f"/grants/reviews/{app_id}/scores", {
                "criteria-0-score": str(s0), "criteria-0-comment": "设计合理",
                "criteria-1-score": str(s1), "criteria-1-comment": "执行可行",
                "submit_scores": "1"})
    session.expire_all()
    assert all(review.reviews_complete(session, a) for a in eligible)

    # --- the ranking: mean, spread and the flag -------------------------------------------
    login(client, "civil")
    ranking_page = _text(client.get(f"/grants/rounds/{grant_round.id}/review"))
    ranked = review.ranking(session, grant_round)
    assert [r.application.id for r in ranked][:2] == [eligible[0].id, eligible[1].id]
    assert ranked[0].bonus == D("3.00")  # 3A+ priority as a score bonus
    flagged = [r for r in ranked if r.flagged]
    assert [r.application.id for r in flagged] == [eligible[2].id]
    assert flagged[0].spread == D("35.00") and flagged[0].mean == D("78.33")
    row = ranking_page.split(f'id="ranked-{eligible[2].id}"')[1].split("</tr>")[0]
    assert "分差超过20分" in ranking_page  # the margin, not "2E+1"
    assert "评分分歧较大" in row and "78.33" in row and "35.00" in row
    assert "78.33" in ranking_page and "35.00" in ranking_page

    # --- the decision within the pool ------------------------------------------------------
    order = [r.application for r in ranked]
    amounts = {order[0].id: "80000.00", order[1].id: "80000.00", order[2].id: "80000.00",
               order[3].id: "60000.00"}  # 300,000: the whole pool
    data = {}
    for n, a in enumerate(order):
        funded = a.id in amounts
        data.update({f"rows-{n}-application_id": str(a.id),
                     f"rows-{n}-decision": "fund" if funded else "reject",
                     f"rows-{n}-amount": amounts.get(a.id, ""),
                     f"rows-{n}-reason": "" if funded else "综合评分排名靠后，资金池已分配完毕"})
    over = dict(data, **{"rows-4-decision": "fund", "rows-4-amount": "50000.00"})
    refused = client.post(f"/grants/rounds/{grant_round.id}/decision", data=over)
    assert refused.status_code == 409 and "超出资金池" in _text(refused)
    assert session.scalar(select(Grant.id).where(Grant.round_id == grant_round.id)) is None
    _post_ok(client, f"/grants/rounds/{grant_round.id}/decision", data)
    grants = list(session.scalars(select(Grant).where(Grant.round_id == grant_round.id)
                                  .order_by(Grant.id)))
    assert sorted(g.amount for g in grants) == [D("60000.00")] + [D("80000.00")] * 3
    assert sum(g.amount for g in grants) <= POOL
    rejected = order[4]
    login(client, members[applications.index(rejected)].username)
    shown = _text(client.get(f"/grants/applications/{rejected.id}"))
    assert "未获资助" in shown and "综合评分排名靠后，资金池已分配完毕" in shown
    member_of = {g.id: members[[a.id for a in applications].index(g.application_id)]
                 for g in grants}

    # --- agreements signed; tranche 1 paid -------------------------------------------------
    clock.advance(days=7)
    login(client, "civil")
    for g in grants:
        _post_ok(client, f"/grants/projects/{g.id}/sign",
                 {"signed_on": clock.now.astimezone(LOCAL_TZ).date().isoformat()})
    login(client, "finance")
    for g in grants:
        _post_ok(client, f"/grants/projects/{g.id}/tranches/1/pay")
    session.expire_all()
    assert all(g.status == GrantStatus.SIGNED and g.paid == g.amount / 2 for g in grants)

    def evaluate(stage: str, outcomes: dict[int, bool]) -> None:
        clock.advance(days=30)
        for g in grants:
            if g.id in outcomes:
                login(client, member_of[g.id].username)
                _post_ok(client, f"/grants/projects/{g.id}/reports/{stage}",
                         {f"{stage}-text": f"{stage} 报告：服务按计划开展"})
        login(client, "civil")
        for g in grants:
            if g.id in outcomes:
                _post_ok(client, f"/grants/projects/{g.id}/evaluations/{stage}/assign",
                         {f"assign-{stage}-agency_id": str(evaluator.agency_id)})
        clock.advance(days=3)
        login(client, "evaluator")
        for g in grants:
            if g.id in outcomes:
                passed = outcomes[g.id]
                _post_ok(client, f"/grants/projects/{g.id}/evaluations/{stage}", {
                    f"evaluation-{stage}-passed": "pass" if passed else "fail",
                    f"evaluation-{stage}-score": "88.00" if passed else "52.00",
                    f"evaluation-{stage}-report": "评估意见"})
        session.expire_all()

    # --- mid-term: one fails, the grant stops and its commitment is released -------------
    stopped = next(g for g in grants if g.amount == D("60000.00"))
    going = [g for g in grants if g is not stopped]
    available = funds.item_funds(session, grant_round.item).available
    evaluate("midterm", {g.id: g is not stopped for g in grants})
    assert stopped.status == GrantStatus.STOPPED and stopped.released == D("30000.00")
    assert [t.status for t in stopped.tranches] == [TrancheStatus.PAID, TrancheStatus.CANCELLED,
                                                    TrancheStatus.CANCELLED]
    assert funds.grant_committed(session, stopped) == {}
    assert funds.item_funds(session, grant_round.item).available == available + D("30000.00")
    login(client, "finance")
    assert client.post(f"/grants/projects/{stopped.id}/tranches/2/pay").status_code == 409
    for g in going:
        _post_ok(client, f"/grants/projects/{g.id}/tranches/2/pay")

    # --- final evaluations; tranche 3 ------------------------------------------------------
    evaluate("final", {g.id: True for g in going})
    login(client, "finance")
    for g in going:
        _post_ok(client, f"/grants/projects/{g.id}/tranches/3/pay")
    session.expire_all()
    assert all(g.status == GrantStatus.COMPLETED and g.paid == g.amount for g in going)
    assert stopped.paid == D("30000.00")
    client.post("/logout")
    public = _text(client.get(f"/grants/rounds/{grant_round.id}"))
    assert "已终止" in public and "已结项" in public

    # --- the ledger export passes bean-check and shows the release -----------------------
    result = export(session, tmp_path / "export")
    env = {**os.environ, "PYTHONPATH": "", "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    checked = subprocess.run([str(Path(sys.executable).with_name("bean-check")),
                              str(result.main)], capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = "".join(p.read_text(encoding="utf-8")
                   for p in (tmp_path / "export").glob("*.beancount"))
    release = next(block for block in text.split("\n\n")
                   if f"公益创投释放 grant released {stopped.code}" in block)
    assert f"^{stopped.code}" in release and f"^grant-round-{grant_round.id}" in release
    assert f'custom "evaluation" "{stopped.code}/midterm" FALSE' in text
    assert verify(session).ok
