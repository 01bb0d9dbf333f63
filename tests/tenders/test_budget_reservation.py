"""Budget reserved at publication (预留/冻结, issue 10 part 8), through HTTP: publishing
reserves the ceiling, a second tender cannot promise what is reserved, cancelling or a
failed opening gives it back, an amended ceiling moves it; the pages show it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from ledger.models import Transaction
from ledger.verify import verify
from market import funds
from market.tenders.models import Tender, TenderStatus
from tests.factories import budget_item, new_tender, tender_terms, user
from tests.probes import item_balances, procurement_counts


def _login(app, username="dept", language="zh"):
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    return client


def _journal(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Transaction.id)))


def _available(session, item) -> D:
    return item_balances(session, item)["available"]


def test_publishing_reserves_the_ceiling_and_the_page_shows_it(app, demo, session, clock):
    item = budget_item(session)  # 500,000.00
    draft = new_tender(session, clock, item=item, publish=False, ceiling_price="300000.00")
    client = _login(app)
    page = client.get(f"/tenders/{draft.id}").get_data(as_text=True)
    assert 'id="reserved"' not in page  # a draft reserves nothing
    assert client.post(f"/tenders/{draft.id}/publish").status_code == 302
    assert _available(session, item) == D("200000.00")
    assert funds.reserved(session, draft) == D("300000.00")
    for language, label in (("zh", "已预留预算"), ("en", "Budget reserved")):
        page = _login(app, language=language).get(f"/tenders/{draft.id}").get_data(as_text=True)
        assert label in page and "300,000.00" in page.split('id="reserved"')[1][:80]
    assert verify(session).ok


@pytest.mark.parametrize("language,expected", [
    ("zh", "最高限价超过了目录项目的可用预算（200,000.00 元）"),
    ("en", "The ceiling price is above the budget still available on the catalog item "
           "(200,000.00 yuan)")])
def test_a_second_tender_over_what_is_left_is_refused_and_changes_nothing(
        app, demo, session, clock, language, expected):
    item = budget_item(session)
    new_tender(session, clock, item=item, ceiling_price="300000.00")
    # A draft saved at what was left; its ceiling then one fen over (as a draft saved
    # before a budget cut would be): publishing checks the ledger again.
    second = new_tender(session, clock, item=item, publish=False, ceiling_price="200000.00")
    second.ceiling_price = D("200000.01")
    session.commit()
    before = procurement_counts(session), _journal(session), _available(session, item)
    client = _login(app, language=language)
    response = client.post(f"/tenders/{second.id}/publish", follow_redirects=True)
    assert expected in response.get_data(as_text=True)
    assert (procurement_counts(session), _journal(session), _available(session, item)) \
        == before
    assert session.get(Tender, second.id).status == TenderStatus.DRAFT
    assert not funds.has_reservation(session, second)
    # At exactly what is left (the boundary), it publishes and takes the last fen.
    second = session.get(Tender, second.id)
    second.ceiling_price = D("200000.00")
    session.commit()
    assert client.post(f"/tenders/{second.id}/publish").status_code == 302
    assert _available(session, item) == D("0.00")
    assert session.get(Tender, second.id).status == TenderStatus.PUBLISHED


def test_a_new_tender_form_sees_only_what_is_not_reserved(app, demo, session, clock):
    item = budget_item(session)
    new_tender(session, clock, item=item, ceiling_price="300000.00")
    for language, reserved_label in (("zh", "已发布项目预留（元）"),
                                     ("en", "Reserved by published tenders (yuan)")):
        page = _login(app, language=language).get("/tenders/new").get_data(as_text=True)
        assert reserved_label in page
        row = page.split(item.code)[1][:600]
        assert "300,000.00" in row and "200,000.00" in row


@pytest.mark.parametrize("language", ["zh", "en"])
def test_cancelling_after_publication_gives_the_budget_back(app, demo, session, clock,
                                                             language):
    item = budget_item(session)
    untouched = _available(session, item)
    tender = new_tender(session, clock, item=item, ceiling_price="300000.00")
    assert _available(session, item) == untouched - D("300000.00")
    client = _login(app, language=language)
    assert client.post(f"/tenders/{tender.id}/cancel",
                       data={"reason": "需求变更，项目终止"}).status_code == 302
    session.expire_all()
    assert session.get(Tender, tender.id).status == TenderStatus.CANCELLED
    assert _available(session, item) == untouched
    assert funds.reserved(session, tender) == D("0.00")
    assert verify(session).ok


def test_a_failed_opening_gives_the_budget_back(app, demo, session, clock):
    item = budget_item(session)
    tender = new_tender(session, clock, item=item, ceiling_price="300000.00")
    clock.travel(tender.opening_time + dt.timedelta(minutes=5))
    assert _login(app).post(f"/tenders/{tender.id}/open").status_code == 302
    session.expire_all()
    assert session.get(Tender, tender.id).status == TenderStatus.UNSUCCESSFUL  # 流标, no bids
    assert _available(session, item) == D("500000.00")
    assert funds.reserved(session, tender) == D("0.00")


def test_an_amended_ceiling_moves_the_reservation(app, demo, session, clock):
    from market.tenders import tender_services

    item = budget_item(session)
    tender = new_tender(session, clock, item=item, ceiling_price="300000.00")
    dept = user(session, "dept")
    tender_services.amend_tender(session, dept, tender.id,
                                 tender_terms(clock, ceiling_price="250000.00"), "压减限价")
    session.commit()
    assert funds.reserved(session, tender) == D("250000.00")
    assert _available(session, item) == D("250000.00")
    # Up to what is available plus what the tender holds: 500,000.00, not a fen more.
    with pytest.raises(Exception, match="ceiling price is above"):
        tender_services.amend_tender(session, dept, tender.id,
                                     tender_terms(clock, ceiling_price="500000.01"), "x")
    session.rollback()
    tender_services.amend_tender(session, dept, tender.id,
                                 tender_terms(clock, ceiling_price="500000.00"), "全额")
    session.commit()
    assert funds.reserved(session, tender) == D("500000.00")
    assert _available(session, item) == D("0.00")


@pytest.mark.parametrize("language,label", [("zh", "预留（冻结）"), ("en", "Reserved")])
def test_budget_execution_shows_the_reserved_column(app, demo, session, clock, language,
                                                    label):
    item = budget_item(session)
    tender = new_tender(session, clock, item=item, ceiling_price="123456.78")
    client = _login(app, "auditor", language)
    html = client.get(f"/audit/?fy={item.catalog.fiscal_year}").get_data(as_text=True)
    assert f">{label}</th>" in html
    row = html.split(item.code)[1][:700]
    assert "123,456.78" in row and "376,543.22" in row  # reserved, then available
    assert "badge-pass" in html  # still reconciles
    tender_services_cancel(session, tender)
    html = client.get(f"/audit/?fy={item.catalog.fiscal_year}").get_data(as_text=True)
    assert "123,456.78" not in html.split(item.code)[1][:700]


def tender_services_cancel(session, tender):
    from market.tenders import tender_services

    tender_services.cancel_tender(session, user(session, "dept"), tender.id, "终止")
    session.commit()
