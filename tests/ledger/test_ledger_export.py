"""Export to beancount, bean-check on it, verify against the balance rows, tampering."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from ledger import operations as ops
from ledger.accounts import GRANTS, Unit, available_account
from ledger.evaluations import record_evaluation
from ledger.export import export
from ledger.models import Account, Balance, Posting, Transaction
from ledger.posting import post, reverse
from ledger.verify import beancount_balances, verify
from tests.ledger.support import (
    CONTRACTS,
    ELDER,
    HEALTH,
    YOUTH,
    D,
    load_export,
    messages,
    replace_in_entry,
)

BEAN_CHECK = str(Path(sys.executable).with_name("bean-check"))


def build(db) -> None:
    """Two fiscal years of budget life: appropriations, commitments, gated payments, lapse."""
    d = dt.date(2026, 1, 5)
    ops.appropriate(db, d, ELDER, D("500000.00"), documents=["pifu-2026-001"])
    ops.appropriate(db, d, YOUTH, D("120000.50"), links=["catalog-2026-mzj"])
    ops.appropriate(db, d, HEALTH, D("80000.00"))
    ops.commit(db, dt.date(2026, 3, 2), ELDER, CONTRACTS[0], D("300000.00"),
               links=["tender-11"], documents=["ht-1.pdf"])
    ops.commit(db, dt.date(2026, 3, 2), ELDER, CONTRACTS[0], D("100000.00"),
               gate="contract-1/final")
    ops.pay(db, dt.date(2026, 4, 3), ELDER, CONTRACTS[0], D("150000.00"))
    grant = Unit("grant-3", "青少年 创投项目")
    ops.commit(db, dt.date(2026, 4, 3), YOUTH, grant, D("20000.00"), gate="grant-3/mid")
    record_evaluation(db, dt.date(2026, 6, 4), "grant-3/mid", True, D("90"),
                      documents=["eval-9"], meta={"evaluator": "第三方评估所"})
    ops.pay(db, dt.date(2026, 6, 5), YOUTH, grant, D("20000.00"), gate="grant-3/mid",
            expense=GRANTS)
    post(db, dt.date(2026, 7, 6), 'narration with "quotes" and a \\ backslash',
         [(available_account(HEALTH).name, D("-0.01")),
          (available_account(YOUTH).name, D("0.01"))], meta={"note": "含中文的备注"})
    reverse(db, 10, dt.date(2026, 7, 7))
    ops.lapse(db, dt.date(2026, 12, 31), HEALTH)
    ops.release(db, dt.date(2027, 1, 4), ELDER, CONTRACTS[0], D("50000.00"))
    record_evaluation(db, dt.date(2027, 2, 5), "contract-1/final", False, D("55.5"))
    db.commit()


@pytest.fixture
def ledger(db):
    build(db)
    return db


def test_export_layout(ledger, tmp_path):
    calls = []
    result = export(ledger, tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert [p.name for p in result.files] == ["2026.beancount", "2027.beancount"]
    assert result.entries == 14 and calls[-1] == (14, 14)
    main = (tmp_path / "main.beancount").read_text(encoding="utf-8")
    assert 'option "operating_currency" "CNY"' in main
    assert 'plugin "ledger.beancount_plugin"' in main
    assert 'include "2026.beancount"' in main and 'include "2027.beancount"' in main
    assert f'custom "ledger-head" 14 "{result.head_hash}"' in main
    y2026 = (tmp_path / "2026.beancount").read_text(encoding="utf-8")
    assert '^contract-1 ^tender-11\n  seq: 4\n' in y2026
    assert 'documents: "ht-1.pdf"' in y2026
    assert 'custom "evaluation" "grant-3/mid" TRUE 90.00' in y2026
    assert 'code: "BUDG.FY2026.MZJ.SQ01.AVAIL"\n  guarded: TRUE' in y2026
    assert not list(tmp_path.glob("*.tmp"))


def test_bean_check_passes_on_a_healthy_export_anywhere(ledger, tmp_path):
    export(ledger, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    run = subprocess.run([BEAN_CHECK, str(tmp_path / "main.beancount")], cwd="/", env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not list(tmp_path.glob(".*picklecache"))


def test_exported_balances_equal_balance_rows(ledger, tmp_path):
    verdict = verify(ledger, tmp_path)
    assert verdict.ok, verdict.problems
    assert verdict.entries == 14 and verdict.accounts == 10
    entries, errors = load_export(tmp_path)
    assert errors == []
    sums = beancount_balances(entries)
    assert sums[available_account(HEALTH).name] == 0
    assert sums["Expenses:Grants:FY2026:民政局:青少年-社工服务"] == D("20000.00")


def test_verify_reports_a_drifted_balance_row(ledger):
    account_id = ledger.scalars(select(Account.id).where(
        Account.name == available_account(ELDER).name)).one()
    ledger.execute(update(Balance.__table__).where(Balance.__table__.c.account_id == account_id)
                   .values(balance=D("1.00")))
    verdict = verify(ledger)
    assert not verdict.ok
    assert any("database 1.00, beancount" in p for p in verdict.problems), verdict.problems


def test_verify_reports_a_journal_row_changed_behind_the_orm(ledger):
    posting_id = ledger.scalars(select(func.min(Posting.id)).join(
        Transaction, Transaction.id == Posting.transaction_id).where(Transaction.seq == 4)).one()
    ledger.execute(update(Posting.__table__).where(Posting.__table__.c.id == posting_id)
                   .values(amount=D("300001.00")))
    verdict = verify(ledger)
    assert not verdict.ok
    assert any("hash chain broken at #4 (2026-03-02" in p for p in verdict.problems)


def test_empty_ledger_exports_and_verifies(db, tmp_path):
    verdict = verify(db, tmp_path)
    assert verdict.ok, verdict.problems
    assert (tmp_path / "main.beancount").exists()


# --- tampering with the export --------------------------------------------------------

def _bump_digit(match: re.Match) -> str:
    s = match.group(0)
    return s[:-1] + str((int(s[-1]) + 1) % 10)


TAMPER = {
    "amount": lambda block: re.sub(r"-?\d+\.\d\d(?= CNY)", _bump_digit, block, count=1),
    "date": lambda block: re.sub(r"^\d{4}-\d\d-\d\d", lambda m: m.group(0)[:-1] + (
        "3" if m.group(0)[-1] != "3" else "4"), block, count=1),
    "account": lambda block: block.replace(":Available", ":Availablf", 1)
    if ":Available" in block else block.replace("Equity:", "Equitz:", 1),
    "narration": lambda block: re.sub(r'\* "(.)', lambda m: '* "' + (
        "X" if m.group(1) != "X" else "Y"), block, count=1),
}


@pytest.mark.parametrize("seq", [1, 4, 10])
@pytest.mark.parametrize("kind", sorted(TAMPER))
def test_tampering_one_character_names_the_transaction(ledger, tmp_path, kind, seq):
    export(ledger, tmp_path)
    path = tmp_path / "2026.beancount"
    text = path.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    i = next(i for i, b in enumerate(blocks) if re.search(rf"^  seq: {seq}$", b, re.M))
    changed = TAMPER[kind](blocks[i])
    assert sum(a != b for a, b in zip(changed, blocks[i])) == 1 and len(changed) == len(blocks[i])
    blocks[i] = changed
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    date = re.match(r"\d{4}-\d\d-\d\d", changed).group(0)
    _, errors = load_export(tmp_path)
    assert any(f"hash chain broken at #{seq} ({date}" in m for m in messages(errors)), \
        messages(errors)


def test_bean_check_exit_code_and_message_on_tampering(ledger, tmp_path):
    export(ledger, tmp_path)
    replace_in_entry(tmp_path / "2026.beancount", 6, "150000.00", "150000.10")
    run = subprocess.run([BEAN_CHECK, str(tmp_path / "main.beancount")], cwd="/",
                         env={**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"},
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "hash chain broken at #6 (2026-04-03" in run.stdout + run.stderr


def test_removing_the_last_entry_is_caught_by_the_head(ledger, tmp_path):
    export(ledger, tmp_path)
    path = tmp_path / "2027.beancount"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('2027-02-05 custom "evaluation"')], encoding="utf-8")
    _, errors = load_export(tmp_path)
    assert any("journal ends at #13 but the ledger head says #14" in m
               for m in messages(errors)), messages(errors)


def test_command_line_export_and_verify(ledger, ledger_url, tmp_path):
    from click.testing import CliRunner

    from ledger.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["export", "--database-url", ledger_url,
                                  "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "main.beancount").exists()
    result = runner.invoke(main, ["verify", "--database-url", ledger_url])
    assert result.exit_code == 0, result.output
    assert "OK: 14 entries" in result.output
    ledger.execute(update(Balance.__table__).values(balance=D("0.00")))
    ledger.commit()
    result = runner.invoke(main, ["verify", "--database-url", ledger_url])
    assert result.exit_code == 1 and "FAILED" in result.output
