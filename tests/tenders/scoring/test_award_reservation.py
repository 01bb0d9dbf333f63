"""The award and the reservation (预留, issue 10 part 8): the award keeps the awarded price
reserved and gives back the rest of the ceiling; a re-award after an upheld challenge
raises or lowers it, and is refused (changing nothing) when the item cannot cover it."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from ledger.models import Transaction
from market import funds
from market.tenders.models import Tender, TenderStatus
from market.tenders.scoring import challenges
from market.tenders.scoring.models import Award
from tests.factories import bid_of, new_tender, user
from tests.probes import item_balances


def _login(app, language):
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": "dept",
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    return client


def _reopened(session, awarded):
    item, tender, bidders = awarded
    challenge = challenges.file_challenge(session, bidders["b"], tender.id, "资质不符")
    session.commit()
    challenges.answer_challenge(session, user(session, "dept"), challenge.id, True,
                                "经核实，中标人资质证书已过期")
    session.commit()
    return item, tender, bidders


def _re_award(client, session, tender, bidders):
    """Award the second-ranked bid: the first is passed over for a coded reason with its
    evidence (the upheld challenge found its qualification certificate expired)."""
    first = bid_of(session, tender, bidders["a"]).id
    return client.post(f"/tenders/{tender.id}/award", data={
        "bid_id": str(bid_of(session, tender, bidders["b"]).id),
        f"pass-{first}-reason": "false_material",
        f"pass-{first}-reference": "质疑处理决定书（资质证书已过期）"},
        content_type="multipart/form-data")


def test_the_award_keeps_the_price_and_gives_back_the_rest(session, awarded):
    item, tender, _ = awarded  # ceiling 300,000.00, awarded at 240,000.00
    assert funds.reserved(session, tender) == D("240000.00")
    assert item_balances(session, item)["available"] == D("260000.00")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_re_award_at_a_higher_price_reserves_the_difference(app, session, awarded, language):
    item, tender, bidders = _reopened(session, awarded)
    assert funds.reserved(session, tender) == D("240000.00")  # reopening moves no money
    response = _re_award(_login(app, language), session, tender, bidders)
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Tender, tender.id).status == TenderStatus.AWARDED
    assert funds.reserved(session, tender) == D("250000.00")
    assert item_balances(session, item)["available"] == D("250000.00")


@pytest.mark.parametrize("language,expected", [("zh", "可用预算不足"),
                                               ("en", "Not enough budget is available")])
def test_a_re_award_the_item_cannot_cover_is_refused_and_changes_nothing(
        app, session, clock, awarded, language, expected):
    item, tender, bidders = _reopened(session, awarded)
    # Another tender reserves everything the first award gave back.
    new_tender(session, clock, item=item, ceiling_price="260000.00")
    assert item_balances(session, item)["available"] == D("0.00")
    journal = session.scalar(select(func.count(Transaction.id)))
    awards_before = session.scalar(select(func.count(Award.id)))
    response = _re_award(_login(app, language), session, tender, bidders)
    assert response.status_code == 409
    assert expected in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Tender, tender.id).status == TenderStatus.EVALUATED
    assert session.scalar(select(func.count(Transaction.id))) == journal
    assert session.scalar(select(func.count(Award.id))) == awards_before
    assert funds.reserved(session, tender) == D("240000.00")
