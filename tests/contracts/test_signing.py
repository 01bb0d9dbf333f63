"""Signing the contract of an award: only after the standstill, with shares adding up to
100 %, once, and only while the ledger still holds the budget."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from market.contracts import services as contracts
from market.errors import Conflict, Invalid
from market.tenders.models import TenderStatus
from market.tenders.scoring import services as evaluation
from tests.factories import awarded_tender, budget_item, milestones, user
from tests.probes import item_balances, procurement_counts


def test_contract_waits_for_the_standstill(session, clock, awarded):
    item, tender, _ = awarded
    dept = user(session, "dept")
    before = procurement_counts(session), item_balances(session, item)
    with pytest.raises(Conflict, match="standstill"):
        contracts.sign_contract(session, dept, tender.id, milestones())
    session.rollback()
    clock.travel(tender.standstill_ends_at)
    with pytest.raises(Invalid):  # shares must add up to 100 %
        contracts.sign_contract(session, dept, tender.id, milestones()[:2])
    session.rollback()
    assert (procurement_counts(session), item_balances(session, item)) == before
    contract = contracts.sign_contract(session, dept, tender.id, milestones())
    session.commit()
    assert contract.amount == evaluation.results(session, tender)[0].price
    with pytest.raises(Conflict):  # signed once
        contracts.sign_contract(session, dept, tender.id, milestones())
    session.rollback()


def test_the_awarded_reservation_cannot_be_taken_back_by_a_budget_cut(session, clock, awarded):
    """The award keeps its price reserved: finance cannot lower the budget into it, and the
    contract is then committed out of the reservation."""
    from market import funds
    from market.catalogs.services import amend_budget

    item, tender, _ = awarded
    price = funds.reserved(session, tender)
    assert price == D("240000.00")  # the rest of the 300,000.00 ceiling went back
    assert item_balances(session, item)["available"] == D("260000.00")
    before = procurement_counts(session), item_balances(session, item)
    with pytest.raises(Conflict, match="cannot be lowered"):
        amend_budget(session, user(session, "finance"), item.id, "100000.00", "压减预算")
    session.rollback()
    assert (procurement_counts(session), item_balances(session, item)) == before
    clock.travel(tender.standstill_ends_at)
    contract = contracts.sign_contract(session, user(session, "dept"), tender.id, milestones())
    session.commit()
    assert funds.reserved(session, tender) == D("0.00")
    assert item_balances(session, item, contract) == {
        "available": D("260000.00"), "committed": D("240000.00"), "expense": D("0")}


def test_a_tender_published_before_reservations_commits_from_available(app, demo, session,
                                                                      clock):
    """Existing databases: a tender published before reservations has none; its award
    posts nothing and its contract is committed straight from the available budget."""
    from market import funds
    from market.tenders.models import Tender

    item = budget_item(session)
    tender, _ = awarded_tender(session, clock, item, legacy=True)
    assert not funds.has_reservation(session, tender)
    assert item_balances(session, item)["available"] == D("500000.00")
    clock.travel(tender.standstill_ends_at)
    contract = contracts.sign_contract(session, user(session, "dept"), tender.id, milestones())
    session.commit()
    assert item_balances(session, item, contract) == {
        "available": D("260000.00"), "committed": D("240000.00"), "expense": D("0")}
    assert not funds.has_reservation(session, session.get(Tender, tender.id))


def test_signing_a_tender_without_reservation_is_refused_when_the_budget_is_gone(
        app, demo, session, clock):
    """The ledger refuses the commitment; the contract row goes with it."""
    from market.catalogs.services import amend_budget

    item = budget_item(session)
    tender, _ = awarded_tender(session, clock, item, legacy=True)
    amend_budget(session, user(session, "finance"), item.id, "100000.00", "压减预算")
    session.commit()
    clock.travel(tender.standstill_ends_at)
    before = procurement_counts(session), item_balances(session, item)
    with pytest.raises(Conflict, match="Not enough budget"):
        contracts.sign_contract(session, user(session, "dept"), tender.id, milestones())
    session.rollback()
    assert (procurement_counts(session), item_balances(session, item)) == before
    session.refresh(tender)
    assert tender.status == TenderStatus.AWARDED
