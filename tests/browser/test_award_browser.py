"""The public award page, in Chinese and in English, as a visitor sees it."""
from __future__ import annotations

from market.tenders import award as awards
from market.tenders.scoring import services as evaluation
from tests.browser.conftest import screenshot
from tests.contracts.conftest import (budget_item, evaluate, make_experts, make_org,
                                      opened_tender, user)


def test_award_page_in_chinese_and_english(live_server, page, demo, session, clock):
    item = budget_item(session)
    _, a = make_org(session, grade=0, name="昆山市甲公益服务社")
    _, b = make_org(session, grade=4, name="昆山市乙社会工作服务中心")
    _, c = make_org(session, grade=0, name="昆山市丙志愿者协会")
    tender = opened_tender(session, clock, item, [(a, "200000.00"), (b, "215000.00"),
                                                  (c, "250000.00")],
                           priority_rule="price_deduction", priority_value="10")
    evaluate(session, tender, make_experts(session),
             {a: ("35", "25"), b: ("35", "25"), c: ("30", "20")})
    awards.award_tender(session, user(session, "dept"), tender.id,
                        evaluation.results(session, tender)[0].bid_id)
    session.commit()

    page.goto(f"{live_server}/tenders/{tender.id}/award")
    assert page.locator("h1").inner_text() == "评审结果与中标公告"
    assert "中标人：昆山市乙社会工作服务中心" in page.locator("#award-summary").inner_text()
    winner = page.locator("tr.winner")
    assert "价格按 193,500.00 元计算" in winner.locator("td.adjustment").inner_text()
    reasons = page.locator("#award-reasons").inner_text()
    assert "如无该措施，昆山市甲公益服务社本应排名第一" in reasons
    screenshot(page, "award-zh")

    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Evaluation results and award"
    assert "3A+ price deduction: price counted as 193,500.00 yuan" in \
        page.locator("tr.winner td.adjustment").inner_text()
    assert "without it, 昆山市甲公益服务社 would have ranked first" in \
        page.locator("#award-reasons").inner_text()
    screenshot(page, "award-en")
