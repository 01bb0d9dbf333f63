"""Each 3A+ priority rule changes the winner, and the public award page says how."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from market.grading.grades import record_grade
from market.tenders.scoring import award as awards
from market.tenders.scoring import services as evaluation
from market.tenders.models import TenderStatus
from tests.factories import (AWARD_PERIODS, attach_tender_document, bid_of, budget_item, new_experts, opened_tender,
                             org_member, score_bids, tender_terms, user)


def _award_top(session, tender):
    top = evaluation.results(session, tender)[0]
    awards.award_tender(session, user(session, "dept"), tender.id, top.bid_id)
    session.commit()
    return top


def _rows(session, tender):
    return {r.bid_id: r for r in evaluation.results(session, tender)}


@pytest.mark.parametrize("rule, value, b_price, b_marks, adjustment", [
    # A 3A+ price counts 10 % lower: B's 215,000 is scored as 193,500 and beats A's 200,000.
    ("price_deduction", "10", "215000.00", ("35", "25"), "价格按 193,500.00 元计算"),
    # Two bonus points lift B (88.57) above A (90.00): 90.57.
    ("score_bonus", "2", "210000.00", ("35", "25"), "加 2.00 分"),
    # B ties A at 90.00 with a higher price; the lower price would win, 3A+ wins instead.
    ("tie_break", None, "240000.00", ("35", "30"), "因其等级为 3A 级以上而胜出"),
])
def test_priority_rule_changes_the_winner(app, client, demo, session, clock, rule, value,
                                          b_price, b_marks, adjustment):
    item = budget_item(session)
    _, a = org_member(session, grade=0, name="甲公益服务社")
    _, b = org_member(session, grade=3, name="乙社会工作服务中心")
    _, c = org_member(session, grade=0, name="丙志愿服务协会")
    tender = opened_tender(session, clock, item, [(a, "200000.00"), (b, b_price),
                                                  (c, "250000.00")],
                           priority_rule=rule, priority_value=value)
    score_bids(session, tender, new_experts(session),
             {a: ("35", "25"), b: b_marks, c: ("30", "20")})
    session.refresh(tender)
    assert tender.status == TenderStatus.EVALUATED

    rows = _rows(session, tender)
    bid_a, bid_b = bid_of(session, tender, a).id, bid_of(session, tender, b).id
    # With the priority B ranks first; without it A would have.
    assert rows[bid_b].rank == 1 and rows[bid_a].rank == 2
    assert rows[bid_a].plain_rank == 1 and rows[bid_b].plain_rank == 2
    assert rows[bid_b].priority and not rows[bid_a].priority
    if rule == "price_deduction":
        assert rows[bid_b].evaluated_price == D("193500.00")
        assert rows[bid_b].price_score == D("30.00")
        assert rows[bid_a].price_score == D("29.03")  # 30 × 193,500 / 200,000
        assert rows[bid_b].plain_total == D("87.91")
    if rule == "score_bonus":
        assert rows[bid_b].bonus == D("2") and rows[bid_b].total == D("90.57")
    if rule == "tie_break":
        assert rows[bid_a].total == rows[bid_b].total == D("90.00")

    _award_top(session, tender)
    page = client.get(f"/tenders/{tender.id}/award")  # public: anonymous
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert adjustment in html
    assert "乙社会工作服务中心" in html and "200,000.00" in html
    assert "如无该措施，甲公益服务社本应排名第一" in html
    api = client.get(f"/api/v1/tenders/{tender.id}/award").get_json()
    assert api["award"]["bid_id"] == bid_b
    assert [x["rank_without_priority"] for x in api["bids"] if x["bid_id"] == bid_a] == [1]


def test_restricted_tender_excludes_a_bidder_below_3a(app, client, demo, session, clock):
    """A bidder downgraded below 3A (for the bid deadline) after bidding is not valid:
    the cheapest, best bid loses to a 3A+ one, and the page says why."""
    item = budget_item(session)
    a_org, a = org_member(session, grade=3, name="甲公益服务社")
    _, b = org_member(session, grade=3, name="乙社会工作服务中心")
    _, c = org_member(session, grade=4, name="丙志愿服务协会")
    _, d = org_member(session, grade=5, name="丁慈善基金会")
    dept = user(session, "dept")
    from market.tenders import bid_services, tender_services

    tender = tender_services.create_tender(
        session, dept, item.id, tender_terms(clock, **AWARD_PERIODS, priority_rule="restricted"))
    attach_tender_document(session, dept, tender)
    tender_services.publish_tender(session, dept, tender.id)
    for bidder, price in ((a, "200000.00"), (b, "210000.00"), (c, "220000.00"),
                          (d, "230000.00")):
        bid_services.submit_bid(session, bidder, tender.id, price, "服务方案")
    session.commit()
    # The downgrade is recorded after A bid; it covers the bid deadline.
    record_grade(session, a_org.id, 2, dt.date.today() - dt.timedelta(days=1),
                 source="downgrade", note="复核降级")
    session.commit()
    clock.travel(tender.opening_time + dt.timedelta(minutes=1))
    tender_services.open_bids(session, dept, tender.id)
    session.commit()
    score_bids(session, tender, new_experts(session),
             {b: ("32", "20"), c: ("30", "20"), d: ("28", "20")})
    rows = _rows(session, tender)
    bid_a = bid_of(session, tender, a).id
    assert rows[bid_a].rank is None and rows[bid_a].excluded_reason == "below_priority_grade"
    winner = _award_top(session, tender)
    assert winner.bid_id == bid_of(session, tender, b).id
    html = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    assert "因本项目仅限 3A 级以上社会组织参与而被排除：甲公益服务社" in html
    assert "200,000.00" in html  # its price is still shown
