"""A change that affects how bids are prepared, made less than fifteen days before the bid
deadline, moves the deadline so fifteen days remain (MOF Order No. 87, art. 27; policy rule
``tender_amendment_min_days``); bidders are told by the platform to reconfirm, and the
department learns only how many were told."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from market import policy
from market.clock import to_local
from market.tenders import bid_services, tender_services
from market.tenders.rules import PRICE_CRITERION_NAME
from market.tenders.models import Bid, Notification, Tender, TenderChange
from tests.factories import PDF, amend_keeping_terms, new_tender, org_members, place_bid, user
from tests.probes import untranslated

FORM_TIME = "%Y-%m-%dT%H:%M"
# As the tender form names them (the price criterion's stored name is the form's).
CRITERIA = [(PRICE_CRITERION_NAME, "30", True), ("服务方案", "40", False),
            ("团队与经验", "30", False)]


def _local(value: dt.datetime) -> str:
    return to_local(value).strftime(FORM_TIME)


def _form(tender: Tender, **changes) -> dict:
    """The edit form as the department would send it: the tender's terms, then changes."""
    technical = [c for c in tender.criteria if not c.is_price]
    data = {
        "title": tender.title, "description": tender.description,
        "procedure": tender.procedure.value, "ceiling_price": str(tender.ceiling_price),
        "eligible_categories": list(tender.eligible_categories),
        "min_grade": str(tender.min_grade), "priority_rule": tender.priority_rule.value,
        "priority_value": str(tender.priority_value),
        "clarification_deadline": _local(tender.clarification_deadline),
        "bid_deadline": _local(tender.bid_deadline),
        "opening_time": _local(tender.opening_time),
        "standstill_days": str(tender.standstill_days),
        "challenge_window_days": str(tender.challenge_window_days),
        "price_weight": str(tender.price_criterion.weight),
    }
    for n, c in enumerate(technical):
        data[f"criteria-{n}-name"], data[f"criteria-{n}-weight"] = c.name, str(c.weight)
    data.update(changes)
    return data


@pytest.fixture
def bidding(app, demo, session, clock):
    """A published tender whose bid deadline is set by the test, with two bids on it."""

    def make(days_left: int):
        tender = new_tender(session, clock, criteria=CRITERIA,
                            clarification_deadline=clock.now + dt.timedelta(
                                days=min(5, days_left - 1)),
                            bid_deadline=clock.now + dt.timedelta(days=days_left),
                            opening_time=clock.now + dt.timedelta(days=days_left, hours=1))
        bidders = org_members(session, 2)
        for _, u in bidders:
            place_bid(session, u, tender)
        return tender, bidders

    return make


def _as(client, username, language="zh"):
    client.post("/logout")
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    client.post(f"/language/{language}", data={"next": "/"})


def _reload(session, tender) -> Tender:
    session.expire_all()
    return session.get(Tender, tender.id)


def test_the_rule_is_fifteen_days_with_its_citation(app):
    from market.policy.registry import get

    assert policy.value("tender_amendment_min_days") == 15
    assert "MOF Order No. 87), art. 27" in str(get("tender_amendment_min_days").citation)


def test_fifteen_days_before_the_deadline_the_deadline_stays(client, session, clock, bidding):
    tender, _ = bidding(15)
    deadline, opening = tender.bid_deadline, tender.opening_time
    _as(client, "dept")
    response = client.post(f"/tenders/{tender.id}/edit", data=_form(
        tender, description="增加两场讲座", reason="调整服务内容"))
    assert response.status_code == 302, response.get_data(as_text=True)
    tender = _reload(session, tender)
    assert (tender.bid_deadline, tender.opening_time) == (deadline, opening)
    change = session.scalar(select(TenderChange).where(TenderChange.tender_id == tender.id))
    assert change.affects_bids and change.deadline_moved_from is None
    assert session.scalars(select(Notification).where(
        Notification.kind == "tender_deadline_moved",
        Notification.tender_id == tender.id)).all() == []


@pytest.mark.parametrize("language, moved, told", [
    ("zh", "投标截止时间已顺延至", "平台已通知2家已投标的供应商重新确认"),
    ("en", "so the deadline moved to", "The platform told 2 bidder(s) who had already bid")])
def test_fourteen_days_before_the_deadline_moves_it_to_exactly_fifteen(
        client, session, clock, bidding, language, moved, told):
    tender, bidders = bidding(14)
    deadline, opening = tender.bid_deadline, tender.opening_time
    _as(client, "dept", language)
    response = client.post(f"/tenders/{tender.id}/edit", data=_form(
        tender, description="增加两场讲座", reason="调整服务内容"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and moved in page and told in page
    # The department learns the count, never who bid.
    for org, _ in bidders:
        assert org.name not in page
    tender = _reload(session, tender)
    assert tender.bid_deadline == clock.now + dt.timedelta(days=15)
    assert tender.opening_time == opening + dt.timedelta(days=1)
    change = session.scalar(select(TenderChange).where(TenderChange.tender_id == tender.id))
    assert (change.deadline_moved_from, change.deadline_moved_to) == (deadline,
                                                                     tender.bid_deadline)
    assert {"description", "bid_deadline", "opening_time"} <= set(change.fields)
    told_orgs = session.scalars(select(Notification.organization_id).where(
        Notification.kind == "tender_deadline_moved",
        Notification.tender_id == tender.id)).all()
    assert sorted(told_orgs) == sorted(org.id for org, _ in bidders)

    # The bidder reads the notice; the public page says why the deadline moved.
    _as(client, bidders[0][1].username, language)
    home = client.get("/home").get_data(as_text=True)
    assert to_local(tender.bid_deadline).strftime("%Y-%m-%d %H:%M") in home
    client.post("/logout")
    client.post(f"/language/{language}", data={"next": "/"})
    detail = client.get(f"/tenders/{tender.id}").get_data(as_text=True)
    assert ("依照财政部令第87号第二十七条" if language == "zh"
            else "as MOF Order No. 87, art. 27 requires") in detail


def test_a_deadline_change_alone_does_not_move_the_deadline(client, session, clock, bidding):
    tender, _ = bidding(14)
    later = tender.bid_deadline + dt.timedelta(hours=2)
    _as(client, "dept")
    assert client.post(f"/tenders/{tender.id}/edit", data=_form(
        tender, bid_deadline=_local(later),
        opening_time=_local(later + dt.timedelta(hours=1)),
        reason="延后两小时")).status_code == 302
    tender = _reload(session, tender)
    assert tender.bid_deadline == later
    change = session.scalar(select(TenderChange).where(TenderChange.tender_id == tender.id))
    assert not change.affects_bids and change.deadline_moved_from is None


def test_a_new_tender_document_late_moves_the_deadline(client, session, clock, bidding):
    tender, _ = bidding(3)
    _as(client, "dept")
    assert client.post(f"/tenders/{tender.id}/documents", data={
        "document": (io.BytesIO(PDF), "补充说明.pdf"), "reason": "补充服务标准"},
        content_type="multipart/form-data").status_code == 302
    tender = _reload(session, tender)
    assert tender.bid_deadline == clock.now + dt.timedelta(days=15)


def test_an_unreconfirmed_bid_is_not_admitted_after_a_moved_deadline(client, session, clock,
                                                                     bidding):
    tender, bidders = bidding(14)
    amend_keeping_terms(session, tender)
    (org_a, a), (org_b, _b) = bidders
    bid_services.reconfirm_bid(session, a, tender.id)
    session.commit()
    tender = _reload(session, tender)
    clock.travel(tender.opening_time)
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    valid = {b.organization_id: (b.valid, b.invalid_reason)
             for b in session.scalars(select(Bid).where(Bid.tender_id == tender.id))}
    assert valid == {org_a.id: (True, None), org_b.id: (False, "not_reconfirmed")}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_tender_pages_in_each_state(app, session, clock, bidding, language):
    from market.tenders import clarifications

    tender, bidders = bidding(14)
    clarifications.ask_question(session, bidders[0][1], tender.id, "讲座场地由谁提供？")
    session.commit()
    pages = [(None, f"/tenders/{tender.id}"), ("dept", f"/tenders/{tender.id}/edit"),
             ("dept", f"/tenders/{tender.id}")]
    assert untranslated(app, session, pages, language) == []
    amend_keeping_terms(session, tender, final_evaluation_waiver="一次性活动，验收即可")
    pages = [(None, f"/tenders/{tender.id}"), ("dept", f"/tenders/{tender.id}/edit"),
             ("dept", f"/tenders/{tender.id}"), (bidders[0][1].username, "/home")]
    assert untranslated(app, session, pages, language) == []



@pytest.mark.parametrize("language, moved", [("zh", "投标截止时间已顺延至"),
                                             ("en", "so the deadline moved to")])
def test_an_answer_marked_as_affecting_bids_moves_the_deadline(client, session, clock, bidding,
                                                               language, moved):
    from market.tenders import clarifications

    tender, bidders = bidding(10)
    q = clarifications.ask_question(session, bidders[0][1], tender.id, "讲座场地由谁提供？")
    q2 = clarifications.ask_question(session, bidders[1][1], tender.id, "是否需要配备医师？")
    session.commit()
    deadline = tender.bid_deadline
    _as(client, "dept", language)
    # A plain answer changes nothing in the terms.
    assert client.post(f"/tenders/questions/{q.id}/answer",
                       data={"answer": "由各社区提供。"}).status_code == 302
    assert _reload(session, tender).bid_deadline == deadline
    # An answer marked as affecting bids moves the deadline and asks bidders to reconfirm.
    page = client.post(f"/tenders/questions/{q2.id}/answer",
                       data={"answer": "每场须配备执业医师一名。", "affects_bids": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert moved in page
    tender = _reload(session, tender)
    assert tender.bid_deadline == clock.now + dt.timedelta(days=15) and tender.version == 2
    change = session.scalar(select(TenderChange).where(TenderChange.tender_id == tender.id))
    assert change.fields[0] == "clarification" and change.deadline_moved_from == deadline
    assert change.reason == "每场须配备执业医师一名。"
