"""Reservations (预留): Available -> Reserved:<Tender> -> Committed:<Contract> or back to
Available. The service refuses a break in that chain of custody or a negative reservation,
writing nothing; the plugin reports the same on exported text; an export with
reservations passes bean-check."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ledger import operations as ops
from ledger.accounts import (Unit, appropriation_account, available_account, committed_account,
                             expense_account, reserved_account)
from ledger.balances import balance
from ledger.errors import CustodyViolation, GuardViolation
from ledger.evaluations import record_evaluation
from ledger.export import export
from ledger.posting import post, reverse
from ledger.verify import verify
from tests.ledger.support import ELDER, HEALTH, D, load_text, messages, seal, snapshot

BEAN_CHECK = str(Path(sys.executable).with_name("bean-check"))
T1, T2 = Unit("tender-1", "KS-MZJ-2026-001"), Unit("tender-2", "KS-MZJ-2026-002")
HT = Unit("contract-1")
DAY = dt.date(2026, 3, 2)


def build(db) -> None:
    """Two tenders reserve; one is awarded below its ceiling and contracted (a gated
    tranche included) and paid, the other is cancelled; one reservation is reversed."""
    ops.appropriate(db, dt.date(2026, 1, 5), ELDER, D("500000.00"))
    ops.reserve(db, DAY, ELDER, T1, D("300000.00"))
    ops.reserve(db, DAY, ELDER, T2, D("200000.00"))  # the last fen of the budget
    ops.unreserve(db, dt.date(2026, 4, 1), ELDER, T1, D("60000.00"))  # award at 240,000
    ops.commit(db, dt.date(2026, 4, 9), ELDER, HT, D("168000.00"), reservation=T1)
    ops.commit(db, dt.date(2026, 4, 9), ELDER, HT, D("72000.00"), reservation=T1,
               gate="contract-1/final")
    ops.pay(db, dt.date(2026, 5, 1), ELDER, HT, D("168000.00"))
    ops.unreserve(db, dt.date(2026, 6, 1), ELDER, T2, D("200000.00"))  # cancelled
    ref = ops.reserve(db, dt.date(2026, 6, 2), ELDER, T2, D("1000.00"))
    reverse(db, ref.seq, dt.date(2026, 6, 3))  # a reservation undone by reversal
    record_evaluation(db, dt.date(2026, 11, 1), "contract-1/final", True, D("88"))
    ops.pay(db, dt.date(2026, 11, 2), ELDER, HT, D("72000.00"), gate="contract-1/final")
    db.commit()


def test_the_chain_of_custody_balances(db):
    build(db)
    assert balance(db, reserved_account(ELDER, T1).name) == D("0.00")
    assert balance(db, reserved_account(ELDER, T2).name) == D("0.00")
    assert balance(db, available_account(ELDER).name) == D("260000.00")
    assert balance(db, expense_account(ELDER).name) == D("240000.00")
    assert balance(db, committed_account(ELDER, HT).name) == D("0.00")


def test_export_with_reservations_passes_bean_check_and_verify(db, tmp_path):
    build(db)
    ops.reserve(db, dt.date(2026, 12, 1), ELDER, T2, D("10000.00"))  # one still held
    db.commit()
    export(db, tmp_path)
    text = (tmp_path / "2026.beancount").read_text(encoding="utf-8")
    assert reserved_account(ELDER, T2).name.endswith(":Reserved:KS-MZJ-2026-002")
    assert reserved_account(ELDER, T2).name in text
    assert 'kind: "reserved"' in text
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    run = subprocess.run([BEAN_CHECK, str(tmp_path / "main.beancount")], cwd="/", env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    verdict = verify(db)
    assert verdict.ok, verdict.problems


def test_a_reservation_over_what_is_available_is_refused_by_one_fen(db):
    ops.appropriate(db, dt.date(2026, 1, 5), ELDER, D("500000.00"))
    ops.reserve(db, DAY, ELDER, T1, D("300000.00"))
    db.commit()
    before = snapshot(db)
    with pytest.raises(GuardViolation):
        ops.reserve(db, DAY, ELDER, T2, D("200000.01"))
    db.rollback()
    assert snapshot(db) == before
    with pytest.raises(GuardViolation):  # nor give back more than is reserved
        ops.unreserve(db, DAY, ELDER, T1, D("300000.01"))
    db.rollback()
    assert snapshot(db) == before
    ops.reserve(db, DAY, ELDER, T2, D("200000.00"))  # exactly what is left
    db.commit()
    assert balance(db, available_account(ELDER).name) == D("0.00")


@pytest.mark.parametrize("legs", [
    # Reserved straight to an expense: skips the commitment.
    lambda: [(expense_account(ELDER), D("10.00")), (reserved_account(ELDER, T1), D("-10.00"))],
    # Reserved from the appropriation: skips Available.
    lambda: [(reserved_account(ELDER, T1), D("10.00")),
             (appropriation_account(2026, ELDER.dept), D("-10.00"))],
    # Another item's available budget.
    lambda: [(reserved_account(ELDER, T1), D("10.00")), (available_account(HEALTH), D("-10.00"))],
    # From a commitment back into a reservation.
    lambda: [(reserved_account(ELDER, T1), D("10.00")), (committed_account(ELDER, HT), D("-10.00"))],
])
def test_a_break_in_the_chain_of_custody_is_refused(db, legs):
    ops.appropriate(db, dt.date(2026, 1, 5), ELDER, D("1000.00"))
    ops.appropriate(db, dt.date(2026, 1, 5), HEALTH, D("1000.00"))
    ops.reserve(db, DAY, ELDER, T1, D("100.00"))
    ops.commit(db, DAY, ELDER, HT, D("50.00"), reservation=T1)
    db.commit()
    before = snapshot(db)
    with pytest.raises(CustodyViolation):
        post(db, DAY, "hand-made", legs())
    db.rollback()
    assert snapshot(db) == before


HEADER = """
option "operating_currency" "CNY"
plugin "ledger.beancount_plugin"

2026-01-01 open Equity:Appropriation:FY2026:民政局 CNY
2026-01-01 open Assets:Budget:FY2026:民政局:养老:Available CNY
2026-01-01 open Assets:Budget:FY2026:民政局:养老:Reserved:T-1 CNY
2026-01-01 open Assets:Budget:FY2026:民政局:养老:Committed:HT-1 CNY
2026-01-01 open Expenses:PublicServices:FY2026:民政局:养老 CNY

2026-01-02 * "预算批复 appropriation"
  seq: 1
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Available  1000.00 CNY
  Equity:Appropriation:FY2026:民政局  -1000.00 CNY

2026-02-01 * "预留 reservation" ^T-1
  seq: 2
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Reserved:T-1  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Available  -600.00 CNY
"""


def check(body: str) -> list[str]:
    return messages(load_text(seal(HEADER + body))[1])


def test_plugin_accepts_reserve_commit_and_give_back():
    assert check("""
2026-03-01 * "commitment out of the reservation"
  seq: 3
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  500.00 CNY
  Assets:Budget:FY2026:民政局:养老:Available  100.00 CNY
  Assets:Budget:FY2026:民政局:养老:Reserved:T-1  -600.00 CNY
""") == []


def test_plugin_reports_a_reservation_paid_out_directly():
    errs = check("""
2026-03-01 * "paid straight out of the reservation"
  seq: 3
  hash: "*"
  Expenses:PublicServices:FY2026:民政局:养老  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Reserved:T-1  -600.00 CNY
""")
    assert any("#3 (2026-03-01" in m and "breaks the chain of custody" in m for m in errs), errs


def test_plugin_reports_a_reservation_below_zero_by_one_fen():
    errs = check("""
2026-03-01 * "gives back one fen more than reserved"
  seq: 3
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Available  600.01 CNY
  Assets:Budget:FY2026:民政局:养老:Reserved:T-1  -600.01 CNY
""")
    assert any("Reserved:T-1 goes below zero (-0.01) at #3" in m for m in errs), errs
