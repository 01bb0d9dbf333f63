"""质疑: within the window, blocking the contract, answered with reasons, public once closed.
(Signing after the standstill is in tests/contracts/test_signing.py.)"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from market.contracts import services as contracts
from market.errors import Conflict, Forbidden, Invalid
from market.tenders.scoring import award as awards
from market.tenders.scoring import challenges
from market.tenders.calendar import is_working_day
from market.tenders.scoring.models import Award, ChallengeStatus
from market.tenders.models import TenderStatus
from tests.factories import bid_of, milestones, org_member, user
from tests.probes import item_balances, procurement_counts


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
    before = procurement_counts(session), item_balances(session, item)
    with pytest.raises(Conflict):
        contracts.sign_contract(session, dept, tender.id, milestones())
    session.rollback()
    assert (procurement_counts(session), item_balances(session, item)) == before

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
    awards.award_tender(session, dept, tender.id, bid_of(session, tender, b).id, [
        awards.PassOverData(bid_of(session, tender, bidders["a"]).id, "false_material",
                            reference="质疑答复：资质证书已过期")])
    session.commit()
    html = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    assert "经核实，甲机构资质证书已过期" in html and "质疑成立" in html
    assert "中标记录" in html


def test_challenge_window_and_who_may_challenge(session, clock, awarded):
    _, tender, bidders = awarded
    _, outsider = org_member(session, grade=3)
    with pytest.raises(Forbidden):
        challenges.file_challenge(session, outsider, tender.id, "我也有意见")
    session.rollback()
    with pytest.raises(Invalid):
        challenges.file_challenge(session, bidders["b"], tender.id, "")
    session.rollback()
    clock.travel(tender.challenge_deadline)
    before = procurement_counts(session)
    with pytest.raises(Conflict):
        challenges.file_challenge(session, bidders["b"], tender.id, "逾期质疑")
    session.rollback()
    assert procurement_counts(session) == before


def test_the_challenge_deadline_counts_working_days(session, awarded):
    _, tender, _ = awarded
    local = tender.challenge_deadline.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (local.hour, local.minute) == (23, 59)
    awarded_day = tender.awarded_at.astimezone(local.tzinfo).date()
    weekdays = sum(1 for n in range(1, (local.date() - awarded_day).days + 1)
                   if is_working_day(session, awarded_day + dt.timedelta(days=n)))
    assert weekdays == tender.challenge_window_days
    assert tender.standstill_ends_at == tender.awarded_at + dt.timedelta(days=7)
