"""Verification: export, load with beancount (and the plugin), cross-check the balance rows.

Beancount's loader *returns* its errors (it never raises) and drops lines it cannot
parse, so every error in the list is a problem. Its pickle cache (a file beside the
ledger, read back with ``pickle``) is disabled wherever the platform loads a ledger.
"""
from __future__ import annotations

import gc
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.chain import read_head
from ledger.export import ExportResult, Progress, export
from ledger.models import Account, Balance

os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

A, B = Account.__table__, Balance.__table__
MAX_PROBLEMS = 200


@dataclass
class Verdict:
    """The outcome of :func:`verify`: ``ok`` and the human-readable problems found."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    entries: int = 0
    accounts: int = 0
    head_seq: int = 0
    export_seconds: float = 0.0
    load_seconds: float = 0.0
    check_seconds: float = 0.0

    def __bool__(self) -> bool:
        return self.ok


def load_ledger(path: str | os.PathLike[str]) -> tuple[list, list, dict]:
    """``beancount.loader.load_file`` without the pickle cache: (entries, errors, options).

    The cyclic garbage collector is paused while loading: beancount builds millions of
    acyclic tuples, and the collector re-scanning them took a third of the load time
    (refcounting still frees everything; the collector resumes afterwards).
    """
    from beancount import loader

    loader.initialize(use_cache=False)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return loader.load_file(str(path))
    finally:
        if was_enabled:
            gc.enable()


def format_error(error: Any) -> str:
    source = getattr(error, "source", None) or {}
    where = f"{Path(str(source.get('filename', '?'))).name}:{source.get('lineno', '?')}"
    return f"{where}: {error.message}"


def beancount_balances(entries: list) -> dict[str, Decimal]:
    """Exact per-account sums of every posting's units."""
    from beancount.core import data

    sums: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for p in entry.postings:
                sums[p.account] += p.units.number
    return sums


def cross_check(session: Session, entries: list, problems: list[str]) -> int:
    """Compare every account's balance row total with beancount; return accounts compared."""
    theirs = beancount_balances(entries)
    rows = session.execute(
        select(A.c.name, func.sum(B.c.balance)).join(B, B.c.account_id == A.c.id)
        .group_by(A.c.name), execution_options={"yield_per": 5000}
    )
    seen = 0
    for name, ours in rows:
        seen += 1
        other = theirs.pop(name, Decimal("0"))
        if other != ours:
            problems.append(f"balance of {name}: database {ours}, beancount {other}")
    for name, other in sorted(theirs.items()):
        if other != 0:
            problems.append(f"balance of {name}: beancount {other}, no balance row")
    return seen


def verify(session: Session, tmpdir: str | os.PathLike[str] | None = None,
           progress: Progress | None = None,
           on_phase: Callable[[str], None] | None = None,
           expected_head: tuple[int, str] | None = None) -> Verdict:
    """Export to ``tmpdir`` (a fresh temporary folder if None), load it with beancount and
    the plugin, and cross-check balances and the chain head against the database.

    ``expected_head`` (seq, hash), a head published earlier: the plugin then also fails
    when the journal does not reach it — truncated before ``seq``, or rewritten so that
    entry ``seq`` has another hash (a rewritten chain is consistent in itself, so only a
    head kept outside the ledger tells it apart)."""
    with tempfile.TemporaryDirectory(prefix="ledger-verify-") as scratch:
        folder = Path(tmpdir) if tmpdir is not None else Path(scratch)
        if on_phase:
            on_phase("export")
        result: ExportResult = export(session, folder, progress, expected_head=expected_head)
        if on_phase:
            on_phase("load")
        started = time.perf_counter()
        entries, errors, _ = load_ledger(result.main)
        loaded = time.perf_counter()
        problems = [format_error(e) for e in errors[:MAX_PROBLEMS]]
        if len(errors) > MAX_PROBLEMS:
            problems.append(f"... and {len(errors) - MAX_PROBLEMS} more beancount errors")
        if on_phase:
            on_phase("cross-check")
        accounts = cross_check(session, entries, problems)
        head = read_head(session)
        if (head.seq, head.hash) != (result.head_seq, result.head_hash):
            problems.append(f"journal head moved during verification (#{result.head_seq} -> "
                            f"#{head.seq}); verify again")
        del entries
    return Verdict(
        ok=not problems, problems=problems, entries=result.entries, accounts=accounts,
        head_seq=result.head_seq, export_seconds=result.seconds,
        load_seconds=loaded - started, check_seconds=time.perf_counter() - loaded,
    )
