"""Bids that must be refused — with a clear message, and with nothing stored."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.documents.models import Document
from market.orgs.enums import Category, OrgStatus, Track
from market.tenders import bid_services, tender_services
from market.tenders.models import Bid
from tests.factories import new_tender, org_member, place_bid, user


def _counts(session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Bid, Document, AuditEntry))


def _post_bid(app, username, tender_id, price="250000.00", proposal="方案"):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    return client.post(f"/tenders/{tender_id}/bid", data={"price": price, "proposal": proposal})


def test_a_bid_one_second_late_is_refused_and_not_stored(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    before = _counts(session)
    clock.travel(tender.bid_deadline + dt.timedelta(seconds=1))
    response = _post_bid(app, u.username, tender.id)
    assert response.status_code == 409
    assert "投标截止时间（北京时间" in response.get_data(as_text=True)
    assert "已过，投标未被接收" in response.get_data(as_text=True)
    assert _counts(session) == before
    with pytest.raises(bid_services.BidRefused):
        bid_services.submit_bid(session, u, tender.id, "250000.00", "方案")
    session.rollback()
    assert _counts(session) == before


def test_exactly_at_the_deadline_is_late_one_second_before_is_not(app, demo, session, clock):
    tender = new_tender(session, clock)
    (_a, early), (_b, late) = org_member(session), org_member(session)
    clock.travel(tender.bid_deadline - dt.timedelta(seconds=1))
    assert _post_bid(app, early.username, tender.id).status_code == 302
    clock.travel(tender.bid_deadline)
    assert _post_bid(app, late.username, tender.id).status_code == 409
    assert session.scalar(select(func.count(Bid.id)).where(Bid.tender_id == tender.id)) == 1


# An amount the money field cannot read is refused by the form (400); one above the
# tender's ceiling by the service (422). Either way: the message, nothing stored.
@pytest.mark.parametrize("price, message, status", [
    ("300000.01", "报价超过了本项目的最高限价 300,000.00 元", 422),
    ("0", "金额必须大于零", 400),
    ("-5", "金额必须大于零", 400),
    ("1000.001", "两位小数", 400),
    ("abc", "请输入以元为单位的金额", 400),
])
def test_bad_prices_are_refused(app, demo, session, clock, price, message, status):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    before = _counts(session)
    response = _post_bid(app, u.username, tender.id, price=price)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert _counts(session) == before


@pytest.mark.parametrize("kwargs, message", [
    (dict(category=Category.SCIENCE), "本组织的类别不在本采购项目接受的范围内"),
    (dict(grade=2), "要求在投标截止时具有有效的 3A 级以上评估等级"),
    (dict(track=Track.FILED, category=Category.COMMUNITY), "不接受备案的社区社会组织投标"),
    (dict(status=OrgStatus.SUSPENDED), "暂停"),
    (dict(status=OrgStatus.CLEARED), "清退"),
])
def test_ineligible_organizations_are_refused(app, demo, session, clock, kwargs, message):
    # WJW item 1: charity / community, 3A and above.
    tender = new_tender(session, clock, position=1, ceiling_price="1000000.00")
    kwargs.setdefault("grade", 4)
    _org, u = org_member(session, **kwargs)
    before = _counts(session)
    response = _post_bid(app, u.username, tender.id)
    body = response.get_data(as_text=True)
    assert response.status_code == 403, body[:500]
    assert message in body
    assert _counts(session) == before


def test_grade_is_judged_at_the_bid_deadline(app, demo, session, clock):
    from market.grading.grades import record_grade

    tender = new_tender(session, clock, position=1, ceiling_price="1000000.00")
    org, u = org_member(session)  # no grade
    # A 3A grade announced for after the deadline does not count; one valid at it does.
    record_grade(session, org.id, 3, (tender.bid_deadline + dt.timedelta(days=2)).date())
    session.commit()
    assert _post_bid(app, u.username, tender.id).status_code == 403
    record_grade(session, org.id, 3, (tender.bid_deadline - dt.timedelta(days=2)).date())
    session.commit()
    assert _post_bid(app, u.username, tender.id).status_code == 302


def test_a_filed_organization_bids_where_allowed(app, demo, session, clock):
    tender = new_tender(session, clock, allow_filed=True)
    _org, u = org_member(session, track=Track.FILED, category=Category.COMMUNITY)
    assert _post_bid(app, u.username, tender.id).status_code == 302


def test_restricted_tender_needs_3a(app, demo, session, clock):
    tender = new_tender(session, clock, priority_rule="restricted")  # item min grade 0
    (_a, low), (_b, high) = org_member(session, grade=2), org_member(session, grade=3)
    assert _post_bid(app, low.username, tender.id).status_code == 403
    assert _post_bid(app, high.username, tender.id).status_code == 302


def test_after_withdrawal_a_new_bid_is_refused(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    first = place_bid(session, u, tender)
    bid_services.withdraw_bid(session, u, tender.id)
    session.commit()
    before = _counts(session)
    response = _post_bid(app, u.username, tender.id)
    assert response.status_code == 409
    assert "本组织已撤回对该项目的投标，不能再次投标" in response.get_data(as_text=True)
    assert _counts(session) == before
    session.expire_all()
    assert session.get(Bid, first.id).status.value == "withdrawn"
    assert session.scalar(select(func.count(Bid.id)).where(Bid.tender_id == tender.id)) == 1


def test_revision_keeps_one_row_and_changes_the_receipt(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    first = place_bid(session, u, tender, price="250000.00")
    receipt = first.receipt_hash
    assert _post_bid(app, u.username, tender.id, price="240000.00").status_code == 302
    session.expire_all()
    rows = session.scalars(select(Bid).where(Bid.tender_id == tender.id)).all()
    assert len(rows) == 1 and rows[0].receipt_hash != receipt
    assert rows[0].revised_at is not None


def test_no_bid_on_a_draft_or_cancelled_tender(app, demo, session, clock):
    draft = new_tender(session, clock, publish=False)
    _org, u = org_member(session)
    assert _post_bid(app, u.username, draft.id).status_code == 404
    tender = new_tender(session, clock)
    tender_services.cancel_tender(session, user(session, "dept"), tender.id, "需求变更")
    session.commit()
    response = _post_bid(app, u.username, tender.id)
    assert response.status_code == 409 and "当前不接受投标" in response.get_data(as_text=True)
