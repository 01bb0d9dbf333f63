"""Validation and normalization of what callers hand to the ledger (no database access)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.errors import InvalidAmount, InvalidText
from ledger.rules import (
    DOCUMENTS_KEY,
    GATE_KEY,
    LINK_RE,
    MAX_AMOUNT,
    META_KEY_RE,
    RESERVED_META,
    text_problem,
)
from ledger.types import CENT


def amount(value: Any, *, what: str = "amount") -> Decimal:
    """A nonzero Decimal with at most two places; ints are accepted, floats never."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise InvalidAmount(
            f"{what} must be a Decimal, not {type(value).__name__} ({value!r})", value=str(value)
        )
    d = Decimal(value)
    try:
        exact = d.is_finite() and d.quantize(CENT) == d
    except InvalidOperation:
        exact = False
    if not exact:
        raise InvalidAmount(f"{what} {value} must have at most two decimals", value=str(value))
    if d == 0:
        raise InvalidAmount(f"{what} must not be zero", value=str(value))
    if abs(d) > MAX_AMOUNT:
        raise InvalidAmount(f"{what} {value} is too large", value=str(value))
    return d.quantize(CENT)


def positive(value: Any, *, what: str = "amount") -> Decimal:
    d = amount(value, what=what)
    if d < 0:
        raise InvalidAmount(f"{what} must be positive, got {d}", value=str(d))
    return d


def text(value: Any, *, what: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidText(f"{what} must be a string")
    if not value.strip() and not allow_empty:
        raise InvalidText(f"{what} must not be empty")
    problem = text_problem(value)
    if problem:
        raise InvalidText(f"{what}: {problem}")
    return value


def ident(value: Any, *, what: str) -> str:
    """An id usable as a beancount link (``^contract-42``): ``[A-Za-z0-9-_/.]+``."""
    if not isinstance(value, str) or not LINK_RE.fullmatch(value):
        raise InvalidText(f"{what} {value!r} may only hold ASCII letters, digits and -_/.")
    return value


def links(values: Iterable[str]) -> list[str]:
    if isinstance(values, str):
        values = [values]
    return sorted({ident(v, what="link") for v in values})


def _meta_value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    elif isinstance(value, (int, Decimal, dt.date)):
        value = str(value) if not isinstance(value, dt.date) else value.isoformat()
    if not isinstance(value, str):
        raise InvalidText(f"metadata {key!r} has an unsupported value type {type(value).__name__}")
    return text(value, what=f"metadata {key!r}", allow_empty=True)


def meta(values: Mapping[str, Any] | None, documents: Iterable[str] = ()) -> dict[str, str]:
    """Business metadata as str -> str; ``documents`` become one comma-separated value."""
    out: dict[str, str] = {}
    for key, value in (values or {}).items():
        if not isinstance(key, str) or not META_KEY_RE.fullmatch(key) or key in RESERVED_META:
            raise InvalidText(f"metadata key {key!r} is invalid or reserved")
        out[key] = _meta_value(key, value)
    if GATE_KEY in out:
        ident(out[GATE_KEY], what="gate")
    docs = [documents] if isinstance(documents, str) else list(documents)
    if docs:
        if DOCUMENTS_KEY in out:
            raise InvalidText("give documents either as metadata or as documents=, not both")
        for doc in docs:
            if not isinstance(doc, str) or not doc or "," in doc or text_problem(doc):
                raise InvalidText(f"document id {doc!r} is invalid")
        out[DOCUMENTS_KEY] = ",".join(docs)
    return out
