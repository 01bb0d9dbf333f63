"""Beancount plugin: re-check on the exported text what the platform enforces.

``plugin "ledger.beancount_plugin"`` in a ledger makes ``bean-check`` (or any loader)
report, as ordinary beancount errors naming the entry by sequence number and date:

1. the hash chain: every journal entry (transaction or ``custom "evaluation"``) carries
   ``seq`` and ``hash``; ``hash = sha256(previous hash + canonical text)``, sequence
   numbers run 1, 2, 3... with no gap, dates never go backwards, and the chain ends at
   the ``custom "ledger-head"`` directive when there is one. Editing the amount, date,
   account, narration, links or metadata of any entry breaks its hash;
2. guarded accounts (every ``Assets:Budget:...``, and any ``open`` with ``guarded: TRUE``)
   never go below zero, nor does any evaluation-gate pool of a committed account — checked
   exactly, in (date, seq) order, after each transaction (beancount's own ``balance``
   directive would tolerate a fen); every transaction also sums to exactly zero;
3. the chain of custody through a reservation (预留): money enters an item's
   ``Reserved:<Tender>`` account only from its ``Available`` account and leaves only to
   its ``Available`` or ``Committed:<Contract>`` accounts (a ``reverses`` entry is checked
   as the entry it undoes); a reservation, like every budget account, never goes below zero;
4. the evaluation gate: money leaving a committed account's ``gate`` pool into an expense
   needs a passing ``custom "evaluation" "<gate>" TRUE`` earlier in (date, seq) order, with
   no failing one after it (the gate follows the latest evaluation).

5. the published head (公布的链头): with ``plugin "ledger.beancount_plugin"
   "expected_head=SEQ:HASH"`` the journal must hold entry ``SEQ`` with hash ``HASH``. A
   chain can be recomputed by whoever rewrites the file, but not so as to reach a head
   published before the rewrite: a truncated journal ends before ``SEQ``, a rewritten one
   has another hash there.

Imports only beancount and the ledger's pure modules (``rules``, ``canonical``), which
the export ships beside the ledger.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data

from ledger.canonical import GENESIS, canonical_text, chain_hash, record_from_entry
from ledger.rules import (GATE_KEY, REVERSES_KEY, custody_problem, is_gated_payment,
                          is_guarded_name, pool_of)

__plugins__ = ("check_ledger",)

EVALUATION = "evaluation"
HEAD = "ledger-head"
EXPECTED_HEAD = "expected_head"
ZERO = Decimal("0")


def parse_expected_head(config: str | None) -> tuple[int, str] | None:
    """``"expected_head=SEQ:HASH"`` (other ``key=value`` words, space- or comma-separated,
    are ignored) as (SEQ, HASH); None without one. A malformed one raises ValueError."""
    for word in (config or "").replace(",", " ").split():
        key, _, value = word.partition("=")
        if key.strip() != EXPECTED_HEAD:
            continue
        seq, _, digest = value.strip().partition(":")
        digest = digest.strip().lower()
        if not seq.strip().isdigit() or len(digest) != 64 or \
                any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"expected_head must be SEQ:HASH (a sequence number and a "
                             f"64-digit SHA-256), got {value!r}")
        return int(seq), digest
    return None


def expected_head_problem(journal: list[tuple[int, str | None]], expected: tuple[int, str]
                          ) -> str | None:
    """Why the journal (its (seq, hash) pairs) does not reach the ``expected`` head, or
    None when it holds that entry with that hash."""
    seq, digest = expected
    if seq == 0:
        return None
    found = {s: h for s, h in journal}.get(seq)
    last = max((s for s, _ in journal), default=0)
    if seq not in {s for s, _ in journal}:
        if last < seq:
            return (f"the journal ends at #{last}, before the published head #{seq} "
                    f"{digest}: entries were removed")
        return f"the journal has no entry #{seq} (published head {digest})"
    if found != digest:
        return (f"entry #{seq} has hash {found} but the published head says {digest}: "
                f"the journal was rewritten")
    return None


class LedgerCheckError(NamedTuple):
    source: Any
    message: str
    entry: Any


def _name(seq: Any, entry: Any) -> str:
    if isinstance(entry, data.Transaction):
        what = f'"{entry.narration}"'
    else:
        first = entry.values[0].value if entry.values else ""
        what = f'custom "{entry.type}" "{first}"'
    return f"#{seq} ({entry.date} {what})"


def check_ledger(entries: list, options_map: dict, config: str | None = None
                 ) -> tuple[list, list[LedgerCheckError]]:
    errors: list[LedgerCheckError] = []
    journal: list[tuple[int, Any]] = []
    head = None
    guarded_opens: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Transaction) or (
            isinstance(entry, data.Custom) and entry.type == EVALUATION
        ):
            seq = entry.meta.get("seq")
            try:
                journal.append((int(seq), entry))
            except (TypeError, ValueError, ArithmeticError):
                errors.append(LedgerCheckError(
                    entry.meta, f"entry on {entry.date} is not in the journal (no valid seq)",
                    entry))
        elif isinstance(entry, data.Custom) and entry.type == HEAD:
            head = entry
        elif isinstance(entry, data.Open) and entry.meta.get("guarded") is True:
            guarded_opens.add(entry.account)
    journal.sort(key=lambda pair: pair[0])
    _check_chain(journal, head, errors)
    _check_expected_head(journal, config, errors)
    journal.sort(key=lambda pair: (pair[1].date, pair[0]))
    _check_money(journal, guarded_opens, errors)
    return entries, errors


def _check_chain(journal: list[tuple[int, Any]], head: Any, errors: list) -> None:
    prev: str | None = GENESIS
    expected = 1
    last_date = None
    for seq, entry in journal:
        if seq < expected:
            errors.append(LedgerCheckError(
                entry.meta, f"duplicate sequence number: {_name(seq, entry)}", entry))
            continue
        if seq > expected:
            missing = f"#{expected}" if seq == expected + 1 else f"#{expected}..#{seq - 1}"
            errors.append(LedgerCheckError(
                entry.meta, f"journal entries {missing} are missing before {_name(seq, entry)}",
                entry))
            prev = None  # the link to the missing entry cannot be checked
        declared = entry.meta.get("hash")
        actual = chain_hash(prev, canonical_text(**record_from_entry(entry))) if prev else None
        if prev is not None and actual != declared:
            errors.append(LedgerCheckError(
                entry.meta,
                f"hash chain broken at {_name(seq, entry)}: the entry was altered "
                f"(recorded hash {declared}, recomputed {actual})", entry))
        if last_date is not None and entry.date < last_date:
            errors.append(LedgerCheckError(
                entry.meta, f"{_name(seq, entry)} is dated before entry #{seq - 1}", entry))
        last_date = entry.date
        prev = declared if isinstance(declared, str) else actual
        expected = seq + 1
    if head is not None:
        values = [v.value for v in head.values]
        want = (int(values[0]), values[1]) if len(values) >= 2 else (None, None)
        got = (journal[-1][0], journal[-1][1].meta.get("hash")) if journal else (0, GENESIS)
        if want != got:
            errors.append(LedgerCheckError(
                head.meta, f"the journal ends at #{got[0]} but the ledger head says "
                f"#{want[0]} {want[1]}: entries were removed or added", head))


def _check_expected_head(journal: list[tuple[int, Any]], config: str | None,
                         errors: list) -> None:
    where = {"filename": "<plugin ledger.beancount_plugin>", "lineno": 0}
    try:
        expected = parse_expected_head(config)
    except ValueError as exc:
        errors.append(LedgerCheckError(where, str(exc), None))
        return
    if expected is None:
        return
    problem = expected_head_problem(
        [(seq, entry.meta.get("hash")) for seq, entry in journal], expected)
    if problem is not None:
        errors.append(LedgerCheckError(where, problem, None))


def _check_money(journal: list[tuple[int, Any]], guarded_opens: set[str], errors: list) -> None:
    pools: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    passed: set[str] = set()
    negative: set[tuple[str, str]] = set()
    for seq, entry in journal:
        if isinstance(entry, data.Custom):
            values = [v.value for v in entry.values]
            if len(values) >= 2 and isinstance(values[0], str):
                if values[1] is True:  # the gate follows the latest evaluation
                    passed.add(values[0])
                else:
                    passed.discard(values[0])
            continue
        gate = entry.meta.get(GATE_KEY)
        gate = gate if isinstance(gate, str) else None
        legs = [(p.account, p.units.number) for p in entry.postings]
        residual = sum((n for _, n in legs), ZERO)
        if residual != 0:
            errors.append(LedgerCheckError(
                entry.meta, f"{_name(seq, entry)} does not balance exactly: {residual}", entry))
        problem = custody_problem(legs, reversal=REVERSES_KEY in entry.meta)
        if problem is not None:
            errors.append(LedgerCheckError(
                entry.meta, f"{_name(seq, entry)} breaks the chain of custody: {problem}",
                entry))
        touched = set()
        for account, number in legs:
            if is_guarded_name(account) or account in guarded_opens:
                key = (account, pool_of(account, gate))
                pools[key] += number
                touched.add(key)
        for key in sorted(touched):
            if pools[key] < 0 and key not in negative:
                negative.add(key)
                where = f"{key[0]} (pool {key[1]})" if key[1] else key[0]
                errors.append(LedgerCheckError(
                    entry.meta, f"guarded account {where} goes below zero ({pools[key]}) at "
                    f"{_name(seq, entry)}", entry))
            elif pools[key] >= 0:
                negative.discard(key)
        if is_gated_payment(legs, gate) and gate not in passed:
            errors.append(LedgerCheckError(
                entry.meta, f"{_name(seq, entry)} pays out of a commitment gated by {gate!r} "
                "before a passing evaluation", entry))
