"""The grade that counts is the one valid at the bid deadline, frozen: a grade change
recorded after the deadline — the day after, or dated back as a correction (更正) —
changes neither admission nor the 3A+ priority; a correction recorded before the deadline
does. Each bid shows its bidder the grade it holds at the deadline."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from market.clock import LOCAL_TZ
from market.grading.grades import grade_at, record_grade
from market.tenders.models import Bid, TenderStatus
from market.tenders.scoring import services as evaluation
from tests.factories import (AWARD_PERIODS, bid_of, budget_item, new_experts, new_tender,
                             org_member, place_bid, score_bids)


def _login(app, username, language=None):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    if language:
        client.post(f"/language/{language}", data={"next": "/"})
    return client


def _deadline_day(tender) -> dt.date:
    return tender.bid_deadline.astimezone(LOCAL_TZ).date()


def _change(civil, org, grade, effective: dt.date | None, reason="年检不合格", **extra):
    data = {"organization_id": str(org.id), "grade": str(grade), "reason": reason, **extra}
    if effective is not None:
        data["effective"] = effective.isoformat()
    return civil.post("/evaluations/grade-changes", data=data)


def _open(app, session, tender):
    response = _login(app, "dept").post(f"/tenders/{tender.id}/open")
    assert response.status_code == 302
    session.expire_all()


def _bid(session, tender, member) -> Bid:
    return session.scalar(select(Bid).where(Bid.tender_id == tender.id,
                                            Bid.organization_id == member.organization_id))


def test_admission_keeps_the_grade_held_at_the_deadline(app, demo, session, clock):
    item = budget_item(session)
    tender = new_tender(session, clock, item=item, priority_rule="restricted", **AWARD_PERIODS)
    (a_org, a), (b_org, b), (c_org, c) = (org_member(session, grade=4) for _ in range(3))
    for member, price in ((a, "200000.00"), (b, "210000.00"), (c, "220000.00")):
        place_bid(session, member, tender, price)
    civil = _login(app, "civil")
    back = _deadline_day(tender) - dt.timedelta(days=10)
    # C's grade is corrected before the deadline (dated back): that counts.
    clock.travel(tender.bid_deadline - dt.timedelta(hours=1))
    assert _change(civil, c_org, 2, back, correction="1",
                   correction_reason="评估结果录入错误").status_code == 302
    # After the deadline: A corrected back-dated, B downgraded the next day.
    clock.travel(tender.bid_deadline + dt.timedelta(minutes=10))
    assert _change(civil, a_org, 2, back, correction="1",
                   correction_reason="复核后更正等级").status_code == 302
    clock.travel(tender.bid_deadline + dt.timedelta(days=1))
    assert _change(civil, b_org, 2, None).status_code == 302
    session.expire_all()
    assert grade_at(session, a_org.id, tender.bid_deadline) == 2  # the record now says so
    _open(app, session, tender)
    bid_a, bid_b, bid_c = (_bid(session, tender, m) for m in (a, b, c))
    assert (bid_a.valid, bid_a.grade_at_deadline) == (True, 4)
    assert (bid_b.valid, bid_b.grade_at_deadline) == (True, 4)
    assert (bid_c.valid, bid_c.invalid_reason, bid_c.grade_at_deadline) == \
        (False, "ineligible", 2)
    assert bid_a.grade_frozen_at is not None
    assert bid_a.grade_valid_from is not None and bid_a.grade_valid_from < back
    session.refresh(tender)
    assert tender.status == TenderStatus.UNSUCCESSFUL  # two valid bids of three needed


def test_ranking_keeps_the_priority_held_at_the_deadline(app, demo, session, clock):
    item = budget_item(session)
    a_org, a = org_member(session, grade=0, name="甲公益服务社")
    b_org, b = org_member(session, grade=3, name="乙社会工作服务中心")
    _, c = org_member(session, grade=0, name="丙志愿服务协会")
    tender = new_tender(session, clock, item=item, priority_rule="price_deduction",
                        priority_value="10", **AWARD_PERIODS)
    for member, price in ((a, "200000.00"), (b, "215000.00"), (c, "250000.00")):
        place_bid(session, member, tender, price)
    # Half an hour after the deadline, before the opening: B's grade revoked and A's
    # raised, both dated back to before the deadline as corrections.
    clock.travel(tender.bid_deadline + dt.timedelta(minutes=30))
    back = _deadline_day(tender) - dt.timedelta(days=3)
    assert _change(_login(app, "civil"), b_org, 0, back, correction="1",
                   correction_reason="等级证书核查有误").status_code == 302
    record_grade(session, a_org.id, 4, back, correction=True,
                 correction_reason="复核后更正为4A")
    session.commit()
    clock.travel(tender.opening_time + dt.timedelta(minutes=5))
    _open(app, session, tender)
    score_bids(session, tender, new_experts(session),
               {a: ("35", "25"), b: ("35", "25"), c: ("30", "20")})
    rows = {r.bid_id: r for r in evaluation.results(session, tender)}
    bid_a, bid_b = bid_of(session, tender, a).id, bid_of(session, tender, b).id
    # As without the changes: B's 215,000 counts as 193,500 and ranks first.
    assert rows[bid_b].priority and rows[bid_b].grade == 3 and rows[bid_b].rank == 1
    assert not rows[bid_a].priority and rows[bid_a].grade == 0 and rows[bid_a].rank == 2
    assert rows[bid_a].plain_rank == 1


def test_the_bid_page_shows_the_grade_at_the_deadline(app, demo, session, clock):
    tender = new_tender(session, clock, item=budget_item(session), **AWARD_PERIODS)
    _org, member = org_member(session, grade=4)
    place_bid(session, member, tender)
    bid = _bid(session, tender, member)
    first = (bid.grade_valid_from.isoformat(),
             (bid.grade_valid_until - dt.timedelta(days=1)).isoformat())
    zh = _login(app, member.username).get(f"/tenders/{tender.id}/bid").get_data(as_text=True)
    assert "投标截止时的评估等级" in zh and "4A" in zh
    assert f"有效期{first[0]}至{first[1]}" in zh
    assert "按当前登记情况显示；开标时按投标截止时的登记情况锁定。" in zh
    en = _login(app, member.username, "en").get(f"/tenders/{tender.id}/bid") \
        .get_data(as_text=True)
    assert "Grade at the bid deadline" in en and f"valid {first[0]} to {first[1]}" in en
    assert "As recorded now; it is frozen at the opening" in en
    clock.travel(tender.opening_time + dt.timedelta(minutes=5))
    _open(app, session, tender)
    en = _login(app, member.username, "en").get(f"/tenders/{tender.id}/bid") \
        .get_data(as_text=True)
    assert "Frozen at the opening: a grade change recorded after the bid deadline" in en
    zh = _login(app, member.username, "zh").get(f"/tenders/{tender.id}/bid") \
        .get_data(as_text=True)
    assert "已于开标时锁定：投标截止后登记的等级变更不影响本次投标。" in zh and "4A" in zh
