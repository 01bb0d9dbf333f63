"""The bulk journal writes what ``post`` writes, refuses what ``post`` refuses, and continues
a journal that already holds entries."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger import operations
from ledger.accounts import BudgetLine, Unit
from ledger.bulk import BulkJournal
from ledger.errors import DateOutOfOrder, EvaluationRequired, GuardViolation
from ledger.evaluations import record_evaluation
from ledger.models import Balance, ChainHead, Posting, Transaction
from ledger.verify import verify
from tests.ledger.support import D

LINE = BudgetLine(2026, Unit("WJW", "卫生健康委员会"), Unit("I01", "社区居家养老"))
TENDER, CONTRACT = Unit("tender-1", "KS-WJW-2026-001"), Unit("contract-1")
DAY = dt.date(2026, 3, 1)


def _story(target, evaluate) -> None:
    """Appropriate, reserve, commit from the reservation (one tranche gated), pay, evaluate,
    pay the gated tranche, release what is left."""
    operations.appropriate(target, DAY, LINE, D("1000.00"), meta={"catalog_item": "I01"})
    operations.reserve(target, DAY, LINE, TENDER, D("800.00"), links=["catalog-1"])
    operations.commit(target, DAY, LINE, CONTRACT, D("500.00"), reservation=TENDER,
                      links=["tender-1"])
    operations.commit(target, DAY, LINE, CONTRACT, D("300.00"), reservation=TENDER,
                      gate="contract-1/final", links=["tender-1"])
    operations.pay(target, DAY, LINE, CONTRACT, D("500.00"), links=["tender-1"],
                   documents=["7"])
    evaluate(DAY + dt.timedelta(days=30), "contract-1/final", True, D("88.50"))
    operations.pay(target, DAY + dt.timedelta(days=31), LINE, CONTRACT, D("200.00"),
                   gate="contract-1/final", links=["tender-1"])
    operations.release(target, DAY + dt.timedelta(days=31), LINE, CONTRACT, D("100.00"),
                       gate="contract-1/final", links=["tender-1"])


def _state(engine):
    with Session(engine) as s:
        head = s.execute(select(ChainHead.last_seq, ChainHead.last_hash)).one()
        balances = sorted((r.account_id, r.pool, r.balance)
                          for r in s.execute(select(Balance)).scalars())
        return tuple(head), balances, s.scalar(select(func.count(Posting.id)))


def test_bulk_entries_are_the_posted_ones(ledger_engine, db, tmp_path):
    """The same story through ``post`` (one database) and through the bulk journal (a
    second one) gives the same chain head, balances and postings; and it verifies."""
    _story(db, lambda *a: record_evaluation(db, *a))
    db.commit()
    posted = _state(ledger_engine)

    db.execute(Posting.__table__.delete())
    db.execute(Balance.__table__.delete())
    db.execute(Transaction.__table__.delete())
    from ledger.models import Account, Evaluation
    db.execute(Evaluation.__table__.delete())
    db.execute(Account.__table__.delete())
    db.execute(ChainHead.__table__.delete())
    db.commit()

    journal = BulkJournal(ledger_engine)
    _story(journal, journal.record_evaluation)
    assert journal.finish() == posted[0][0]
    assert _state(ledger_engine) == posted
    assert verify(db, tmp_path).ok


def test_bulk_continues_an_existing_journal(ledger_engine, db, tmp_path):
    operations.appropriate(db, DAY, LINE, D("1000.00"))
    db.commit()
    journal = BulkJournal(ledger_engine)
    operations.reserve(journal, DAY, LINE, TENDER, D("400.00"))
    operations.unreserve(journal, DAY, LINE, TENDER, D("150.00"))
    assert journal.finish() == 3
    db.expire_all()
    operations.reserve(db, DAY, LINE, Unit("tender-2"), D("750.00"))  # 1000 - 400 + 150
    db.commit()
    assert verify(db, tmp_path).ok


@pytest.mark.parametrize("story, error", [
    (lambda j: operations.reserve(j, DAY, LINE, TENDER, D("1000.01")), GuardViolation),
    (lambda j: operations.pay(j, DAY, LINE, CONTRACT, D("100.00"), gate="contract-1/final"),
     EvaluationRequired),
    (lambda j: operations.reserve(j, DAY - dt.timedelta(days=1), LINE, TENDER, D("1.00")),
     DateOutOfOrder),
])
def test_bulk_refuses_what_post_refuses_and_keeps_nothing_of_it(ledger_engine, db, story,
                                                                 error):
    journal = BulkJournal(ledger_engine)
    operations.appropriate(journal, DAY, LINE, D("1000.00"))
    operations.commit(journal, DAY, LINE, CONTRACT, D("200.00"), gate="contract-1/final")
    before = (journal.seq, journal.prev, dict(journal.balances), len(journal.rows[Posting.__table__]))
    with pytest.raises(error):
        story(journal)
    assert (journal.seq, journal.prev, dict(journal.balances),
            len(journal.rows[Posting.__table__])) == before
    journal.finish()
    assert db.scalar(select(func.count(Transaction.id))) == 2
