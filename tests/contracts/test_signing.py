"""Signing the contract of an award: only after the standstill, with shares adding up to
100 %, once, and only while the ledger still holds the budget."""
from __future__ import annotations

import pytest

from market.contracts import services as contracts
from market.errors import Conflict, Invalid
from market.tenders.models import TenderStatus
from market.tenders.scoring import services as evaluation
from tests.factories import milestones, user
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


def test_signing_is_refused_when_the_budget_is_gone(session, clock, awarded):
    """The ledger refuses the commitment; the contract row goes with it."""
    from market.catalogs.services import amend_budget

    item, tender, _ = awarded
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
