"""采购意向 — a tender waits for its item's procurement intention to have been public for
``intention_public_days`` (MOF notice 财库〔2020〕10号: at least 30 days before the
purchase starts), and the department publishes and edits the intention."""
from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from market import policy
from market.auditlog.models import AuditEntry
from market.catalogs import services as catalogs
from market.errors import Conflict, Forbidden, Invalid
from market.tenders import tender_services
from market.tenders.models import Tender, TenderStatus
from tests import factories
from tests.factories import item_data, user


def _fresh_item(session):
    """An approved FY2028 item whose intention is not published yet."""
    dept, finance = user(session, "dept"), user(session, "finance")
    catalog = catalogs.create_catalog(session, dept, 2028)
    item = catalogs.add_item(session, dept, catalog.id, item_data())
    catalogs.submit_catalog(session, dept, catalog.id)
    catalogs.approve_catalog(session, finance, catalog.id)
    session.commit()
    return item


class _At:
    """What ``factories.tender_terms`` reads of a clock: its ``now``."""

    def __init__(self, moment: dt.datetime):
        self.now = moment


def test_the_rule_is_thirty_days_with_its_citation(app):
    assert policy.value("intention_public_days") == 30
    with force_locale("en"):
        assert "财库〔2020〕10号" in str(policy.get("intention_public_days").citation)


def test_a_tender_waits_until_the_intention_has_been_public_thirty_days(
        app, demo, session, travel):
    published = travel(2028, 3, 1, 2)  # 10:00 in Kunshan, 1 March 2028
    item = _fresh_item(session)
    catalogs.publish_intention(session, user(session, "dept"), item.id,
                               "为社区居民提供健康讲座与慢病管理。", "2028-05")
    session.commit()
    assert item.intention_published_at == published

    short = travel(2028, 3, 30, 2)  # 29 days later: one day short
    draft = factories.new_tender(session, _At(short), item=item, publish=False)
    reserved_before = tender_services.available_budget(session, item)
    entries_before = session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(Conflict) as refused:
        tender_services.publish_tender(session, user(session, "dept"), draft.id)
    session.rollback()
    with force_locale("en"):
        message = str(refused.value)
    assert "2028-03-01" in message and "2028-03-31" in message and "30 days" in message
    with force_locale("zh"):
        assert "2028-03-31" in str(refused.value)
    session.expire_all()
    tender = session.get(Tender, draft.id)
    assert tender.status == TenderStatus.DRAFT and tender.published_at is None
    assert tender_services.available_budget(session, item) == reserved_before
    assert session.scalar(select(func.count(AuditEntry.id))) == entries_before

    travel(2028, 3, 30, 16, 30)  # 00:30 on 31 March in Kunshan: the day itself
    tender_services.publish_tender(session, user(session, "dept"), draft.id)
    session.commit()
    assert session.get(Tender, draft.id).status == TenderStatus.PUBLISHED


def test_no_tender_before_the_intention_is_published(app, demo, session, clock):
    item = _fresh_item(session)
    draft = factories.new_tender(session, clock, item=item, publish=False)
    assert item.intention_published_at is None
    with pytest.raises(Conflict) as refused:
        tender_services.publish_tender(session, user(session, "dept"), draft.id)
    session.rollback()
    with force_locale("en"):
        assert "has not been published" in str(refused.value)
    assert session.get(Tender, draft.id).status == TenderStatus.DRAFT


def test_editing_the_intention_keeps_its_date(app, demo, session, travel):
    first = travel(2028, 2, 1, 2)
    item = _fresh_item(session)
    dept = user(session, "dept")
    catalogs.publish_intention(session, dept, item.id, "初稿。", "2028-04")
    session.commit()
    later = travel(2028, 2, 10, 2)
    catalogs.publish_intention(session, dept, item.id, "修改后的需求概况。", "2028-06")
    session.commit()
    assert item.intention_published_at == first and item.intention_updated_at == later
    assert item.intention_needs == "修改后的需求概况。"
    assert item.intention_month == dt.date(2028, 6, 1)


@pytest.mark.parametrize("needs, month, field", [
    ("", "2028-05", "needs"), ("需求", "2028/05", "month"), ("需求", "2027-12", "month"),
    ("需求", "2028-13", "month"), ("x" * 2001, "2028-05", "needs")])
def test_bad_intentions_are_refused(app, demo, session, needs, month, field):
    item = _fresh_item(session)
    with pytest.raises(Invalid) as refused:
        catalogs.publish_intention(session, user(session, "dept"), item.id, needs, month)
    session.rollback()
    assert refused.value.field == field
    assert session.get(type(item), item.id).intention_published_at is None


def test_only_the_owning_department_publishes(app, demo, session):
    item = _fresh_item(session)
    for name in ("dept-mzj", "finance", "civil"):
        other = user(session, name)
        if other is None:
            continue
        with pytest.raises(Forbidden):
            catalogs.publish_intention(session, other, item.id, "需求", "2028-05")
        session.rollback()
    assert session.get(type(item), item.id).intention_published_at is None


def test_the_department_publishes_through_its_page(app, demo, session, client, auth):
    item = _fresh_item(session)
    auth.login("dept")
    page = client.get(f"/catalogs/items/{item.id}/intention")
    assert page.status_code == 200 and item.description in page.get_data(as_text=True)
    bad = client.post(f"/catalogs/items/{item.id}/intention",
                      data={"needs": "健康讲座", "month": "五月"})
    assert bad.status_code == 422 and "请按“年-月”格式填写月份" in bad.get_data(as_text=True)
    session.expire_all()
    assert session.get(type(item), item.id).intention_published_at is None
    done = client.post(f"/catalogs/items/{item.id}/intention",
                       data={"needs": "健康讲座与慢病管理", "month": "2028-05"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(type(item), item.id).intention_needs == "健康讲座与慢病管理"
    public = client.get(f"/announcements/intentions/{item.id}")
    assert public.status_code == 200 and "健康讲座与慢病管理" in public.get_data(as_text=True)
    auth.logout()
    auth.login("dept-mzj")
    assert client.get(f"/catalogs/items/{item.id}/intention").status_code == 404


def test_the_draft_tender_says_from_when_it_can_be_published(app, demo, session, client, auth,
                                                           travel):
    travel(2028, 3, 1, 2)
    item = _fresh_item(session)
    draft = factories.new_tender(session, _At(dt.datetime(2028, 3, 1, 2, tzinfo=dt.UTC)),
                                 item=item, publish=False)
    auth.login("dept")
    before = client.get(f"/tenders/{draft.id}").get_data(as_text=True)
    assert "尚未公开采购意向" in before
    catalogs.publish_intention(session, user(session, "dept"), item.id, "需求概况。", "2028-05")
    session.commit()
    after = client.get(f"/tenders/{draft.id}").get_data(as_text=True)
    assert "2028-03-31" in after
    refused = client.post(f"/tenders/{draft.id}/publish", follow_redirects=True)
    assert "本采购公告自 2028-03-31 起方可发布" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Tender, draft.id).status == TenderStatus.DRAFT
