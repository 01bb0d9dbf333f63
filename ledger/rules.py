"""The ledger's naming and validity rules, shared by the service and the beancount plugin.

Pure Python (no SQLAlchemy, no beancount import): this module is copied beside every
export so that ``bean-check`` can run the plugin anywhere beancount is installed.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

CURRENCY = "CNY"
ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
BUDGET_PREFIX = "Assets:Budget:"
AVAILABLE = "Available"
RESERVED = "Reserved"
COMMITTED = "Committed"
EXPENSES_PREFIX = "Expenses:"
#: Largest absolute amount NUMERIC(18, 2) holds.
MAX_AMOUNT = Decimal("9999999999999999.99")

LINK_RE = re.compile(r"[A-Za-z0-9\-_/.]+")
META_KEY_RE = re.compile(r"[a-z][a-zA-Z0-9\-_]*")
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/\-]*")
#: Metadata keys the export writes itself or beancount adds; never business metadata.
RESERVED_META = frozenset({"seq", "hash", "filename", "lineno"})
#: Business metadata keys with a meaning to the ledger.
GATE_KEY = "gate"  # on a commitment: the evaluation subject its money waits for
DOCUMENTS_KEY = "documents"  # comma-separated ids of the documents behind an entry
REVERSES_KEY = "reverses"  # on a reversal: the seq of the transaction it reverses


def _ok_non_ascii(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Nd"


@lru_cache(maxsize=65536)  # pure, and asked for every account of every posting and page
def is_valid_component(comp: str, *, under_root: bool = False) -> bool:
    """Whether ``comp`` is a component beancount 3 accepts below a root account.

    The lexer takes ``[A-Z0-9]`` or any non-ASCII char first, then ``[A-Za-z0-9-]`` or
    non-ASCII; the grammar additionally wants the first component under the root to
    start with an uppercase letter or digit (so ``Assets:银行`` is refused). We are
    stricter on non-ASCII: letters and digits only (no punctuation such as ``（``).
    """
    if not comp:
        return False
    first = comp[0]
    if first.isascii():
        if not (first.isdigit() or "A" <= first <= "Z"):
            return False
    elif under_root or not _ok_non_ascii(first):
        return False
    for ch in comp[1:]:
        if ch.isascii():
            if not (ch.isalnum() or ch == "-"):
                return False
        elif not _ok_non_ascii(ch):
            return False
    return True


@lru_cache(maxsize=65536)
def is_valid_account(name: str) -> bool:
    parts = name.split(":")
    if len(parts) < 2 or parts[0] not in ROOTS:
        return False
    return is_valid_component(parts[1], under_root=True) and all(
        is_valid_component(p) for p in parts[2:]
    )


def is_guarded_name(name: str) -> bool:
    """Every budget account (``Assets:Budget:...``) is guarded: it never goes below zero."""
    return name.startswith(BUDGET_PREFIX)


def is_committed_name(name: str) -> bool:
    """``Assets:Budget:FY<yyyy>:<Dept>:<Item>:Committed:<Contract>`` (已承诺/合同占用)."""
    parts = name.split(":")
    return len(parts) == 7 and name.startswith(BUDGET_PREFIX) and parts[5] == COMMITTED


def is_reserved_name(name: str) -> bool:
    """``Assets:Budget:FY<yyyy>:<Dept>:<Item>:Reserved:<Tender>`` (预留/冻结: a published
    tender's ceiling, held between Available and Committed until award or cancellation)."""
    parts = name.split(":")
    return len(parts) == 7 and name.startswith(BUDGET_PREFIX) and parts[5] == RESERVED


def budget_kind(name: str) -> tuple[str, str] | None:
    """``(line prefix, kind)`` of an item's budget account — kind ``Available``,
    ``Reserved`` or ``Committed`` — else None."""
    parts = name.split(":")
    if not name.startswith(BUDGET_PREFIX) or len(parts) < 6:
        return None
    kind = parts[5]
    if kind == AVAILABLE and len(parts) == 6 or kind in (RESERVED, COMMITTED) and len(parts) == 7:
        return ":".join(parts[:5]), kind
    return None


#: The chain of custody through a reservation: (where money leaves, where it may go).
RESERVATION_FLOWS = {
    AVAILABLE: frozenset({RESERVED}),  # publication reserves the ceiling
    RESERVED: frozenset({AVAILABLE, COMMITTED}),  # award/cancel returns, signing commits
}


def custody_problem(postings: Iterable[tuple[str, Decimal]], reversal: bool = False
                    ) -> str | None:
    """Why a transaction that touches a reservation breaks the chain of custody
    Available → Reserved → Committed (or back to Available), else None.

    Money enters a ``Reserved`` account only from the same item's ``Available`` account
    and leaves it only to the same item's ``Available`` or ``Committed`` accounts. A
    reversal (冲销) is checked as the transaction it undoes.
    """
    legs = [(n, -a if reversal else a) for n, a in postings]
    if not any(is_reserved_name(n) for n, _ in legs):
        return None
    kinds = [(budget_kind(n), a) for n, a in legs]
    if any(k is None for k, _ in kinds) or len({k[0] for k, _ in kinds}) != 1:
        return ("a reservation moves money only between one catalog item's Available, "
                "Reserved and Committed accounts")
    sources = {k[1] for k, a in kinds if a < 0}
    targets = {k[1] for k, a in kinds if a > 0}
    for source in sources:
        if source not in RESERVATION_FLOWS or not targets <= RESERVATION_FLOWS[source]:
            return (f"money may not move from {source} to {'/'.join(sorted(targets))} "
                    "through a reservation (Available -> Reserved -> Committed or Available)")
    return None


def is_expense_name(name: str) -> bool:
    return name.startswith(EXPENSES_PREFIX)


def pool_of(account: str, gate: str | None) -> str:
    """The pool a posting moves: a committed account's money is split by evaluation gate.

    ``""`` is the ungated pool. Each pool of a guarded account must stay >= 0, so gated
    money can only leave through a posting that names the same gate.
    """
    return gate if gate and is_committed_name(account) else ""


def is_gated_payment(postings: Iterable[tuple[str, Decimal]], gate: str | None) -> bool:
    """A payment out of a gated pool: money leaves a committed account into an expense."""
    if not gate:
        return False
    legs = list(postings)
    return any(a < 0 and is_committed_name(n) for n, a in legs) and any(
        a > 0 and is_expense_name(n) for n, a in legs
    )


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a beancount string (control characters), else None."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            return f"control character U+{ord(ch):04X} not allowed"
    return None


def escape(text: str) -> str:
    """Quote-safe text for a beancount string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
