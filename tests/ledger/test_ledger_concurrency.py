"""Concurrent commitments: exactly the affordable ones succeed, the rest are refused.

Written for PostgreSQL (row locks: the chain head, then balance rows by account name);
it also runs on SQLite, where the database write lock serializes the same way.
"""
from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger import balances, errors, operations as ops
from ledger.accounts import Unit, available_account, item_prefix
from ledger.models import Transaction
from ledger.verify import verify
from market.db import make_engine
from tests.ledger.support import ELDER, D

DAY = dt.date(2026, 3, 1)
THREADS = 12


def race(url: str, contracts: list[Unit], amount: Decimal) -> tuple[int, list[str]]:
    engine = make_engine(url)
    barrier = threading.Barrier(len(contracts))
    ok, refusals, crashes = [], [], []

    def worker(contract: Unit) -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                ops.commit(session, DAY, ELDER, contract, amount)
                session.commit()
                ok.append(contract.code)
            except errors.LedgerError as exc:
                session.rollback()
                refusals.append(exc.code)
            except Exception as exc:  # noqa: BLE001 - a crash is a failure, report it
                session.rollback()
                crashes.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(c,)) for c in contracts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert crashes == []
    return len(ok), refusals


@pytest.mark.parametrize("same_contract", [False, True])
def test_concurrent_commitments_never_overdraw(ledger_url, db, same_contract):
    ops.appropriate(db, DAY, ELDER, D("1000.00"))
    db.commit()
    contracts = [Unit("contract-shared" if same_contract else f"contract-{i}")
                 for i in range(THREADS)]
    succeeded, refusals = race(ledger_url, contracts, D("150.00"))
    assert succeeded == 6
    assert refusals == ["insufficient_funds"] * (THREADS - 6)
    db.rollback()
    assert balances.balance(db, available_account(ELDER).name) == D("100.00")
    assert balances.total(db, item_prefix(ELDER)) == D("1000.00")
    seqs = db.scalars(select(Transaction.seq).order_by(Transaction.seq)).all()
    assert seqs == list(range(1, 8))
    verdict = verify(db)
    assert verdict.ok, verdict.problems
