"""A published chain head (seq, hash) that ``verify`` and the beancount plugin must reach.

A hash chain proves nothing against whoever rewrites the whole ledger: they recompute
every hash after the entry they changed, and the chain is consistent again. Only a head
kept outside the ledger — published on the portal every day — tells the rewritten ledger
apart, and a truncated one too.
"""
from __future__ import annotations

import os
import subprocess

import pytest
from sqlalchemy import select, update

from ledger.beancount_plugin import (expected_head_problem, parse_expected_head)
from ledger.canonical import GENESIS, chain_hash, evaluation_text, transaction_text
from ledger.chain import HEAD, HEAD_ID, read_head
from ledger.export import export
from ledger.models import Account, Evaluation, Posting, Transaction
from ledger.verify import verify
from tests.ledger.support import load_export, messages
from tests.ledger.test_ledger_export import BEAN_CHECK, build

T, P, A, E = (m.__table__ for m in (Transaction, Posting, Account, Evaluation))


@pytest.fixture
def ledger(db):
    build(db)
    return db


def rewrite(db, seq: int, narration: str) -> None:
    """What a forger with database access does: change one transaction, then recompute the
    hash of every entry from it to the end and move the head — a consistent chain."""
    db.execute(update(T).where(T.c.seq == seq).values(narration=narration))
    entries = []
    for row in db.execute(select(T).where(T.c.seq >= seq)):
        legs = [(name, amount) for name, amount in db.execute(
            select(A.c.name, P.c.amount).join(P, P.c.account_id == A.c.id)
            .where(P.c.transaction_id == row.id).order_by(P.c.id))]
        entries.append((row.seq, T, row.id, transaction_text(
            row.seq, row.date, row.narration, legs, row.links or [], row.meta or {})))
    for row in db.execute(select(E).where(E.c.seq >= seq)):
        entries.append((row.seq, E, row.id, evaluation_text(
            row.seq, row.date, row.subject, row.passed, row.score, row.meta or {})))
    prev = db.scalar(select(T.c.hash).where(T.c.seq == seq - 1)) or \
        db.scalar(select(E.c.hash).where(E.c.seq == seq - 1)) or GENESIS
    for _seq, table, row_id, text in sorted(entries, key=lambda e: e[0]):
        digest = chain_hash(prev, text)
        db.execute(update(table).where(table.c.id == row_id)
                   .values(prev_hash=prev, hash=digest))
        prev = digest
    db.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(last_hash=prev))
    db.commit()


def published(db) -> tuple[int, str]:
    head = read_head(db)
    return head.seq, head.hash


def test_the_config_string_is_read_strictly():
    digest = "a" * 64
    assert parse_expected_head(f"expected_head=12:{digest}") == (12, digest)
    assert parse_expected_head(f"other=1, expected_head=3:{digest.upper()}") == (3, digest)
    assert parse_expected_head(None) is None and parse_expected_head("") is None
    for bad in ("expected_head=12", "expected_head=x:" + digest, "expected_head=1:abc",
                "expected_head=1:" + "g" * 64):
        with pytest.raises(ValueError):
            parse_expected_head(bad)
    journal = [(1, "h1"), (2, "h2")]
    assert expected_head_problem(journal, (2, "h2")) is None
    assert expected_head_problem(journal, (0, GENESIS)) is None
    assert "rewritten" in expected_head_problem(journal, (2, "other"))
    assert "ends at #2, before the published head #3" in expected_head_problem(journal, (3, "x"))


def test_verify_passes_with_the_true_head(ledger):
    verdict = verify(ledger, expected_head=published(ledger))
    assert verdict.ok, verdict.problems


def test_a_rewritten_ledger_passes_alone_and_fails_against_the_published_head(ledger):
    head = published(ledger)
    rewrite(ledger, 6, "a different payment")
    assert read_head(ledger).seq == head[0] and read_head(ledger).hash != head[1]
    assert verify(ledger).ok, "the recomputed chain is consistent in itself"
    verdict = verify(ledger, expected_head=head)
    assert not verdict.ok
    assert any(f"entry #{head[0]} has hash" in p and "rewritten" in p
               for p in verdict.problems), verdict.problems


def test_an_older_head_still_catches_a_rewrite_before_it(ledger):
    older = (5, ledger.scalar(select(T.c.hash).where(T.c.seq == 5)))
    assert verify(ledger, expected_head=older).ok
    rewrite(ledger, 3, "rewritten appropriation")
    verdict = verify(ledger, expected_head=older)
    assert any("entry #5 has hash" in p for p in verdict.problems), verdict.problems


def test_a_ledger_short_of_the_published_head_fails(ledger):
    seq, digest = published(ledger)
    verdict = verify(ledger, expected_head=(seq + 2, "b" * 64))
    assert not verdict.ok
    assert any(f"the journal ends at #{seq}, before the published head #{seq + 2}" in p
               for p in verdict.problems), verdict.problems


def _truncate(folder) -> None:
    """Drop the last entry and the head directive: the file's own chain stays whole."""
    path = folder / "2027.beancount"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('2027-02-05 custom "evaluation"')], encoding="utf-8")
    main = folder / "main.beancount"
    main.write_text("\n".join(line for line in main.read_text(encoding="utf-8").splitlines()
                              if '"ledger-head"' not in line) + "\n", encoding="utf-8")


def _bean_check(folder):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    return subprocess.run([BEAN_CHECK, str(folder / "main.beancount")], cwd="/", env=env,
                          capture_output=True, text=True)


def test_the_export_writes_the_plugin_line_with_the_head(ledger, tmp_path):
    seq, digest = published(ledger)
    export(ledger, tmp_path, expected_head=(seq, digest))
    main = (tmp_path / "main.beancount").read_text(encoding="utf-8")
    assert f'plugin "ledger.beancount_plugin" "expected_head={seq}:{digest}"' in main
    run = _bean_check(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_bean_check_fails_on_a_truncated_file_only_with_the_head(ledger, tmp_path):
    seq, digest = published(ledger)
    plain, pinned = tmp_path / "plain", tmp_path / "pinned"
    export(ledger, plain)
    export(ledger, pinned, expected_head=(seq, digest))
    _truncate(plain)
    _truncate(pinned)
    assert _bean_check(plain).returncode == 0  # the chain alone cannot tell
    run = _bean_check(pinned)
    assert run.returncode != 0
    assert f"the journal ends at #{seq - 1}, before the published head #{seq}" in \
        run.stdout + run.stderr


def test_bean_check_fails_on_a_rewritten_ledger_with_the_head(ledger, tmp_path):
    head = published(ledger)
    rewrite(ledger, 6, "a different payment")
    export(ledger, tmp_path / "alone")
    assert _bean_check(tmp_path / "alone").returncode == 0
    export(ledger, tmp_path / "pinned", expected_head=head)
    _, errors = load_export(tmp_path / "pinned")
    assert any("the journal was rewritten" in m for m in messages(errors)), messages(errors)
    assert _bean_check(tmp_path / "pinned").returncode != 0


def test_command_line_verify_takes_the_head(ledger, ledger_url):
    from click.testing import CliRunner

    from ledger.cli import main

    seq, digest = published(ledger)
    runner = CliRunner()
    ok = runner.invoke(main, ["verify", "--database-url", ledger_url,
                              "--expected-head", f"{seq}:{digest}"])
    assert ok.exit_code == 0, ok.output
    short = runner.invoke(main, ["verify", "--database-url", ledger_url,
                                 "--expected-head", f"{seq + 1}:{digest}"])
    assert short.exit_code == 1 and "before the published head" in short.output
    bad = runner.invoke(main, ["verify", "--database-url", ledger_url,
                               "--expected-head", "12"])
    assert bad.exit_code == 2 and "SEQ:HASH" in bad.output
