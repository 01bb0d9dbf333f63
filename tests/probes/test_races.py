"""Races on PostgreSQL: N threads, released together by a barrier, each with its own
session on the test database, call the service layer for the same one-time effect.
Exactly one effect must land (rows and ledger transactions counted) and the ledger must
verify afterwards.

RACE_ROUNDS (default 2) repeats each race on a fresh database; RACE_THREADS (default 8)
is the number of racing threads.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from ledger.models import Transaction
from ledger.verify import verify
from market.accounts.models import User
from market.catalogs import services as catalogs
from market.catalogs.models import Catalog, CatalogStatus
from market.clock import set_clock
from market.contracts import payments
from market.contracts.models import Contract, Milestone, MilestoneStatus
from market.contracts.services import sign_contract
from market.errors import DomainError
from market.tenders import bid_services
from market.tenders.models import Bid
from market.tenders.scoring import award as awards
from market.tenders.scoring.models import Award
from tests import factories
from tests.conftest import ON_POSTGRES
from tests.factories import (
    awarded_tender, bid_of, budget_item, deliver_and_accept, item_data, new_experts,
    new_tender, opened_tender, org_member, place_bid, score_bids, signed_contract, user)

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES, reason="races need concurrent writers with row locks: PostgreSQL only "
    "(SQLite serializes every writer on its one database lock)")

ROUNDS = int(os.environ.get("RACE_ROUNDS", "2"))
THREADS = int(os.environ.get("RACE_THREADS", "8"))
rounds = pytest.mark.parametrize("round_", range(ROUNDS))


class Outcome:
    def __init__(self):
        self.ok: list[int] = []
        self.refused: list[tuple[int, str]] = []
        self.crashed: list[tuple[int, str]] = []


def race(database_url: str, n: int, action: Callable[[Session, int], object]) -> Outcome:
    """Run ``action(session, i)`` in ``n`` threads at once; each commits what it did."""
    engine = create_engine(database_url, pool_size=n + 2, max_overflow=0)
    barrier = threading.Barrier(n)
    out = Outcome()
    lock = threading.Lock()

    def worker(i: int) -> None:
        with Session(engine, expire_on_commit=False) as s:
            try:
                barrier.wait(timeout=30)
                action(s, i)
                s.commit()
                with lock:
                    out.ok.append(i)
            except DomainError as e:
                s.rollback()
                with lock:
                    out.refused.append((i, type(e).__name__))
            except Exception as e:  # noqa: BLE001 - a crash is a finding, report it
                s.rollback()
                with lock:
                    out.crashed.append((i, repr(e)[:300]))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    engine.dispose()
    return out


def txn_count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Transaction))


def assert_ledger_verifies(session: Session) -> None:
    session.expire_all()
    verdict = verify(session)
    assert verdict.ok, verdict.problems


def scored_tender(session, clock, item):
    """awarded_tender's state just before the award: A (4A) ranked first."""
    _, a = org_member(session, grade=4)
    _, b = org_member(session)
    _, c = org_member(session)
    tender = opened_tender(session, clock, item, [(a, "240000.00"), (b, "250000.00"),
                                                  (c, "260000.00")])
    score_bids(session, tender, new_experts(session),
               {a: ("35", "25"), b: ("30", "20"), c: ("28", "20")})
    return tender, a


@rounds
def test_double_award(app, demo, session, clock, database_url, round_):
    tender, a = scored_tender(session, clock, budget_item(session))
    bid_id = bid_of(session, tender, a).id
    dept_id = user(session, "dept").id
    txns = txn_count(session)

    out = race(database_url, THREADS, lambda s, i: awards.award_tender(
        s, s.get(User, dept_id), tender.id, bid_id))

    assert out.crashed == []
    assert len(out.ok) == 1, out.refused
    assert len(out.refused) == THREADS - 1
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Award)
                          .where(Award.tender_id == tender.id)) == 1
    # one award gives back what its price leaves of the reserved ceiling (300,000.00 -
    # 240,000.00): one ledger transaction, not one per thread
    assert txn_count(session) == txns + 1
    assert_ledger_verifies(session)


@rounds
def test_double_payment(app, demo, session, clock, database_url, round_):
    contract, bidders = signed_contract(session, clock, budget_item(session))
    deliver_and_accept(session, contract, 1, bidders["a"])
    finance_id = user(session, "finance").id
    txns = txn_count(session)

    out = race(database_url, THREADS, lambda s, i: payments.approve_payment(
        s, s.get(User, finance_id), contract.id, 1))

    assert out.crashed == []
    assert len(out.ok) == 1, out.refused
    session.expire_all()
    m1 = session.scalar(select(Milestone).where(Milestone.contract_id == contract.id,
                                                Milestone.number == 1))
    assert m1.status == MilestoneStatus.PAID and m1.ledger_txn_id is not None
    assert txn_count(session) == txns + 1
    assert session.get(Contract, contract.id).paid == Decimal("72000.00")
    assert_ledger_verifies(session)


@rounds
def test_over_commit_by_two_signings(app, demo, session, clock, database_url, round_):
    """Two tenders on one 400,000.00 item, each awarded at 240,000.00: only one contract
    fits. Half the threads sign the first tender, half the second. Reservations make this
    impossible for new tenders (the second could not be published), so both were
    published before reservations existed (``legacy``), as in an existing database."""
    item = budget_item(session, budget="400000.00")
    first, _ = awarded_tender(session, clock, item, legacy=True)
    clock.travel(first.opening_time - dt.timedelta(days=11))  # back to publish the second
    second, _ = awarded_tender(session, clock, item, legacy=True)
    later = max(first.standstill_ends_at, second.standstill_ends_at)
    clock.travel(later + dt.timedelta(hours=1))
    dept_id = user(session, "dept").id
    txns = txn_count(session)
    tenders = [first.id, second.id]

    out = race(database_url, THREADS, lambda s, i: sign_contract(
        s, s.get(User, dept_id), tenders[i % 2], factories.milestones()))

    assert out.crashed == []
    assert len(out.ok) == 1, out.refused
    session.expire_all()
    contracts = session.scalars(select(Contract).where(Contract.catalog_item_id == item.id)).all()
    assert len(contracts) == 1
    # one contract: its ungated tranche and its one gated milestone are two commitments
    assert txn_count(session) == txns + 2
    assert_ledger_verifies(session)


@rounds
def test_two_publications_race_for_the_last_budget(app, demo, session, clock, database_url,
                                                  round_):
    """Two drafts of 300,000.00 on one 400,000.00 item: publishing reserves the ceiling, so
    only one can be published. Half the threads publish the first, half the second."""
    from market.tenders import tender_services
    from market.tenders.models import Tender, TenderStatus

    item = budget_item(session, budget="400000.00")
    drafts = [new_tender(session, clock, item=item, publish=False, ceiling_price="300000.00")
              for _ in range(2)]
    dept_id = user(session, "dept").id
    txns = txn_count(session)
    ids = [t.id for t in drafts]

    out = race(database_url, THREADS, lambda s, i: tender_services.publish_tender(
        s, s.get(User, dept_id), ids[i % 2]))

    assert out.crashed == []
    assert len(out.ok) == 1, out.refused
    session.expire_all()
    statuses = sorted(session.get(Tender, i).status.value for i in ids)
    assert statuses == [TenderStatus.DRAFT.value, TenderStatus.PUBLISHED.value]
    assert txn_count(session) == txns + 1  # one reservation
    assert _available_on(session, item) == Decimal("100000.00")
    assert_ledger_verifies(session)


def _available_on(session, item) -> Decimal:
    from tests.probes import item_balances

    return item_balances(session, item)["available"]


@rounds
def test_bid_revision_at_the_deadline(app, demo, session, clock, database_url, round_):
    """One organization's users revise its bid at once; half of them see the clock one
    microsecond before the deadline, half at the deadline itself."""
    tender = new_tender(session, clock, ceiling_price="400000.00")
    org, first = org_member(session)
    place_bid(session, first, tender, "300000.00")
    others = []
    for k in range(THREADS - 1):
        _, extra = org_member(session)
        extra.organization_id = org.id
        others.append(extra)
    session.commit()
    user_ids = [first.id] + [u.id for u in others]
    deadline = tender.bid_deadline
    local = threading.local()
    set_clock(lambda: getattr(local, "now", clock.now))
    prices = {i: Decimal("300000.00") + i for i in range(THREADS)}
    before = {i for i in range(THREADS) if i % 2 == 0}

    def revise(s, i):
        local.now = deadline - dt.timedelta(microseconds=1) if i in before else deadline
        bid_services.submit_bid(s, s.get(User, user_ids[i]), tender.id, prices[i],
                                f"修订 {i}")

    out = race(database_url, THREADS, revise)
    set_clock(clock)

    assert out.crashed == []
    assert set(out.ok) == before
    assert {i for i, _ in out.refused} == set(range(THREADS)) - before
    assert {kind for _, kind in out.refused} == {"BidRefused"}
    session.expire_all()
    bids = session.scalars(select(Bid).where(Bid.tender_id == tender.id)).all()
    assert len(bids) == 1
    assert bids[0].price in {prices[i] for i in before}
    assert bids[0].revised_at < deadline
    assert_ledger_verifies(session)


@rounds
def test_two_finance_approvals_of_one_catalog(app, demo, session, clock, database_url,
                                              round_):
    dept = user(session, "dept")
    catalog = catalogs.create_catalog(session, dept, 2028)
    for k in range(3):
        catalogs.add_item(session, dept, catalog.id, item_data(title=f"并发批复项目{k}"))
    catalogs.submit_catalog(session, dept, catalog.id)
    session.commit()
    finance_id = user(session, "finance").id
    txns = txn_count(session)

    out = race(database_url, THREADS, lambda s, i: catalogs.approve_catalog(
        s, s.get(User, finance_id), catalog.id))

    assert out.crashed == []
    assert len(out.ok) == 1, out.refused
    session.expire_all()
    assert session.get(Catalog, catalog.id).status == CatalogStatus.APPROVED
    assert txn_count(session) == txns + 3  # one appropriation per item, once
    assert_ledger_verifies(session)

