""""My bids" says what became of each bid: sealed, under evaluation, won, lost — with the
bid's own rank and score only once the award is published (sealed-bid rule) and never
another bidder's — contracted, and what to do next; in a fixed number of queries."""
from __future__ import annotations

import re

from sqlalchemy import event, select

from market.tenders.models import Notification

from market.tenders.outcomes import State
from market.tenders.scoring import award as awards
from market.tenders.scoring import services as evaluation
from tests.factories import (PASSWORD, approved_catalog, bid_of, budget_item, item_data,
                             new_experts, new_tender, opened_tender, org_member, place_bid,
                             score_bids, signed_contract, user)


def _page(app, who, lang="zh"):
    client = app.test_client()
    assert client.post("/login", data={"username": who.username, "password": PASSWORD}
                       ).status_code == 302
    client.post(f"/language/{lang}")
    return client.get("/tenders/my-bids").get_data(as_text=True)


def _row(html: str, bid_id: int) -> str:
    return re.search(rf'<tr data-bid="{bid_id}">(.*?)</tr>', html, re.S).group(1)


def _state(html: str, bid_id: int) -> str:
    return re.search(r'data-state="(\w+)"', _row(html, bid_id)).group(1)


def test_outcomes_before_and_after_the_award(app, demo, session, clock):
    item = budget_item(session)
    _, a = org_member(session, grade=4, name="结果测试甲服务社")
    _, b = org_member(session, name="结果测试乙服务社")
    _, c = org_member(session, name="结果测试丙服务社")
    tender = opened_tender(session, clock, item, [(a, "240000.00"), (b, "250000.00"),
                                                  (c, "260000.00")])
    bid_a, bid_b = bid_of(session, tender, a), bid_of(session, tender, b)
    score_bids(session, tender, new_experts(session),
               {a: ("35", "25"), b: ("30", "20"), c: ("28", "20")})
    results = {r.bid_id: r for r in evaluation.results(session, tender)}
    total_a, total_b = str(results[bid_a.id].total), str(results[bid_b.id].total)

    # Evaluated, not awarded: no rank, no score, even one's own (the sealed-bid rule).
    html = _page(app, b)
    assert _state(html, bid_b.id) == State.EVALUATING
    assert "评审中" in _row(html, bid_b.id)
    assert total_b not in html and total_a not in html and "排名" not in html

    awards.award_tender(session, user(session, "dept"), tender.id, bid_a.id)
    session.commit()
    # Each bidder is told the outcome of its own bid.
    kinds = dict(session.execute(select(Notification.organization_id, Notification.kind).where(
        Notification.tender_id == tender.id, Notification.kind.like("award_%"))).all())
    assert kinds == {a.organization_id: "award_won", b.organization_id: "award_lost",
                     c.organization_id: "award_lost"}
    html = _page(app, a)
    row = _row(html, bid_a.id)
    assert _state(html, bid_a.id) == State.WON and "中标" in row
    assert "您的排名：1" in row and total_a in row
    assert "等待采购部门签订合同" in row
    assert total_b not in html  # never another bidder's score

    html = _page(app, b, "en")
    row = _row(html, bid_b.id)
    assert _state(html, bid_b.id) == State.LOST and "Not won" in row
    assert "Your rank: 2" in row and total_b in row
    assert "you may challenge it until" in row
    assert total_a not in html and "结果测试甲服务社" not in html


def test_a_sealed_bid_shows_no_result_and_the_contract_says_what_next(app, demo, session,
                                                                       clock):
    first, second, third = approved_catalog(
        session, *(item_data(title=t) for t in ("密封测试服务", "合同测试服务", "待签约服务")))
    _, a = org_member(session, grade=4, name="结果测试丁服务社")
    tender = new_tender(session, clock, item=first)
    place_bid(session, a, tender, "200000.00", "方案")
    session.commit()
    html = _page(app, a)
    assert _state(html, bid_of(session, tender, a).id) == State.SEALED

    contract, bidders = signed_contract(session, clock,
                                        second)
    winner = bidders["a"]
    html = _page(app, winner)
    row = _row(html, contract.bid_id)
    assert _state(html, contract.bid_id) == State.CONTRACTED
    assert "已签订合同" in row and "提交第1期的交付报告" in row
    assert f"/contracts/{contract.id}" in row

    unsigned, bidders = signed_contract(session, clock, third,
                                        accepted=False)
    html = _page(app, bidders["a"], "en")
    row = _row(html, unsigned.bid_id)
    assert "Sign the contract" in row and f"/contracts/{unsigned.id}/accept" in row


def test_my_bids_costs_a_fixed_number_of_queries(app, demo, session, clock):
    _, a = org_member(session, grade=4, name="结果测试查询数服务社")

    def count() -> int:
        client = app.test_client()
        client.post("/login", data={"username": a.username, "password": PASSWORD})
        client.get("/tenders/my-bids")
        statements = []
        engine = app.extensions["db_engine"]

        def _count(*args):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", _count)
        try:
            assert client.get("/tenders/my-bids").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", _count)
        return len(statements)

    items = approved_catalog(session, *(item_data(title=f"查询{n}") for n in range(6)))
    for n in range(2):
        tender = new_tender(session, clock, item=items[n])
        place_bid(session, a, tender, "200000.00", "方案")
    session.commit()
    two = count()
    for n in range(2, 6):
        tender = new_tender(session, clock, item=items[n])
        place_bid(session, a, tender, "200000.00", "方案")
    session.commit()
    assert count() == two
