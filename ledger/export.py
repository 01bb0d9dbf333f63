"""Render the ledger to beancount text: one file per year plus ``main.beancount``.

Streamed: the journal is read with server-side cursors (``yield_per``) and written entry
by entry, so memory does not grow with the ledger. The export is self-checking and
self-contained: ``main.beancount`` loads ``plugin "ledger.beancount_plugin"``, and the
plugin's three pure modules are copied beside it (``option "insert_pythonpath"`` puts
the folder on ``sys.path``), so ``bean-check main.beancount`` works with any beancount 3
installation, offline. (An auditor who prefers not to trust the shipped copy deletes the
``ledger/`` folder and runs with the platform's own ``ledger`` package on PYTHONPATH.)
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Text, cast, func, select
from sqlalchemy.orm import Session

from ledger.chain import read_head
from ledger.models import Account, Evaluation, Posting, Transaction
from ledger.rules import CURRENCY, escape

A, E, P, T = (m.__table__ for m in (Account, Evaluation, Posting, Transaction))
MAIN = "main.beancount"
PLUGIN = "ledger.beancount_plugin"
SHIPPED = ("rules.py", "canonical.py", "beancount_plugin.py")
BATCH = 1000
Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    folder: Path
    main: Path
    files: list[Path] = field(default_factory=list)
    entries: int = 0
    accounts: int = 0
    head_seq: int = 0
    head_hash: str = ""
    seconds: float = 0.0


_decode = json.JSONDecoder().decode


def _json(raw: str | None) -> Any:
    """JSON columns are read as text (cast in SQL) and decoded only when not empty: most
    rows have no metadata, and the driver's per-row JSON decoding dominated the export."""
    if not raw or raw in ("{}", "[]"):
        return ()
    return _decode(raw)


def _meta_lines(meta: Any) -> str:
    if not meta:
        return ""
    return "".join(f'  {k}: "{escape(str(v))}"\n' for k, v in sorted(meta.items()))


def _stream(conn: Connection, stmt: Any) -> Iterator[Any]:
    # Per statement: Connection.execution_options() would change the session's connection.
    yield from conn.execute(stmt, execution_options={"yield_per": BATCH})


def _transactions(conn: Connection, upto: int) -> Iterator[tuple[int, dt.date, str]]:
    """(seq, date, text) per transaction, merging the transaction and posting streams."""
    txns = _stream(conn, select(T.c.seq, T.c.date, T.c.narration, cast(T.c.links, Text),
                                cast(T.c.meta, Text), T.c.hash)
                   .where(T.c.seq <= upto).order_by(T.c.seq))
    legs = _stream(conn, select(T.c.seq, A.c.name, P.c.amount)
                   .join(T, T.c.id == P.c.transaction_id).join(A, A.c.id == P.c.account_id)
                   .where(T.c.seq <= upto).order_by(T.c.seq, P.c.id))
    leg = next(legs, None)
    for seq, date, narration, links, meta, digest in txns:
        parts = [f'{date.isoformat()} * "{escape(narration)}"']
        parts.extend(f" ^{link}" for link in _json(links))
        parts.append(f'\n  seq: {seq}\n  hash: "{digest}"\n')
        parts.append(_meta_lines(_json(meta)))
        while leg is not None and leg[0] == seq:
            parts.append(f"  {leg[1]}  {leg[2]:.2f} {CURRENCY}\n")
            leg = next(legs, None)
        yield seq, date, "".join(parts) + "\n"


def _evaluations(conn: Connection, upto: int) -> Iterator[tuple[int, dt.date, str]]:
    rows = _stream(conn, select(E.c.seq, E.c.date, E.c.subject, E.c.passed, E.c.score,
                                cast(E.c.meta, Text), E.c.hash)
                   .where(E.c.seq <= upto).order_by(E.c.seq))
    for seq, date, subject, passed, score, meta, digest in rows:
        values = f'"{subject}" {"TRUE" if passed else "FALSE"}'
        if score is not None:
            values += f" {score:.2f}"
        yield seq, date, (f'{date.isoformat()} custom "evaluation" {values}\n'
                          f'  seq: {seq}\n  hash: "{digest}"\n{_meta_lines(_json(meta))}\n')


def _merge(a: Iterator[tuple[int, dt.date, str]], b: Iterator[tuple[int, dt.date, str]]
           ) -> Iterator[tuple[int, dt.date, str]]:
    x, y = next(a, None), next(b, None)
    while x is not None or y is not None:
        if y is None or (x is not None and x[0] < y[0]):
            yield x  # type: ignore[misc]
            x = next(a, None)
        else:
            yield y
            y = next(b, None)


def _opens(conn: Connection, year: int) -> Iterator[str]:
    rows = _stream(conn, select(A.c.name, A.c.code, A.c.currency, A.c.open_date, A.c.guarded,
                                cast(A.c.meta, Text))
                   .where(A.c.open_date >= dt.date(year, 1, 1),
                          A.c.open_date < dt.date(year + 1, 1, 1))
                   .order_by(A.c.open_date, A.c.name))
    for name, code, currency, open_date, guarded, meta in rows:
        yield (f"{open_date.isoformat()} open {name} {currency}\n  code: \"{escape(code)}\"\n"
               + ("  guarded: TRUE\n" if guarded else "") + _meta_lines(_json(meta)) + "\n")


def _years(conn: Connection) -> list[int]:
    lo_hi = [conn.execute(select(func.min(c), func.max(c))).one()
             for c in (A.c.open_date, T.c.date, E.c.date)]
    dates = [d for pair in lo_hi for d in pair if d is not None]
    if not dates:
        return []
    return list(range(min(dates).year, max(dates).year + 1))


def _ship_plugin(folder: Path) -> None:
    here = Path(__file__).resolve().parent
    pkg = folder / "ledger"
    if pkg.resolve() == here:  # exporting into the repository root: the real package is there
        return
    pkg.mkdir(exist_ok=True)
    (pkg / "__init__.py").write_text(
        '"""Beancount plugin shipped with a ledger export (copied from the platform)."""\n',
        encoding="utf-8")
    for name in SHIPPED:
        shutil.copyfile(here / name, pkg / name)


def plugin_line(expected_head: tuple[int, str] | None = None) -> str:
    """The ``plugin`` directive; with ``expected_head`` (seq, hash) — a published head —
    the plugin also fails when the journal does not reach it."""
    if expected_head is None:
        return f'plugin "{PLUGIN}"\n'
    seq, digest = expected_head
    return f'plugin "{PLUGIN}" "expected_head={int(seq)}:{escape(digest)}"\n'


def export(session: Session, folder: str | os.PathLike[str], progress: Progress | None = None,
           *, title: str = "公益服务采购与公益创投平台 资金台账",
           expected_head: tuple[int, str] | None = None) -> ExportResult:
    """Write the ledger as beancount files in ``folder``; return what was written.

    With ``expected_head`` (a published (seq, hash)) the plugin line carries it, so
    ``bean-check`` fails when the journal does not reach that head.

    ``progress(done, total)`` is called every few thousand entries. Files are written
    under temporary names and renamed at the end, ``main.beancount`` last.
    """
    started = time.perf_counter()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    conn = session.connection()
    head = read_head(session)
    result = ExportResult(out, out / MAIN, head_seq=head.seq, head_hash=head.hash)
    total = head.seq
    # Bounded by the head read first: whatever commits meanwhile is left out, and every
    # entry up to the head is complete (the head moves in the entry's own transaction).
    entries = _merge(_transactions(conn, head.seq), _evaluations(conn, head.seq))
    pending = next(entries, None)
    written: list[Path] = []
    for year in _years(conn):
        path = out / f"{year}.beancount"
        tmp = path.with_suffix(".beancount.tmp")
        count = 0
        with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as fh:
            fh.write(f";; {title} — {year}\n\n")
            for text in _opens(conn, year):
                fh.write(text)
                count += 1
                result.accounts += 1
            while pending is not None and pending[1].year <= year:
                fh.write(pending[2])
                count += 1
                result.entries += 1
                if progress and result.entries % BATCH == 0:
                    progress(result.entries, total)
                pending = next(entries, None)
        if count:
            written.append(tmp)
        else:
            tmp.unlink()
    _ship_plugin(out)
    main_tmp = out / (MAIN + ".tmp")
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    with open(main_tmp, "w", encoding="utf-8") as fh:
        fh.write(f";; {title}\n;; exported {stamp}; journal head #{head.seq} {head.hash}\n"
                 f'option "title" "{escape(title)}"\noption "operating_currency" "{CURRENCY}"\n'
                 'option "insert_pythonpath" "TRUE"\n'
                 + plugin_line(expected_head) + "\n")
        for tmp in written:
            fh.write(f'include "{tmp.name.removesuffix(".tmp")}"\n')
        if head.date is not None:
            fh.write(f'\n{head.date.isoformat()} custom "ledger-head" {head.seq} "{head.hash}"\n')
    for tmp in written:
        final = tmp.with_name(tmp.name.removesuffix(".tmp"))
        os.replace(tmp, final)
        result.files.append(final)
    os.replace(main_tmp, result.main)
    if progress:
        progress(result.entries, total)
    result.seconds = time.perf_counter() - started
    return result
