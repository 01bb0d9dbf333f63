"""post(): each refusal is typed, explains itself, and writes nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from ledger import balances, errors, operations as ops
from ledger.accounts import available_account, committed_account
from ledger.canonical import GENESIS, chain_hash, transaction_text
from ledger.evaluations import has_passing_evaluation, record_evaluation
from ledger.models import Account, Posting, Transaction
from ledger.posting import open_account, post, post_and_commit, reverse
from tests.ledger.support import CONTRACTS, ELDER, D, snapshot

DAY = dt.date(2026, 3, 2)
AVAIL = available_account(ELDER).name
HT1 = CONTRACTS[0]
COMMITTED = committed_account(ELDER, HT1).name


@pytest.fixture
def funded(db):
    """ELDER has 1000.00 available and 300.00 committed to contract-1 (100.00 of it gated)."""
    ops.appropriate(db, DAY, ELDER, D("1300.00"))
    ops.commit(db, DAY, ELDER, HT1, D("200.00"))
    ops.commit(db, DAY, ELDER, HT1, D("100.00"), gate="contract-1/final")
    db.commit()
    return db


def refused(db, code: str, call, *args, **kwargs) -> errors.LedgerError:
    before = snapshot(db)
    with pytest.raises(errors.LedgerError) as info:
        call(db, *args, **kwargs)
    assert info.value.code == code, info.value
    assert info.value.message
    assert snapshot(db) == before, "a refused call wrote something"
    return info.value


def test_unbalanced_is_refused(funded):
    exc = refused(funded, "unbalanced", post, DAY, "x",
                  [(AVAIL, D("-10.00")), (COMMITTED, D("9.99"))])
    assert "sum to -0.01" in exc.message


@pytest.mark.parametrize("amount", [D("0"), D("0.00"), D("1.001"), 1.5, "1.00", D("NaN"),
                                    D("1e17")])
def test_bad_amounts_are_refused(funded, amount):
    refused(funded, "invalid_amount", post, DAY, "x", [(AVAIL, amount), (COMMITTED, D("-1"))])


def test_operations_refuse_negative_and_float(funded):
    refused(funded, "invalid_amount", ops.commit, DAY, ELDER, HT1, D("-5.00"))
    refused(funded, "invalid_amount", ops.pay, DAY, ELDER, HT1, 5.0)


def test_single_posting_is_refused(funded):
    refused(funded, "too_few_postings", post, DAY, "x", [(AVAIL, D("1.00"))])


def test_unopened_account_is_refused(funded):
    exc = refused(funded, "account_not_open", post, DAY, "x",
                  [("Assets:Budget:FY2026:民政局:不存在:Available", D("1.00")),
                   (AVAIL, D("-1.00"))])
    assert "不存在" in exc.message


def test_account_opened_later_is_not_open_earlier(funded):
    later = committed_account(ELDER, CONTRACTS[3])
    open_account(funded, later, DAY + dt.timedelta(days=30))
    exc = refused(funded, "account_not_open", post, DAY, "x",
                  [(AVAIL, D("-1.00")), (later.name, D("1.00"))])
    assert "opens on 2026-04-01" in exc.message


def test_overcommitment_is_refused_and_says_how_much_is_left(funded):
    exc = refused(funded, "insufficient_funds", ops.commit, DAY, ELDER, CONTRACTS[1],
                  D("1000.01"))
    assert "holds 1000.00" in exc.message and "1000.01" in exc.message
    assert exc.details["account"] == AVAIL


def test_paying_more_than_committed_is_refused(funded):
    refused(funded, "insufficient_funds", ops.pay, DAY, ELDER, HT1, D("200.01"))


def test_gated_tranche_waits_for_a_passing_evaluation(funded):
    refused(funded, "evaluation_required", ops.pay, DAY, ELDER, HT1, D("50.00"),
            gate="contract-1/final")
    record_evaluation(funded, DAY, "contract-1/final", False, D("40"))
    refused(funded, "evaluation_required", ops.pay, DAY, ELDER, HT1, D("50.00"),
            gate="contract-1/final")
    record_evaluation(funded, DAY, "contract-1/final", True, D("85.5"), documents=["rep-1"])
    ops.pay(funded, DAY, ELDER, HT1, D("100.00"), gate="contract-1/final")
    assert balances.pools(funded, COMMITTED) == {"": D("200.00"), "contract-1/final": D("0.00")}


def test_a_later_failed_evaluation_closes_the_gate(funded):
    record_evaluation(funded, DAY, "contract-1/final", True, D("85.5"))
    assert has_passing_evaluation(funded, "contract-1/final")
    record_evaluation(funded, DAY, "contract-1/final", False, D("48"))
    assert not has_passing_evaluation(funded, "contract-1/final")
    refused(funded, "evaluation_required", ops.pay, DAY, ELDER, HT1, D("50.00"),
            gate="contract-1/final")


def test_gated_money_does_not_leave_through_the_ungated_pool(funded):
    refused(funded, "insufficient_funds", ops.pay, DAY, ELDER, HT1, D("250.00"))


def test_backdating_is_refused(funded):
    exc = refused(funded, "date_out_of_order", ops.appropriate, DAY - dt.timedelta(days=1),
                  ELDER, D("1.00"))
    assert str(DAY) in exc.message


@pytest.mark.parametrize("kwargs", [
    {"links": ["has space"]}, {"meta": {"Bad": "x"}}, {"meta": {"seq": "1"}},
    {"meta": {"note": "line\nbreak"}}, {"documents": ["a,b"]}, {"meta": {"gate": "no spaces"}},
])
def test_unwritable_text_is_refused(funded, kwargs):
    refused(funded, "invalid_text", post, DAY, "x",
            [(AVAIL, D("-1.00")), (COMMITTED, D("1.00"))], **kwargs)


def test_amend_refuses_to_go_below_committed(funded):
    exc = refused(funded, "below_committed", ops.amend, DAY, ELDER, D("-1000.01"))
    assert "300.00 is committed" in exc.message
    ops.amend(funded, DAY, ELDER, D("-1000.00"))
    assert balances.balance(funded, AVAIL) == 0


def test_lapse_everything_then_nothing_left(funded):
    ops.lapse(funded, DAY, ELDER)
    assert balances.balance(funded, AVAIL) == 0
    refused(funded, "invalid_amount", ops.lapse, DAY, ELDER)


def test_post_does_not_commit(funded, ledger_engine):
    from sqlalchemy.orm import Session

    ops.appropriate(funded, DAY, ELDER, D("5.00"))
    funded.rollback()
    with Session(ledger_engine) as other:
        assert balances.balance(other, AVAIL) == D("1000.00")
    post_and_commit(funded, DAY, "moved", [(AVAIL, D("-5.00")), (COMMITTED, D("5.00"))])
    with Session(ledger_engine) as other:
        assert balances.balance(other, AVAIL) == D("995.00")


def test_hash_chain_in_the_database(funded):
    prev = GENESIS
    for txn in funded.scalars(select(Transaction).order_by(Transaction.seq)):
        legs = funded.execute(select(Account.name, Posting.amount)
                              .join(Account, Account.id == Posting.account_id)
                              .where(Posting.transaction_id == txn.id)).all()
        text = transaction_text(txn.seq, txn.date, txn.narration, legs, txn.links, txn.meta)
        assert txn.prev_hash == prev
        assert txn.hash == chain_hash(prev, text)
        prev = txn.hash
    assert [t.seq for t in funded.scalars(select(Transaction).order_by(Transaction.seq))] == [
        1, 2, 3]


def test_journal_rows_are_immutable_through_the_orm(funded):
    txn = funded.scalars(select(Transaction)).first()
    txn.narration = "rewritten"
    with pytest.raises(errors.ImmutableJournal):
        funded.flush()
    funded.rollback()
    with pytest.raises(errors.ImmutableJournal):
        funded.delete(funded.scalars(select(Posting)).first())
        funded.flush()


def test_reverse_posts_the_opposite_once(funded):
    ref = reverse(funded, 3, DAY)
    assert balances.pools(funded, COMMITTED) == {"": D("200.00"), "contract-1/final": D("0.00")}
    assert balances.balance(funded, AVAIL) == D("1100.00")
    txn = funded.scalars(select(Transaction).where(Transaction.seq == ref.seq)).one()
    assert txn.meta["reverses"] == "3" and txn.meta["gate"] == "contract-1/final"
    assert txn.links == ["contract-1"]
    refused(funded, "already_reversed", reverse, 3, DAY)
    refused(funded, "not_found", reverse, 99, DAY)


def test_reversing_an_appropriation_that_was_spent_is_refused(funded):
    ops.commit(funded, DAY, ELDER, CONTRACTS[1], D("1000.00"))
    refused(funded, "insufficient_funds", reverse, 1, DAY)


def test_accounts_are_resolved_by_code_after_a_rename(funded):
    from ledger.accounts import BudgetLine, Unit

    renamed = BudgetLine(2026, Unit("MZJ", "民政局(新)"), ELDER.item)
    ops.appropriate(funded, DAY, renamed, D("1.00"))
    assert balances.balance(funded, AVAIL) == D("1001.00")


def test_a_name_taken_by_another_code_is_a_conflict(funded):
    from ledger.accounts import AccountSpec

    spec = AccountSpec(AVAIL, "SOMETHING.ELSE")
    refused(funded, "account_conflict", post, DAY, "x", [(spec, D("1.00")),
                                                         (COMMITTED, D("-1.00"))])


def test_open_account_is_idempotent(db):
    spec = available_account(ELDER)
    assert open_account(db, spec, DAY) == spec.name
    assert open_account(db, spec, DAY) == spec.name
    assert db.scalars(select(Account.guarded).where(Account.code == spec.code)).one() is True


def test_balances_by_prefix(funded):
    ops.pay(funded, DAY, ELDER, HT1, D("50.00"))
    budget = balances.balances(funded, "Assets:Budget:FY2026:民政局")
    assert budget == {AVAIL: D("1000.00"), COMMITTED: D("250.00")}
    assert balances.total(funded, "Assets:Budget:FY2026:民政局") == D("1250.00")
    assert balances.total(funded, "Assets:Budget:FY2026:民") == 0  # whole components only
    assert balances.total_by_code(funded, "BUDG.FY2026.MZJ.") == D("1250.00")
    assert balances.total(funded, "Expenses") == D("50.00")


def test_balance_rows_are_exact_decimals(funded, ledger_engine):
    for _ in range(10):
        ops.appropriate(funded, DAY, ELDER, D("0.10"))
    ops.appropriate(funded, DAY, ELDER, D("0.20"))
    funded.commit()
    assert balances.balance(funded, AVAIL) == D("1001.20")
    assert isinstance(balances.balance(funded, AVAIL), Decimal)
    funded.execute(update(Account.__table__).values(meta={}))  # no guard on accounts


@pytest.mark.parametrize("date", [dt.datetime(2026, 3, 2, 8, 0), "2026-03-02", None])
def test_a_date_must_be_a_date(funded, date):
    refused(funded, "invalid_date", post, date, "x",
            [(AVAIL, D("-1.00")), (COMMITTED, D("1.00"))])
    refused(funded, "invalid_date", record_evaluation, date, "contract-1/final", True)
