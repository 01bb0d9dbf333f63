"""A bid's submission, revision or reconfirmation answers with what *this* request stored
(issue 9, finding 10): when another revision of the same bid (a second user of the same
organization) lands right after this one commits, the answer still shows this request's
price and receipt — it is never re-read from the row.
"""
from __future__ import annotations

import contextlib
import threading
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.tenders import bid_services, receipts, tender_services
from tests.conftest import ON_POSTGRES
from tests.factories import new_tender as make_tender, org_member as make_org, place_bid as bid, tender_terms as terms, user

RACER_PRICE = "111111.11"


@pytest.fixture
def two_users(app, demo, session, clock):
    """A tender; one organization with two users; its bid (250,000.00) by the first."""
    tender = make_tender(session, clock)
    org, first = make_org(session, "并发修改测试组织", username="reviser-one")
    _, second = make_org(session, "辅助组织", username="reviser-two")
    second.organization_id = org.id
    session.commit()
    bid(session, first, tender, price="250000.00", proposal="初始方案")
    return tender, org, first, second


def _client(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302
    return client


def _receipt(tender, org, price, proposal, version=1) -> str:
    return receipts.digest(receipts.canonical_content(
        tender_reference=tender.reference, organization_code=org.credit_code, price=price,
        proposal=proposal, document_hashes=[], tender_version=version))


def _racing_unit_of_work(app, tender, racer_id):
    """A unit of work that, right after its commit and before the answer is built, lets
    the organization's other user revise the same bid (in its own session)."""
    @contextlib.contextmanager
    def unit_of_work(session):
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        with Session(app.extensions["db_engine"], expire_on_commit=False) as other:
            bid_services.submit_bid(other, other.get(User, racer_id), tender.id, RACER_PRICE,
                                "另一位同事的修改")
            other.commit()

    return unit_of_work


def test_the_service_returns_what_it_stored(app, session, two_users):
    tender, org, first, second = two_users
    stored = bid_services.submit_bid(session, first, tender.id, "240000.00", "修订方案")
    session.commit()
    with Session(app.extensions["db_engine"]) as other:
        bid_services.submit_bid(other, other.get(User, second.id), tender.id, RACER_PRICE, "另一修改")
        other.commit()
    session.expire_all()  # whatever is read later comes from the row
    assert stored.price == Decimal("240000.00") and stored.proposal == "修订方案"
    assert stored.receipt_hash == _receipt(tender, org, "240000.00", "修订方案")


def test_the_api_answers_with_this_revision(app, session, two_users, monkeypatch):
    tender, org, first, second = two_users
    from market.api import tenders as api

    monkeypatch.setattr(api, "unit_of_work", _racing_unit_of_work(app, tender, second.id))
    response = _client(app, first.username).put(
        f"/api/v1/tenders/{tender.id}/my-bid", json={"price": "240000.00", "proposal": "修订方案"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["price"] == "240000.00" and data["proposal"] == "修订方案"
    assert data["receipt_hash"] == _receipt(tender, org, "240000.00", "修订方案")
    # The racer's revision did land after it: the row is the racer's now.
    row = _client(app, second.username).get(f"/api/v1/tenders/{tender.id}/my-bid").get_json()
    assert row["price"] == RACER_PRICE


def test_the_api_reconfirmation_answers_with_this_reconfirmation(app, session, clock,
                                                                 two_users, monkeypatch):
    tender, org, first, second = two_users
    from market.api import tenders as api

    tender_services.amend_tender(session, user(session, "dept"), tender.id,
                          terms(clock, ceiling_price="290000.00"), "上限价调整")
    session.commit()
    monkeypatch.setattr(api, "unit_of_work", _racing_unit_of_work(app, tender, second.id))
    response = _client(app, first.username).post(
        f"/api/v1/tenders/{tender.id}/my-bid/reconfirm")
    assert response.status_code == 200
    data = response.get_json()
    assert data["price"] == "250000.00" and data["proposal"] == "初始方案"
    assert data["tender_version"] == 2 and data["needs_reconfirmation"] is False
    assert data["receipt_hash"] == _receipt(tender, org, "250000.00", "初始方案", version=2)


def test_the_bid_page_flashes_this_revisions_receipt(app, session, two_users, monkeypatch):
    tender, org, first, second = two_users
    from market.tenders.views import bidding

    monkeypatch.setattr(bidding, "unit_of_work", _racing_unit_of_work(app, tender, second.id))
    client = _client(app, first.username)
    client.get("/")  # the welcome is flashed once
    response = client.post(f"/tenders/{tender.id}/bid",
                           data={"price": "240000.00", "proposal": "修订方案"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    ours = _receipt(tender, org, "240000.00", "修订方案")
    racer = _receipt(tender, org, RACER_PRICE, "另一位同事的修改")
    flash = page.split('role="status"', 1)[1].split("</div>", 1)[0]
    assert ours in flash and racer not in flash


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent writers need PostgreSQL")
def test_concurrent_revisions_each_answer_with_their_own(app, session, two_users):
    """Two users of one organization revise the same bid 60 times each at once, through
    the API: every answer is the price and receipt of the revision it made."""
    tender, org, first, second = two_users
    answers, errors = [], []
    barrier = threading.Barrier(2)

    def reviser(username, base):
        client = _client(app, username)
        barrier.wait()
        for i in range(60):
            price = f"{Decimal(base) + Decimal(i) / 100:.2f}"
            proposal = f"{username} 第{i}次修改"
            response = client.put(f"/api/v1/tenders/{tender.id}/my-bid",
                                  json={"price": price, "proposal": proposal})
            if response.status_code != 200:
                errors.append((username, i, response.status_code))
                continue
            answers.append((price, proposal, response.get_json()))

    threads = [threading.Thread(target=reviser, args=(u.username, b))
               for u, b in ((first, "200000"), (second, "210000"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(answers) == 120
    for price, proposal, data in answers:
        assert (data["price"], data["proposal"]) == (price, proposal)
        assert data["receipt_hash"] == _receipt(tender, org, price, proposal)
