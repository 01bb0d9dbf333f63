"""The tender JSON API: list and detail, my bid (GET/PUT/DELETE), bids, questions."""
from __future__ import annotations

import datetime as dt

from tests.factories import new_tender, org_member, place_bid, user


def _client(app, username):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    return client


def test_list_and_filters(app, demo, session, clock):
    tender = new_tender(session, clock, position=1, ceiling_price="40000.00")
    anon = app.test_client()
    data = anon.get("/api/v1/tenders?status=accepting_bids").get_json()
    refs = [t["reference"] for t in data["items"]]
    assert tender.reference in refs
    assert all(t["phase"].startswith("open_for") for t in data["items"])
    assert tender.reference not in [t["reference"] for t in anon.get(
        "/api/v1/tenders?category=legal_aid").get_json()["items"]]
    assert tender.reference in [t["reference"] for t in anon.get(
        "/api/v1/tenders?category=elderly&fy=2026").get_json()["items"]]
    # "eligible for my organization": a 2A organization does not see the 3A+ tender.
    _org, low = org_member(session, grade=2)
    _org, high = org_member(session, grade=4)
    assert tender.reference not in [t["reference"] for t in _client(app, low.username).get(
        "/api/v1/tenders?eligible=1").get_json()["items"]]
    assert tender.reference in [t["reference"] for t in _client(app, high.username).get(
        "/api/v1/tenders?eligible=1").get_json()["items"]]
    page = _client(app, low.username).get("/tenders/?eligible=1").get_data(as_text=True)
    assert tender.reference not in page
    for_me = _client(app, high.username).get("/tenders/for-me").get_data(as_text=True)
    assert tender.title in for_me


def test_detail_has_terms_in_words(app, demo, session, clock):
    tender = new_tender(session, clock, priority_rule="score_bonus", priority_value="3")
    data = app.test_client().get(f"/api/v1/tenders/{tender.id}").get_json()
    assert data["ceiling_price"] == "300000.00"
    assert data["priority"] == {"rule": "score_bonus", "value": "3",
                                "text": "3A 级以上社会组织在综合得分上加 3 分。"}
    assert [c["weight"] for c in data["criteria"]] == ["30", "40", "30"]
    assert data["receipts"] is None and data["bid_count"] == 0
    page = app.test_client().get(f"/tenders/{tender.id}").get_data(as_text=True)
    assert "3A 级以上社会组织在综合得分上加 3 分。" in page
    local = tender.bid_deadline.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local.strftime("%Y-%m-%d %H:%M") in page  # shown in Beijing time


def test_my_bid_put_get_delete(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    client = _client(app, u.username)
    url = f"/api/v1/tenders/{tender.id}/my-bid"
    assert client.get(url).status_code == 404
    bad = client.put(url, json={"price": "999999.00", "proposal": "方案"})
    assert bad.status_code == 422 and bad.get_json()["error"] == "invalid"
    made = client.put(url, json={"price": "250000.00", "proposal": "方案一"}).get_json()
    assert made["price"] == "250000.00" and len(made["receipt_hash"]) == 64
    revised = client.put(url, json={"price": "240000.50", "proposal": "方案二"}).get_json()
    assert revised["id"] == made["id"] and revised["receipt_hash"] != made["receipt_hash"]
    assert client.get(url).get_json()["proposal"] == "方案二"
    assert client.delete(url).get_json()["status"] == "withdrawn"
    again = client.put(url, json={"price": "240000.00", "proposal": "再来"})
    assert again.status_code == 409 and again.get_json()["error"] == "bid_refused"
    assert _client(app, "dept").get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302


def test_late_put_is_refused(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    clock.travel(tender.bid_deadline + dt.timedelta(seconds=1))
    response = _client(app, u.username).put(f"/api/v1/tenders/{tender.id}/my-bid",
                                            json={"price": "1.00", "proposal": "x"})
    assert response.status_code == 409
    assert "已过，投标未被接收" in response.get_json()["message"]


def test_bids_endpoint_count_then_content(app, demo, session, clock):
    tender = new_tender(session, clock, procedure="negotiation")
    (_a, a), (_b, b) = org_member(session), org_member(session)
    place_bid(session, a, tender, price="210000.00")
    place_bid(session, b, tender, price="220000.00")
    url = f"/api/v1/tenders/{tender.id}/bids"
    assert _client(app, "dept").get(url).get_json()["bids"] == []
    mine = _client(app, a.username).get(url).get_json()
    assert mine["count"] == 2 and [x["price"] for x in mine["bids"]] == ["210000.00"]
    clock.travel(tender.opening_time)
    from market.tenders import tender_services

    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    dept = _client(app, "dept").get(url).get_json()
    assert sorted(x["price"] for x in dept["bids"]) == ["210000.00", "220000.00"]
    public = app.test_client().get(url).get_json()
    assert all(x["sealed"] and "price" not in x for x in public["bids"])
    assert len({x["receipt_hash"] for x in public["bids"]}) == 2
    one = app.test_client().get(f"/api/v1/bids/{dept['bids'][0]['id']}").get_json()
    assert one["sealed"] and "proposal" not in one


def test_questions_api(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    asked = _client(app, u.username).post(f"/api/v1/tenders/{tender.id}/questions",
                                          json={"question": "是否接受联合体？"})
    assert asked.status_code == 201
    qid = asked.get_json()["id"]
    answered = _client(app, "dept").post(f"/api/v1/questions/{qid}/answer",
                                         json={"answer": "不接受。"})
    assert answered.get_json()["answer"] == "不接受。"
    items = app.test_client().get(f"/api/v1/tenders/{tender.id}/questions").get_json()["items"]
    assert items == [{"id": qid, "question": "是否接受联合体？", "asked_at": items[0]["asked_at"],
                      "answer": "不接受。", "answered_at": items[0]["answered_at"]}]
