"""质疑: within the window, blocking the contract, answered with reasons, public once closed."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from market.contracts import services as contracts
from market.errors import Conflict, Forbidden, Invalid
from market.tenders import award as awards
from market.tenders import challenges
from market.tenders.scoring import services as evaluation
from market.tenders.calendar import is_working_day
from market.tenders.scoring.models import Award, ChallengeStatus
from market.tenders.models import TenderStatus
from tests.contracts.conftest import (SCHEDULE, awarded_tender, bid_of, budget_item, counts,
                                      ledger, make_org, user)


@pytest.fixture
def awarded(app, demo, session, clock):
    item = budget_item(session)
    tender, bidders = awarded_tender(session, clock, item)
    return item, tender, bidders


def _schedule():
    return [contracts.MilestoneData(*row) for row in SCHEDULE]


def test_upheld_challenge_reopens_the_award(client, session, clock, awarded):
    item, tender, bidders = awarded
    dept = user(session, "dept")
    b, c = bidders["b"], bidders["c"]
    first = challenges.file_challenge(session, b, tender.id, "甲机构的团队资质不符合要求")
    second = challenges.file_challenge(session, c, tender.id, "评分不公")
    session.commit()
    with pytest.raises(Conflict):  # one open challenge per bidder
        challenges.file_challenge(session, b, tender.id, "再次质疑")
    session.rollback()
    # Open challenges are not public; the challenger sees its own.
    assert "甲机构的团队资质" not in client.get(f"/tenders/{tender.id}/award").get_data(
        as_text=True)
    client.post("/login", data={"username": b.username, "password": "demo-pass-2026"})
    assert "甲机构的团队资质" in client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    client.post("/logout")

    # No contract while a challenge is open, even after the standstill.
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    before = counts(session), ledger(session, item)
    with pytest.raises(Conflict):
        contracts.sign_contract(session, dept, tender.id, _schedule())
    session.rollback()
    assert (counts(session), ledger(session, item)) == before

    with pytest.raises(Invalid):  # an answer needs reasons
        challenges.answer_challenge(session, dept, first.id, True, " ")
    session.rollback()
    challenges.answer_challenge(session, dept, first.id, True, "经核实，甲机构资质证书已过期")
    session.commit()
    session.refresh(tender)
    session.refresh(second)
    assert tender.status == TenderStatus.EVALUATED and tender.awarded_at is None
    assert second.status == ChallengeStatus.SUPERSEDED
    revoked = session.scalar(select(Award).where(Award.tender_id == tender.id))
    assert revoked.revoked_at is not None

    # Re-award to B (ranked second) with a reason; the closed challenges are public.
    awards.award_tender(session, dept, tender.id, bid_of(session, tender, b).id,
                        "原中标人资质不符，质疑成立")
    session.commit()
    html = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    assert "经核实，甲机构资质证书已过期" in html and "质疑成立" in html
    assert "中标记录" in html


def test_challenge_window_and_who_may_challenge(session, clock, awarded):
    _, tender, bidders = awarded
    _, outsider = make_org(session, grade=3)
    with pytest.raises(Forbidden):
        challenges.file_challenge(session, outsider, tender.id, "我也有意见")
    session.rollback()
    with pytest.raises(Invalid):
        challenges.file_challenge(session, bidders["b"], tender.id, "")
    session.rollback()
    clock.travel(tender.challenge_deadline)
    before = counts(session)
    with pytest.raises(Conflict):
        challenges.file_challenge(session, bidders["b"], tender.id, "逾期质疑")
    session.rollback()
    assert counts(session) == before


def test_the_challenge_deadline_counts_working_days(session, awarded):
    _, tender, _ = awarded
    local = tender.challenge_deadline.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (local.hour, local.minute) == (23, 59)
    awarded_day = tender.awarded_at.astimezone(local.tzinfo).date()
    weekdays = sum(1 for n in range(1, (local.date() - awarded_day).days + 1)
                   if is_working_day(session, awarded_day + dt.timedelta(days=n)))
    assert weekdays == tender.challenge_window_days
    assert tender.standstill_ends_at == tender.awarded_at + dt.timedelta(days=7)


def test_contract_waits_for_the_standstill(session, clock, awarded):
    item, tender, _ = awarded
    dept = user(session, "dept")
    before = counts(session), ledger(session, item)
    with pytest.raises(Conflict, match="standstill"):
        contracts.sign_contract(session, dept, tender.id, _schedule())
    session.rollback()
    clock.travel(tender.standstill_ends_at)
    with pytest.raises(Invalid):  # shares must add up to 100 %
        contracts.sign_contract(session, dept, tender.id, _schedule()[:2])
    session.rollback()
    assert (counts(session), ledger(session, item)) == before
    contract = contracts.sign_contract(session, dept, tender.id, _schedule())
    session.commit()
    assert contract.amount == evaluation.results(session, tender)[0].price
    with pytest.raises(Conflict):  # signed once
        contracts.sign_contract(session, dept, tender.id, _schedule())
    session.rollback()


def test_signing_is_refused_when_the_budget_is_gone(session, clock, awarded):
    """The ledger refuses the commitment; the contract row goes with it."""
    from market.catalogs.services import amend_budget

    item, tender, _ = awarded
    amend_budget(session, user(session, "finance"), item.id, "100000.00", "压减预算")
    session.commit()
    clock.travel(tender.standstill_ends_at)
    before = counts(session), ledger(session, item)
    with pytest.raises(Conflict, match="Not enough budget"):
        contracts.sign_contract(session, user(session, "dept"), tender.id, _schedule())
    session.rollback()
    assert (counts(session), ledger(session, item)) == before
    session.refresh(tender)
    assert tender.status == TenderStatus.AWARDED
