"""An organization applies to the demo's open venture philanthropy round in the browser:
it fills the application form with the round's extra questions (text, number, choice,
file), saves the draft, submits it and reads 已提交 on its application page. Then, on the
lead's side (service calls): the window closes (the clock travels past it), civil affairs
screens every submitted application, the reviewers score them and civil affairs decides;
the organization reads 获资助 with the amount. Screenshots at 1366 and 390 px wide."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from market.grants import funding, review
from market.grants.demo import ROUND_TITLE
from market.grants.models import ApplicationStatus, GrantApplication, GrantRound
from market.orgs.demo import minimal_pdf
from tests.browser.conftest import screenshot
from tests.factories import org_member, user
from tests.grants.conftest import review_all

WIDTHS = {"desktop": 1366, "phone": 390}


def _login(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo-pass-2026")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/home")


def _shots(page, name: str) -> None:
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size({"width": 1366, "height": 900})


def _decide(session, grant_round, mine: GrantApplication) -> None:
    """The lead's side: screening (all pass), every reviewer's scores, the decision —
    this organization funded in full, the others within the pool."""
    civil = user(session, "civil")
    for application in session.scalars(select(GrantApplication).where(
            GrantApplication.round_id == grant_round.id,
            GrantApplication.status == ApplicationStatus.SUBMITTED)):
        review.screen(session, civil, application.id, eligible=True,
                      reason="meets_requirements")
    session.commit()
    review_all(session, grant_round)
    lines = [funding.DecisionLine(a.id, True, a.requested) if a.id == mine.id else
             funding.DecisionLine(a.id, False, None, "与本轮资助重点不符")
             for a in funding.eligible_applications(session, grant_round)]
    funding.decide_round(session, civil, grant_round.id, lines)
    session.commit()


def test_an_organization_applies_and_reads_the_result(live_server, page, demo, session, clock,
                                                      tmp_path):
    base = live_server
    grant_round = session.scalar(select(GrantRound).where(GrantRound.title == ROUND_TITLE))
    assert grant_round.is_open(clock.now)
    org, member = org_member(session, grade=2)
    letter = tmp_path / "社区支持函.pdf"
    letter.write_bytes(minimal_pdf("support letter"))

    _login(page, base, member.username)
    page.goto(f"{base}/grants/rounds/{grant_round.id}")
    page.click("text=申报本次活动")
    page.wait_for_url(f"{base}/grants/rounds/{grant_round.id}/apply")
    assert "项目总预算的 20%" in page.locator("main, body").first.inner_text()
    page.fill("#title", "社区儿童“四点半课堂”项目")
    page.fill("#summary", "为双职工家庭儿童提供课后看护、作业辅导与兴趣活动。")
    page.fill("#beneficiaries", "玉山镇双职工家庭的小学生")
    page.fill("#beneficiary_count", "120")
    page.select_option("#town_id", str(org.town_id))
    page.fill("#requested", "80000.00")
    page.fill("#self_raised", "20000.00")
    page.fill("#self_raised_source", "机构自有资金及爱心企业捐赠")
    page.fill("#budget_lines-0-item", "人员经费")
    page.fill("#budget_lines-0-amount", "70000.00")
    page.fill("#budget_lines-1-item", "活动物料")
    page.fill("#budget_lines-1-amount", "30000.00")
    page.fill("#timeline", "一月启动，二至十一月实施，十二月总结评估。")
    # the round's extra questions
    page.fill("#q1", "三名持证社工和十名大学生志愿者，已在社区服务五年。")
    page.fill("#q2", "12")
    page.select_option("#q3", "仅城市社区")
    page.set_input_files("#q4", str(letter))
    _shots(page, "grant-apply-form-zh")
    page.click("#application-form button[type=submit].primary")
    page.wait_for_url(f"{base}/grants/applications/*")
    mine = session.scalar(select(GrantApplication).where(
        GrantApplication.round_id == grant_round.id,
        GrantApplication.organization_id == org.id))
    assert mine.status == ApplicationStatus.DRAFT
    assert mine.answers["q2"] == "12" and mine.answers["q3"] == "仅城市社区"
    assert mine.answers["q4"]["name"] == "社区支持函.pdf"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('提交申报')")
    page.wait_for_load_state()
    page.wait_for_selector("#application-status:has-text('已提交')")
    status = page.locator("#application-status").inner_text()
    assert "已提交" in status and "提交于" in status
    assert "仅城市社区" in page.locator("#answers").inner_text()
    _shots(page, "grant-application-submitted-zh")
    session.expire_all()
    assert session.get(GrantApplication, mine.id).status == ApplicationStatus.SUBMITTED

    # the lead's side: the window closes, screening, review and the decision
    clock.travel(grant_round.closes_at + dt.timedelta(hours=1))
    _decide(session, grant_round, mine)

    page.reload()
    decision = page.locator("#application-decision").inner_text()
    assert "获资助：80,000.00 元。" in decision
    assert "获资助" in page.locator("#application-status").inner_text()
    assert "通过资格审查" in page.locator("#screening-outcome").inner_text()
    _shots(page, "grant-application-funded-zh")
    session.expire_all()
    assert session.get(GrantApplication, mine.id).status == ApplicationStatus.FUNDED
    assert funding.decision_for(session, mine).amount == Decimal("80000.00")


def test_last_years_round_shows_its_grants_to_the_public(live_server, page, demo, session):
    from market.clock import LOCAL_TZ, now
    from market.grants.demo import finished_round_title

    finished = session.scalar(select(GrantRound).where(GrantRound.title == finished_round_title(
        now().astimezone(LOCAL_TZ).year - 1)))
    page.goto(f"{live_server}/grants/rounds/{finished.id}")
    text = page.locator("body").inner_text()
    assert "已终止" in text and "已结项" in text and "中期: 不合格" in text
    _shots(page, "grant-round-finished-zh")
