"""A bid counts from when it reached the platform (the proxy's stamp), not from when a
worker got to it: delivered before the deadline, it is accepted however long it queued;
delivered at or after it, refused. A client never sets its own time."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.core.arrival import parse_request_start
from market.errors import Conflict
from market.tenders import bid_services, tender_services
from market.tenders.models import Bid, BidStatus
from tests.factories import amend_keeping_terms, new_tender, org_member, place_bid, user

HEADER = "X-Request-Start"
SECOND = dt.timedelta(seconds=1)


def _counts(session) -> tuple[int, int]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Bid, AuditEntry))


def _bid_of(session, tender, org) -> Bid:
    session.expire_all()
    return session.scalar(select(Bid).where(Bid.tender_id == tender.id,
                                            Bid.organization_id == org.id))


def _nginx(moment: dt.datetime) -> str:
    return f"t={moment.timestamp():.3f}"  # proxy_set_header X-Request-Start "t=${msec}"


def _client(app, username):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    return client


@pytest.fixture
def stamped(app):
    """The proxy's stamp trusted, as a deployment behind nginx sets it."""
    app.config["REQUEST_START_HEADER"] = HEADER
    return app


def _amend(session, tender):
    amend_keeping_terms(session, tender)
    session.refresh(tender)


# --- the stamp itself ---------------------------------------------------------------------

MOMENT = dt.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=dt.UTC)  # 1700000000.123


@pytest.mark.parametrize("value", [
    "t=1700000000.123",  # nginx ${msec}
    "t=1700000000123000",  # Apache %t: microseconds
    "1700000000.123",  # a plain seconds float
    "1700000000123",  # milliseconds
    " t=1700000000.123000 ",
])
def test_the_proxies_forms_are_read(value):
    assert parse_request_start(value) == MOMENT


@pytest.mark.parametrize("value", ["", "t=", "abc", "t=-1700000000", "1e9", "t=1700000000.1.2",
                                   "12345678901", "9" * 17, "t=1700000000,123", "１７００"])
def test_anything_else_is_no_stamp(value):
    assert parse_request_start(value) is None


def test_the_settings_come_from_the_environment(app, monkeypatch):
    from market import create_app
    from market.config import ConfigError

    monkeypatch.setenv("MARKET_REQUEST_START_HEADER", HEADER)
    monkeypatch.setenv("MARKET_REQUEST_START_MAX_AGE_SECONDS", "60")
    test_config = {k: app.config[k] for k in ("TESTING", "DATABASE_URL", "SECRET_KEY")}
    configured = create_app(test_config)
    assert configured.config["REQUEST_START_HEADER"] == HEADER
    assert configured.config["REQUEST_START_MAX_AGE_SECONDS"] == 60
    configured.extensions["db_engine"].dispose()
    monkeypatch.setenv("MARKET_REQUEST_START_MAX_AGE_SECONDS", "0")
    with pytest.raises(ConfigError):
        create_app(test_config)


# --- the services -------------------------------------------------------------------------

def test_a_bid_that_arrived_before_the_deadline_is_accepted_when_handled_after_it(
        app, demo, session, clock):
    tender = new_tender(session, clock)
    org, u = org_member(session)
    arrived = tender.bid_deadline - SECOND
    clock.travel(tender.bid_deadline + 3 * SECOND)  # it waited in the queue
    stored = bid_services.submit_bid(session, u, tender.id, "250000.00", "方案",
                                     received_at=arrived)
    session.commit()
    assert stored.submitted_at == arrived
    assert _bid_of(session, tender, org).submitted_at == arrived


def test_a_bid_that_arrived_at_the_deadline_is_refused_and_nothing_is_stored(
        app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    before = _counts(session)
    clock.travel(tender.bid_deadline + 3 * SECOND)
    for arrived in (tender.bid_deadline, tender.bid_deadline + SECOND):
        with pytest.raises(bid_services.BidRefused):
            bid_services.submit_bid(session, u, tender.id, "250000.00", "方案",
                                    received_at=arrived)
        session.rollback()
    assert _counts(session) == before


def test_a_revision_counts_from_its_arrival(app, demo, session, clock):
    tender = new_tender(session, clock)
    org, u = org_member(session)
    place_bid(session, u, tender)
    arrived = tender.bid_deadline - SECOND
    clock.travel(tender.bid_deadline + 2 * SECOND)
    bid_services.revise_bid(session, u, tender.id, "240000.00", "新方案", received_at=arrived)
    session.commit()
    bid = _bid_of(session, tender, org)
    assert (bid.price, bid.revised_at) == (240000, arrived)
    with pytest.raises(bid_services.BidRefused):
        bid_services.revise_bid(session, u, tender.id, "230000.00", "迟到的方案",
                                received_at=tender.bid_deadline)
    session.rollback()
    assert _bid_of(session, tender, org).price == 240000


def test_of_two_changes_the_one_that_arrived_last_stands(app, demo, session, clock):
    """Two users of one organization revise; the workers take them in the other order."""
    tender = new_tender(session, clock)
    org, u = org_member(session)
    place_bid(session, u, tender)
    first, second = clock.now + SECOND, clock.now + 2 * SECOND
    clock.travel(clock.now + 5 * SECOND)
    bid_services.revise_bid(session, u, tender.id, "240000.00", "后到的方案", received_at=second)
    session.commit()
    before = _counts(session)
    with pytest.raises(Conflict):
        bid_services.revise_bid(session, u, tender.id, "230000.00", "先到的方案",
                                received_at=first)
    session.rollback()
    bid = _bid_of(session, tender, org)
    assert (bid.price, bid.proposal, bid.revised_at) == (240000, "后到的方案", second)
    assert _counts(session) == before


def test_withdrawal_counts_from_its_arrival(app, demo, session, clock):
    tender = new_tender(session, clock)
    (_a, a), (org_b, b) = org_member(session), org_member(session)
    place_bid(session, a, tender)
    place_bid(session, b, tender)
    clock.travel(tender.bid_deadline + 2 * SECOND)
    arrived = tender.bid_deadline - SECOND
    stored = bid_services.withdraw_bid(session, a, tender.id, received_at=arrived)
    session.commit()
    assert (stored.status, stored.withdrawn_at) == (BidStatus.WITHDRAWN, arrived)
    before = _counts(session)
    with pytest.raises(bid_services.BidRefused):
        bid_services.withdraw_bid(session, b, tender.id, received_at=tender.bid_deadline)
    session.rollback()
    assert _counts(session) == before
    bid = _bid_of(session, tender, org_b)
    assert (bid.status, bid.withdrawn_at) == (BidStatus.SUBMITTED, None)


def test_a_reconfirmation_counts_from_its_arrival(app, demo, session, clock):
    tender = new_tender(session, clock)
    org, u = org_member(session)
    place_bid(session, u, tender)
    _amend(session, tender)
    clock.travel(tender.bid_deadline + 2 * SECOND)
    arrived = tender.bid_deadline - SECOND
    bid_services.reconfirm_bid(session, u, tender.id, received_at=arrived)
    session.commit()
    bid = _bid_of(session, tender, org)
    assert (bid.tender_version, bid.reconfirmed_at) == (tender.version, arrived)


def test_an_opened_tender_refuses_whatever_the_stamp_says(app, demo, session, clock):
    tender = new_tender(session, clock)
    (_a, a), (org_b, b), (_c, c) = org_member(session), org_member(session), org_member(session)
    place_bid(session, a, tender)
    place_bid(session, b, tender)
    clock.travel(tender.opening_time)
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    before = _counts(session)
    early = tender.bid_deadline - dt.timedelta(minutes=1)
    for call in (lambda: bid_services.submit_bid(session, c, tender.id, "1.00", "x",
                                                 received_at=early),
                 lambda: bid_services.revise_bid(session, b, tender.id, "1.00", "x",
                                                 received_at=early),
                 lambda: bid_services.withdraw_bid(session, b, tender.id, received_at=early)):
        with pytest.raises(bid_services.BidRefused, match="not taking bids"):
            call()
        session.rollback()
    assert _counts(session) == before
    assert _bid_of(session, tender, org_b).status == BidStatus.SUBMITTED


def test_an_arrival_in_the_future_counts_as_now(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    stored = bid_services.submit_bid(session, u, tender.id, "250000.00", "方案",
                                     received_at=clock.now + dt.timedelta(hours=1))
    session.commit()
    assert stored.submitted_at == clock.now


# --- through HTTP ------------------------------------------------------------------------

def _post_bid(client, tender, stamp=None, price="250000.00"):
    headers = {HEADER: stamp} if stamp is not None else {}
    return client.post(f"/tenders/{tender.id}/bid", data={"price": price, "proposal": "方案"},
                       headers=headers)


def test_the_proxys_stamp_makes_a_queued_bid_on_time(stamped, demo, session, clock):
    tender = new_tender(session, clock)
    org, u = org_member(session)
    arrived = tender.bid_deadline - SECOND
    clock.travel(tender.bid_deadline + 3 * SECOND)
    response = _post_bid(_client(stamped, u.username), tender, _nginx(arrived))
    assert response.status_code == 302
    assert _bid_of(session, tender, org).submitted_at == arrived


def test_without_the_setting_the_header_is_ignored(app, demo, session, clock):
    assert app.config["REQUEST_START_HEADER"] is None  # the default: off
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    before = _counts(session)
    clock.travel(tender.bid_deadline + 3 * SECOND)
    response = _post_bid(_client(app, u.username), tender,
                         _nginx(tender.bid_deadline - SECOND))
    assert response.status_code == 409
    assert "已过，投标未被接收" in response.get_data(as_text=True)
    assert _counts(session) == before


def test_a_stamp_older_than_the_maximum_age_is_ignored(stamped, demo, session, clock, caplog):
    tender = new_tender(session, clock)
    _org, u = org_member(session)
    before = _counts(session)
    max_age = stamped.config["REQUEST_START_MAX_AGE_SECONDS"]
    clock.travel(tender.bid_deadline + 3 * SECOND)
    with caplog.at_level(logging.WARNING, logger="market.core.arrival"):
        response = _post_bid(_client(stamped, u.username), tender,
                             _nginx(clock.now - dt.timedelta(seconds=max_age + 1)))
    assert response.status_code == 409
    assert _counts(session) == before
    assert any("old" in r.getMessage() for r in caplog.records)


def test_a_stamp_in_the_future_is_taken_as_now(stamped, demo, session, clock):
    tender = new_tender(session, clock)
    org, u = org_member(session)
    clock.travel(tender.bid_deadline - 10 * SECOND)
    response = _post_bid(_client(stamped, u.username), tender,
                         _nginx(clock.now + dt.timedelta(minutes=5)))
    assert response.status_code == 302
    assert _bid_of(session, tender, org).submitted_at == clock.now


@pytest.mark.parametrize("garbage", ["yesterday", "t=", "t=1e99", "9" * 40, "t=-5"])
def test_a_garbage_stamp_is_ignored(stamped, demo, session, clock, garbage, caplog):
    tender = new_tender(session, clock)
    (org_a, a), (_b, b) = org_member(session), org_member(session)
    with caplog.at_level(logging.WARNING, logger="market.core.arrival"):
        assert _post_bid(_client(stamped, a.username), tender, garbage).status_code == 302
    assert _bid_of(session, tender, org_a).submitted_at == clock.now  # the clock's time
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    before = _counts(session)
    clock.travel(tender.bid_deadline + SECOND)
    assert _post_bid(_client(stamped, b.username), tender, garbage).status_code == 409
    assert _counts(session) == before


def test_the_withdraw_page_takes_the_stamp(stamped, demo, session, clock):
    tender = new_tender(session, clock)
    org, u = org_member(session)
    place_bid(session, u, tender)
    arrived = tender.bid_deadline - SECOND
    clock.travel(tender.bid_deadline + 2 * SECOND)
    response = _client(stamped, u.username).post(f"/tenders/{tender.id}/bid/withdraw",
                                                  headers={HEADER: _nginx(arrived)})
    assert response.status_code == 302
    bid = _bid_of(session, tender, org)
    assert (bid.status, bid.withdrawn_at) == (BidStatus.WITHDRAWN, arrived)


def test_the_api_takes_the_stamp(stamped, demo, session, clock):
    tender = new_tender(session, clock)
    (org_a, a), (_b, b) = org_member(session), org_member(session)
    arrived = tender.bid_deadline - SECOND
    clock.travel(tender.bid_deadline + 2 * SECOND)
    url = f"/api/v1/tenders/{tender.id}/my-bid"
    body = {"price": "250000.00", "proposal": "方案"}
    # Apache's form: microseconds.
    apache = f"t={int(arrived.timestamp()) * 1_000_000 + arrived.microsecond}"
    response = _client(stamped, a.username).put(url, json=body, headers={HEADER: apache})
    assert response.status_code == 200, response.get_json()
    assert _bid_of(session, tender, org_a).submitted_at == arrived
    late = _client(stamped, b.username).put(url, json=body,
                                            headers={HEADER: _nginx(tender.bid_deadline)})
    assert late.status_code == 409 and late.get_json()["error"] == "bid_refused"
    withdrawn = _client(stamped, a.username).delete(url, headers={HEADER: _nginx(arrived)})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
