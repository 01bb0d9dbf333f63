"""A tender's life: made from an approved item, published, questioned, amended, opened."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from market.auditlog.models import AuditEntry
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.tenders import bid_services, clarifications, sealed, tender_services
from market.tenders.models import Bid, Notification, Tender, TenderStatus
from tests.factories import (demo_item, new_tender, org_member, org_members, place_bid,
                             tender_terms, user)


def _client(app, username):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    return client


# --- two departments never act on each other's tenders ------------------------------------

def test_a_department_makes_tenders_only_from_its_own_approved_items(app, demo, session, clock):
    with pytest.raises(Forbidden):
        tender_services.create_tender(session, user(session, "dept-mzj"),
                                      demo_item(session, "WJW", 2).id, tender_terms(clock))
    with pytest.raises(Forbidden):
        tender_services.create_tender(session, user(session, "civil"),
                                      demo_item(session, "WJW", 2).id, tender_terms(clock))
    draft_fy2027 = demo_item(session, "WJW", 1, fy=2027)
    with pytest.raises(NotFound):
        tender_services.create_tender(session, user(session, "dept"), draft_fy2027.id,
                                      tender_terms(clock))


def test_another_department_can_neither_see_a_draft_nor_act_on_a_tender(app, demo, session,
                                                                        clock):
    draft = new_tender(session, clock, publish=False)
    tender = new_tender(session, clock)
    other = user(session, "dept-mzj")
    q = clarifications.ask_question(session, org_member(session)[1], tender.id, "请问服务地点？")
    session.commit()
    for fn, args in [(tender_services.publish_tender, (draft.id,)),
                     (tender_services.cancel_tender, (tender.id, "理由")),
                     (tender_services.open_bids, (tender.id,)),
                     (tender_services.amend_tender, (tender.id, tender_terms(clock), "理由")),
                     (tender_services.update_draft, (draft.id, tender_terms(clock))),
                     (clarifications.answer_question, (q.id, "答复"))]:
        with pytest.raises((Forbidden, NotFound)):
            fn(session, other, *args)
        session.rollback()
    client = _client(app, "dept-mzj")
    assert client.get(f"/tenders/{draft.id}").status_code == 404
    assert client.get(f"/tenders/{tender.id}/edit").status_code == 403
    assert client.post(f"/tenders/{tender.id}/cancel", data={"reason": "x"}).status_code == 403
    assert client.post(f"/tenders/{draft.id}/publish").status_code == 404
    assert client.post(f"/tenders/questions/{q.id}/answer",
                       data={"answer": "x"}).status_code == 403
    assert client.post(f"/api/v1/questions/{q.id}/answer",
                       json={"answer": "x"}).status_code == 403
    session.expire_all()
    assert session.get(Tender, draft.id).status == TenderStatus.DRAFT
    assert session.get(Tender, tender.id).status == TenderStatus.PUBLISHED


# --- terms -------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, field", [
    # item budget 1,600,000.00 of which the demo tender reserves 400,000.00
    (dict(ceiling_price="1200000.01"), "ceiling_price"),
    (dict(criteria=[("报价", "30", True), ("方案", "60", False)]), "criteria"),
    (dict(criteria=[("报价", "30", True), ("报价2", "30", True), ("方案", "40", False)]),
     "criteria"),
    (dict(criteria=[("报价", "100", True)]), "criteria"),
    (dict(criteria=[("报价", "50", True), ("方案", "50", False)]), "criteria"),
    (dict(eligible_categories=["industry"]), "eligible_categories"),
    (dict(priority_rule="price_deduction", priority_value="10.5"), "priority_value"),
    (dict(priority_rule="score_bonus", priority_value="6"), "priority_value"),
    (dict(standstill_days=-1), "standstill_days"),
])
def test_bad_terms_are_refused(app, demo, session, clock, overrides, field):
    with pytest.raises(Invalid) as e:
        new_tender(session, clock, publish=False, **overrides)
    assert e.value.field == field


def test_deadlines_must_be_in_order(app, demo, session, clock):
    now = clock.now
    with pytest.raises(Invalid) as e:
        new_tender(session, clock, clarification_deadline=now + dt.timedelta(days=10),
                    bid_deadline=now + dt.timedelta(days=5))
    assert e.value.field == "clarification_deadline"
    with pytest.raises(Invalid) as e:
        new_tender(session, clock, opening_time=now + dt.timedelta(days=9))
    assert e.value.field == "opening_time"


def test_defaults_come_from_the_item_and_the_platform(app, demo, session, clock):
    with app.app_context():
        tender = new_tender(session, clock, position=1, ceiling_price="1000000.00")
    assert tender.eligible_categories == ["charity", "community"]
    assert tender.min_grade == 3 and tender.priority_value == Decimal("6")
    assert tender.challenge_window_days == 7 and tender.standstill_days == 7
    assert tender.reference.startswith("KS-WJW-2026-")
    app.config["PRIORITY_SCORE_BONUS_DEFAULT"] = 3
    with app.app_context():
        bonus = new_tender(session, clock, priority_rule="score_bonus")
    assert bonus.priority_value == Decimal("3")


def test_ceiling_is_checked_against_the_ledger_again_at_publication(app, demo, session, clock):
    from market.catalogs import services as catalogs

    draft = new_tender(session, clock, publish=False, ceiling_price="400000.00")
    catalogs.amend_budget(session, user(session, "finance"), draft.catalog_item_id,
                          "700000.00", "压减预算")  # 300,000.00 left available
    session.commit()
    with pytest.raises(Invalid) as e:
        tender_services.publish_tender(session, user(session, "dept"), draft.id)
    assert e.value.field == "ceiling_price"


# --- time-derived state -------------------------------------------------------------------

def test_open_for_bids_agrees_in_python_and_sql(app, demo, session, clock):
    tenders = [new_tender(session, clock, bid_deadline=clock.now + dt.timedelta(days=d),
                           opening_time=clock.now + dt.timedelta(days=d, hours=1))
               for d in (6, 8, 12)]
    draft = new_tender(session, clock, publish=False)
    mine = {t.id for t in tenders} | {draft.id}
    for when in (clock.now, clock.now + dt.timedelta(days=7), tenders[1].bid_deadline,
                 tenders[1].bid_deadline - dt.timedelta(seconds=1),
                 clock.now + dt.timedelta(days=20)):
        clock.travel(when)
        session.expire_all()
        in_sql = set(session.scalars(select(Tender.id).where(Tender.accepting_bids,
                                                             Tender.id.in_(mine))))
        closed_sql = set(session.scalars(select(Tender.id).where(Tender.bids_closed,
                                                                 Tender.id.in_(mine))))
        objs = [session.get(Tender, i) for i in mine]
        assert in_sql == {t.id for t in objs if t.accepting_bids}, when
        assert closed_sql == {t.id for t in objs if t.bids_closed}, when
        assert draft.id not in in_sql


# --- clarifications -----------------------------------------------------------------------

def test_questions_are_public_without_the_askers_name(app, demo, session, clock):
    tender = new_tender(session, clock)
    org, asker = org_member(session, "提问的匿名组织")
    client = _client(app, asker.username)
    assert client.post(f"/tenders/{tender.id}/questions",
                       data={"question": "服务对象是否包括外来务工人员？"}).status_code == 302
    session.expire_all()
    q = clarifications.public_questions(session, tender)[0]
    dept = _client(app, "dept")
    assert "服务对象是否包括外来务工人员" in dept.get("/tenders/queue").get_data(as_text=True)
    assert dept.post(f"/tenders/questions/{q.id}/answer",
                     data={"answer": "包括，按常住人口统计。"}).status_code == 302
    for who in (None, "dept", "civil", "auditor"):
        c = _client(app, who) if who else app.test_client()
        for url in (f"/tenders/{tender.id}", f"/api/v1/tenders/{tender.id}/questions",
                    f"/api/v1/tenders/{tender.id}", "/tenders/queue"):
            body = c.get(url).get_data(as_text=True)
            assert org.name not in body and asker.username not in body, (who, url)
    page = app.test_client().get(f"/tenders/{tender.id}").get_data(as_text=True)
    assert "包括，按常住人口统计。" in page and "服务对象是否包括外来务工人员" in page
    notices = session.scalars(select(Notification).where(
        Notification.organization_id == org.id)).all()
    assert [n.kind for n in notices] == ["question_answered"]


def test_no_question_after_the_clarification_deadline(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, asker = org_member(session)
    clock.travel(tender.clarification_deadline)
    with pytest.raises(Conflict):
        clarifications.ask_question(session, asker, tender.id, "还能提问吗？")


def test_an_ineligible_organization_cannot_ask(app, demo, session, clock):
    from market.orgs.enums import Category

    tender = new_tender(session, clock)
    _org, asker = org_member(session, category=Category.INDUSTRY)
    with pytest.raises(bid_services.NotEligible):
        clarifications.ask_question(session, asker, tender.id, "可以吗？")


# --- material change -> reconfirm ----------------------------------------------------------

def test_a_material_change_requires_bidders_to_reconfirm(app, demo, session, clock):
    tender = new_tender(session, clock)
    (org_a, a), (org_b, b), (org_c, c) = org_members(session, 3)
    for u in (a, b, c):
        place_bid(session, u, tender)
    dept = user(session, "dept")
    tender_services.amend_tender(session, dept, tender.id,
                                 tender_terms(clock,
                                              bid_deadline=tender.bid_deadline + dt.timedelta(days=2),
                                              opening_time=tender.opening_time + dt.timedelta(days=2)),
                          "延长投标截止时间")
    session.commit()
    assert tender.version == 2
    kinds = session.scalars(select(Notification.organization_id).where(
        Notification.kind == "tender_amended", Notification.tender_id == tender.id)).all()
    assert sorted(kinds) == sorted([org_a.id, org_b.id, org_c.id])
    home = _client(app, a.username).get("/home").get_data(as_text=True)
    assert "已更正（现为第 2 版）" in home and "投标截止时间" in home
    assert sealed.own_bid(session, a, tender).needs_reconfirmation
    bid_services.reconfirm_bid(session, a, tender.id)  # a reconfirms
    bid_services.submit_bid(session, b, tender.id, "260000.00", "修改后的方案")  # b revises
    session.commit()  # c does nothing
    clock.travel(tender.opening_time)
    tender_services.open_bids(session, dept, tender.id)
    session.commit()
    valid = {x.organization_id: (x.valid, x.invalid_reason)
             for x in session.scalars(select(Bid).where(Bid.tender_id == tender.id))}
    assert valid == {org_a.id: (True, None), org_b.id: (True, None),
                     org_c.id: (False, "not_reconfirmed")}
    assert tender.status == TenderStatus.UNSUCCESSFUL  # 2 valid < 3 for an open tender


def test_a_non_material_change_does_not_bump_the_version(app, demo, session, clock):
    tender = new_tender(session, clock)
    tender_services.amend_tender(session, user(session, "dept"), tender.id,
                          tender_terms(clock, title="新的标题"), "更正标题")
    session.commit()
    assert tender.version == 1 and tender.title == "新的标题"


def test_the_changed_criteria_replace_the_old(app, demo, session, clock):
    tender = new_tender(session, clock)
    new = [("报价", "20", True), ("服务方案", "50", False), ("团队", "20", False),
           ("应急预案", "10", False)]
    tender_services.amend_tender(session, user(session, "dept"), tender.id,
                                 tender_terms(clock, criteria=new), "调整评分标准")
    session.commit()
    session.expire_all()
    tender = session.get(Tender, tender.id)
    assert [(c.name, c.weight) for c in tender.criteria] == [(n, Decimal(w)) for n, w, _ in new]
    assert tender.version == 2


# --- opening --------------------------------------------------------------------------------

def test_opening_needs_the_opening_time_and_enough_valid_bids(app, demo, session, clock):
    tender = new_tender(session, clock, procedure="negotiation")
    (_a, a), (_b, b), (_c, c) = org_members(session, 3)
    for u in (a, b, c):
        place_bid(session, u, tender)
    bid_services.withdraw_bid(session, c, tender.id)
    session.commit()
    dept = user(session, "dept")
    clock.travel(tender.opening_time - dt.timedelta(seconds=1))
    with pytest.raises(Conflict):
        tender_services.open_bids(session, dept, tender.id)
    session.rollback()
    clock.travel(tender.opening_time)
    tender_services.open_bids(session, dept, tender.id)
    session.commit()
    assert tender.status == TenderStatus.OPENED  # 2 valid bids suffice for negotiation
    assert len(sealed.opened_bids(session, tender)) == 2
    with pytest.raises(Conflict):
        tender_services.open_bids(session, dept, tender.id)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "tender",
                                                       AuditEntry.object_id == tender.id)).all()
    assert [e.action for e in entries] == ["create", "publish", "open"]


def test_the_platform_refuses_to_compute_on_sealed_bids(app, demo, session, clock):
    tender = new_tender(session, clock)
    with pytest.raises(Conflict):
        sealed.opened_bids(session, tender)


def test_cancel_before_award_with_a_reason(app, demo, session, clock):
    tender = new_tender(session, clock)
    org, u = org_member(session)
    place_bid(session, u, tender)
    dept = user(session, "dept")
    with pytest.raises(Invalid):
        tender_services.cancel_tender(session, dept, tender.id, " ")
    tender_services.cancel_tender(session, dept, tender.id, "预算调整，项目暂缓")
    session.commit()
    assert tender.status == TenderStatus.CANCELLED
    assert session.scalar(select(Notification.kind).where(
        Notification.organization_id == org.id)) == "tender_cancelled"
    page = app.test_client().get(f"/tenders/{tender.id}").get_data(as_text=True)
    assert "预算调整，项目暂缓" in page
    with pytest.raises(Conflict):
        tender_services.cancel_tender(session, dept, tender.id, "again")


# --- documents, pages ----------------------------------------------------------------------

def test_a_document_added_after_publication_is_a_material_change(app, demo, session, clock):
    from market.documents.storage import Upload
    from market.orgs.demo import minimal_pdf

    dept = user(session, "dept")
    tender = new_tender(session, clock, publish=False)
    with app.test_request_context():  # uploads go to the app's folder; errors are translated
        tender_services.attach_document(session, dept, tender.id,
                                 Upload("招标文件.pdf", minimal_pdf("tender")))
        tender_services.publish_tender(session, dept, tender.id)
        session.commit()
        assert tender.version == 1
        with pytest.raises(Invalid):
            tender_services.attach_document(session, dept, tender.id,
                                     Upload("补充.pdf", minimal_pdf("more")))
        session.rollback()
        tender_services.attach_document(session, dept, tender.id,
                                        Upload("补充.pdf", minimal_pdf("m")), reason="补充服务点位清单")
        session.commit()
    assert tender.version == 2
    _org, u = org_member(session)
    page = _client(app, u.username).get(f"/tenders/{tender.id}").get_data(as_text=True)
    assert "招标文件.pdf" in page and "补充服务点位清单" in page


def test_the_public_list_pages_and_filters(app, demo, session, clock):
    made = [new_tender(session, clock, title=f"分页测试项目{i:02d}",
                        ceiling_price="10000.00") for i in range(21)]
    anon = app.test_client()
    first = anon.get("/tenders/?status=accepting_bids").get_data(as_text=True)
    second = anon.get("/tenders/?status=accepting_bids&page=2").get_data(as_text=True)
    titles = [t.title for t in made]
    assert sum(t in first for t in titles) + sum(t in second for t in titles) == 21
    assert "分页测试项目20" in first and "分页测试项目00" in second  # newest first
    dept_id = made[0].department_id
    mzj = anon.get(f"/tenders/?department={dept_id + 1000}").get_data(as_text=True)
    assert "分页测试项目" not in mzj
    closed = anon.get("/tenders/?status=bids_closed").get_data(as_text=True)
    assert "分页测试项目" not in closed
    clock.travel(made[0].bid_deadline)
    closed = anon.get("/tenders/?status=bids_closed").get_data(as_text=True)
    assert "分页测试项目20" in closed


def test_work_queue_shows_drafts_questions_and_tenders_to_open(app, demo, session, clock):
    draft = new_tender(session, clock, publish=False, title="待发布的草稿")
    tender = new_tender(session, clock, title="待开标的项目")
    clock.travel(tender.bid_deadline)
    page = _client(app, "dept").get("/tenders/queue").get_data(as_text=True)
    assert draft.title in page and tender.title in page
    home = _client(app, "dept").get("/home").get_data(as_text=True)
    assert "采购待办" in home
