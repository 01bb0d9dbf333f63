"""The signing page in the state where a contract can actually be signed, in both
languages; and a budget refusal while signing answers 409 with a message, changing nothing
(issue 9, finding 1)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from market import funds
from market.contracts.models import Contract
from market.tenders.models import TenderStatus
from tests.factories import awarded_tender, budget_item, user
from tests.probes import item_balances as ledger, procurement_counts as counts
from tests.probes import untranslated

SCHEDULE = {"title-1": "预付款", "percent-1": "30", "due-1": "2028-03-01",
            "title-2": "中期交付", "percent-2": "40", "due-2": "2028-07-01",
            "title-3": "结项验收", "percent-3": "30", "due-3": "2028-12-01", "gated-3": "y"}


@pytest.fixture
def signable(app, demo, session, clock):
    item = budget_item(session)
    tender, _ = awarded_tender(session, clock, item)
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    return item, tender


@pytest.fixture
def signable_without_reservation(app, demo, session, clock):
    """As ``signable``, for a tender published before budget reservations existed."""
    item = budget_item(session)
    tender, _ = awarded_tender(session, clock, item, legacy=True)
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    return item, tender


def _login(app, language, username="dept"):
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    return client


@pytest.mark.parametrize("language", ["zh", "en"])
def test_signable_page_renders_in_both_languages(app, session, signable, language):
    _, tender = signable
    client = _login(app, language)
    response = client.get(f"/contracts/sign/{tender.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="percent-1"' in html  # the form, not a blocker
    assert ("100 %" in html or "100%" in html) and "%%" not in html
    problems = untranslated(app, session, [("dept", f"/contracts/sign/{tender.id}")], language)
    assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)


@pytest.mark.parametrize("language,expected", [("zh", "可用预算不足"), ("en", "Not enough budget is available")])
def test_budget_refusal_while_signing_is_409_and_changes_nothing(
        app, session, signable_without_reservation, language, expected):
    item, tender = signable_without_reservation
    # A tender with no reservation (published before reservations existed): finance lowers
    # the item's budget below the awarded price (240,000.00), and the ledger refuses the
    # commitment at signing. (A reserved award cannot be cut into: see test_signing.)
    funds.amend(session, item, Decimal("-400000.00"), reason="预算调减",
                by=user(session, "finance"))
    session.commit()
    before = counts(session), ledger(session, item)
    client = _login(app, language)
    response = client.post(f"/contracts/sign/{tender.id}", data=SCHEDULE)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and expected in html
    assert (counts(session), ledger(session, item)) == before
    assert session.scalar(select(Contract).where(Contract.tender_id == tender.id)) is None
    session.refresh(tender)
    assert tender.status == TenderStatus.AWARDED
