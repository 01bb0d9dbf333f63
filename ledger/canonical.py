"""The canonical text of a journal entry, and the hash chain over it.

``hash(n) = sha256(hash(n-1) + canonical_text(entry n))`` with ``hash(0) = GENESIS``.
:func:`canonical_text` is the one definition; :func:`record_from_entry` feeds it a parsed
beancount entry, and the service feeds it the same fields from database rows, so the
beancount plugin recomputes exactly the hash the database stored.

Pure Python (no SQLAlchemy, no beancount import): copied beside every export.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ledger.rules import CURRENCY, RESERVED_META

# Exactly json.dumps(value, ensure_ascii=False) for a str, without the encoder set-up.
_quote = json.encoder.encode_basestring
GENESIS = "0" * 64
VERSION = "ledger-canonical-v1"
_CENT = Decimal("0.01")

Posting = tuple[str, Decimal, str]  # (account, signed amount, currency)


def fmt_decimal(value: Decimal) -> str:
    """Two decimals when that is exact; the full value otherwise (never rounds)."""
    q = value.quantize(_CENT)
    return f"{q:.2f}" if q == value else str(value)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, Decimal):
        return "#" + fmt_decimal(value)
    if isinstance(value, dt.date):
        return "@" + value.isoformat()
    return "!" + type(value).__name__ + ":" + str(value)


def business_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata that belongs to the entry (not seq/hash/filename/lineno/__internal__)."""
    return {k: v for k, v in meta.items() if k not in RESERVED_META and not k.startswith("__")}


def canonical_text(
    *,
    kind: str,
    seq: int,
    date: dt.date,
    narration: str = "",
    postings: Iterable[Posting] = (),
    links: Iterable[str] = (),
    meta: Mapping[str, Any] | None = None,
    values: Iterable[Any] = (),
    payee: str | None = None,
    tags: Iterable[str] = (),
) -> str:
    """Deterministic text of one journal entry (transaction or ``custom`` directive).

    Postings, links, tags and metadata are sorted, so the order they are written in
    does not matter; every amount is rendered exactly.
    """
    lines = [VERSION, f"kind={kind}", f"seq={int(seq)}", f"date={date.isoformat()}"]
    lines.append("narration=" + _value(narration))
    if payee is not None:
        lines.append("payee=" + _value(payee))
    for account, amount, currency in sorted(
        (a, fmt_decimal(n), c) for a, n, c in postings
    ):
        lines.append(f"posting={account} {amount} {currency}")
    lines.extend("link=" + link for link in sorted(links))
    lines.extend("tag=" + tag for tag in sorted(tags))
    lines.extend("value=" + _value(v) for v in values)
    for key in sorted(business_meta(meta or {})):
        lines.append(f"meta={key}=" + _value((meta or {})[key]))
    return "\n".join(lines) + "\n"


def chain_hash(prev_hash: str, text: str) -> str:
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


def transaction_text(
    seq: int,
    date: dt.date,
    narration: str,
    postings: Iterable[tuple[str, Decimal]],
    links: Iterable[str],
    meta: Mapping[str, Any],
) -> str:
    """Canonical text of a transaction as the database holds it (CNY postings)."""
    return canonical_text(
        kind="transaction", seq=seq, date=date, narration=narration,
        postings=((a, n, CURRENCY) for a, n in postings), links=links, meta=meta,
    )


def evaluation_text(
    seq: int, date: dt.date, subject: str, passed: bool, score: Decimal | None,
    meta: Mapping[str, Any],
) -> str:
    """Canonical text of an evaluation (``custom "evaluation"`` in beancount)."""
    values: list[Any] = [subject, passed] + ([score] if score is not None else [])
    return canonical_text(kind="evaluation", seq=seq, date=date, values=values, meta=meta)


def record_from_entry(entry: Any) -> dict[str, Any]:
    """``canonical_text`` keyword arguments from a parsed beancount Transaction or Custom."""
    seq = int(entry.meta["seq"])
    if hasattr(entry, "postings"):
        return dict(
            kind="transaction", seq=seq, date=entry.date, narration=entry.narration or "",
            postings=[
                (p.account, p.units.number, p.units.currency) for p in entry.postings
            ],
            links=entry.links or (), tags=entry.tags or (), payee=entry.payee,
            meta=entry.meta,
        )
    return dict(
        kind=entry.type, seq=seq, date=entry.date,
        values=[v.value for v in entry.values], meta=entry.meta,
    )
