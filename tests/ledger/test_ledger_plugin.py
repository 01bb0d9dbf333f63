"""The beancount plugin, rule by rule, on small hand-written ledgers.

``hash: "*"`` is filled in by ``seal`` with the real chain hash, so each ledger reads as
an auditor would see it.
"""
from __future__ import annotations

from tests.ledger.support import load_text, messages, seal

HEADER = """
option "operating_currency" "CNY"
plugin "ledger.beancount_plugin"

2026-01-01 open Equity:Appropriation:FY2026:民政局 CNY
2026-01-01 open Assets:Budget:FY2026:民政局:养老:Available CNY
2026-01-01 open Assets:Budget:FY2026:民政局:养老:Committed:HT-1 CNY
2026-01-01 open Expenses:PublicServices:FY2026:民政局:养老 CNY
2026-01-01 open Equity:Lapsed:FY2026:民政局 CNY

2026-01-02 * "预算批复 appropriation"
  seq: 1
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Available  1000.00 CNY
  Equity:Appropriation:FY2026:民政局  -1000.00 CNY
"""

GATED_COMMIT = """
2026-02-01 * "合同承诺 commitment, final tranche gated" ^HT-1
  seq: 2
  hash: "*"
  gate: "HT-1/final"
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Available  -600.00 CNY
"""


def check(body: str) -> list[str]:
    entries, errors = load_text(seal(HEADER + body))
    return messages(errors)


# --- the hash chain -------------------------------------------------------------------

def test_chain_intact_passes():
    assert check(GATED_COMMIT) == []


def test_chain_altered_amount_names_the_entry():
    text = seal(HEADER + GATED_COMMIT).replace("600.00 CNY", "660.00 CNY", 1)
    text = text.replace("-600.00 CNY", "-660.00 CNY")
    errs = messages(load_text(text)[1])
    assert any("hash chain broken at #2 (2026-02-01" in m for m in errs), errs


def test_chain_gap_is_reported():
    body = GATED_COMMIT.replace("seq: 2", "seq: 3")
    errs = check(body)
    assert any("#2 are missing before #3 (2026-02-01" in m for m in errs), errs


def test_chain_head_mismatch_is_reported():
    body = GATED_COMMIT + '\n2026-02-01 custom "ledger-head" 3 "abc"\n'
    errs = check(body)
    assert any("journal ends at #2 but the ledger head says #3" in m for m in errs), errs


def test_entry_without_seq_is_reported():
    body = """
2026-03-01 * "slipped in by hand"
  Expenses:PublicServices:FY2026:民政局:养老  1.00 CNY
  Equity:Appropriation:FY2026:民政局  -1.00 CNY
"""
    errs = check(body)
    assert any("2026-03-01 is not in the journal" in m for m in errs), errs


# --- guarded accounts never below zero, exactly ---------------------------------------

def test_guard_within_budget_passes():
    body = """
2026-02-01 * "commit everything that is available"
  seq: 2
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  1000.00 CNY
  Assets:Budget:FY2026:民政局:养老:Available  -1000.00 CNY
"""
    assert check(body) == []


def test_guard_overdraft_by_one_fen_fails():
    body = """
2026-02-01 * "commit one fen more than available"
  seq: 2
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  1000.01 CNY
  Assets:Budget:FY2026:民政局:养老:Available  -1000.01 CNY
"""
    errs = check(body)
    assert any(
        "Assets:Budget:FY2026:民政局:养老:Available goes below zero (-0.01) at #2 (2026-02-01"
        in m for m in errs
    ), errs


def test_guard_is_checked_in_date_order():
    # Appropriated on 03-01, committed on 02-01: negative in between, whatever the seq.
    body = """
2026-02-01 * "commit before the money arrives"
  seq: 2
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  1500.00 CNY
  Assets:Budget:FY2026:民政局:养老:Available  -1500.00 CNY

2026-03-01 * "more budget"
  seq: 3
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Available  1000.00 CNY
  Equity:Appropriation:FY2026:民政局  -1000.00 CNY
"""
    errs = check(body)
    assert any("goes below zero (-500.00) at #2" in m for m in errs), errs


def test_gated_money_cannot_leave_through_the_ungated_pool():
    body = GATED_COMMIT + """
2026-02-02 * "release gated money without naming the gate" ^HT-1
  seq: 3
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Available  100.00 CNY
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  -100.00 CNY
"""
    errs = check(body)
    assert any("Committed:HT-1 goes below zero (-100.00) at #3" in m for m in errs), errs


def test_transaction_must_balance_exactly():
    body = """
2026-02-01 * "off by half a fen"
  seq: 2
  hash: "*"
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  100.004 CNY
  Assets:Budget:FY2026:民政局:养老:Available  -100.00 CNY
"""
    errs = check(body)
    assert any("#2 (2026-02-01 \"off by half a fen\") does not balance exactly: 0.004" in m
               for m in errs), errs


# --- the evaluation gate --------------------------------------------------------------

def test_gated_payment_after_passing_evaluation_passes():
    body = GATED_COMMIT + """
2026-05-01 custom "evaluation" "HT-1/final" TRUE 91.00
  seq: 3
  hash: "*"
  documents: "report-7"

2026-05-02 * "拨付 final tranche" ^HT-1
  seq: 4
  hash: "*"
  gate: "HT-1/final"
  Expenses:PublicServices:FY2026:民政局:养老  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  -600.00 CNY
"""
    assert check(body) == []


def test_same_day_evaluation_counts_when_earlier_in_sequence():
    body = GATED_COMMIT + """
2026-05-01 custom "evaluation" "HT-1/final" TRUE
  seq: 3
  hash: "*"

2026-05-01 * "拨付 final tranche, same day" ^HT-1
  seq: 4
  hash: "*"
  gate: "HT-1/final"
  Expenses:PublicServices:FY2026:民政局:养老  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  -600.00 CNY
"""
    assert check(body) == []


def test_gated_payment_before_evaluation_fails():
    body = GATED_COMMIT + """
2026-05-01 * "拨付 final tranche too early" ^HT-1
  seq: 3
  hash: "*"
  gate: "HT-1/final"
  Expenses:PublicServices:FY2026:民政局:养老  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  -600.00 CNY

2026-05-01 custom "evaluation" "HT-1/final" TRUE
  seq: 4
  hash: "*"
"""
    errs = check(body)
    assert any("#3 (2026-05-01 \"拨付 final tranche too early\") pays out of a commitment gated "
               "by 'HT-1/final' before a passing evaluation" in m for m in errs), errs


def test_failed_evaluation_does_not_open_the_gate():
    body = GATED_COMMIT + """
2026-05-01 custom "evaluation" "HT-1/final" FALSE 42.00
  seq: 3
  hash: "*"

2026-05-02 * "拨付 after a failed evaluation" ^HT-1
  seq: 4
  hash: "*"
  gate: "HT-1/final"
  Expenses:PublicServices:FY2026:民政局:养老  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  -600.00 CNY
"""
    errs = check(body)
    assert any("#4 (2026-05-02" in m and "before a passing evaluation" in m for m in errs), errs


def test_a_later_failed_evaluation_closes_the_gate_again():
    body = GATED_COMMIT + """
2026-05-01 custom "evaluation" "HT-1/final" TRUE 88.00
  seq: 3
  hash: "*"

2026-05-02 custom "evaluation" "HT-1/final" FALSE 51.00
  seq: 4
  hash: "*"

2026-05-03 * "拨付 after the latest evaluation failed" ^HT-1
  seq: 5
  hash: "*"
  gate: "HT-1/final"
  Expenses:PublicServices:FY2026:民政局:养老  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  -600.00 CNY
"""
    errs = check(body)
    assert any("#5 (2026-05-03" in m and "before a passing evaluation" in m for m in errs), errs


def test_release_of_gated_money_needs_no_evaluation():
    body = GATED_COMMIT + """
2026-05-01 * "释放 contract terminated" ^HT-1
  seq: 3
  hash: "*"
  gate: "HT-1/final"
  Assets:Budget:FY2026:民政局:养老:Available  600.00 CNY
  Assets:Budget:FY2026:民政局:养老:Committed:HT-1  -600.00 CNY
"""
    assert check(body) == []
