"""Balances, read from the balance rows (cost independent of the number of postings)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Account, Balance

A, B = Account.__table__, Balance.__table__
ZERO = Decimal("0.00")


def _under(prefix: str):
    # LIKE narrows portably (account names hold no '%' or '_'); substr makes it exact even
    # where LIKE ignores case (SQLite). No '<'/'>' range: PostgreSQL collations reorder ':'.
    head = prefix + ":"
    return (A.c.name == prefix) | (
        A.c.name.like(head + "%") & (func.substr(A.c.name, 1, len(head)) == head)
    )


def balance(session: Session, account: str, pool: str | None = None) -> Decimal:
    """Balance of one account (all its pools, or only ``pool``; ``""`` is the ungated pool)."""
    stmt = select(func.sum(B.c.balance)).join(A, A.c.id == B.c.account_id).where(
        A.c.name == account
    )
    if pool is not None:
        stmt = stmt.where(B.c.pool == pool)
    return session.execute(stmt).scalar() or ZERO


def pools(session: Session, account: str) -> dict[str, Decimal]:
    """The pools of an account: ``{"": ungated, "<gate subject>": gated, ...}``."""
    rows = session.execute(
        select(B.c.pool, B.c.balance).join(A, A.c.id == B.c.account_id).where(A.c.name == account)
    ).all()
    return {r.pool: r.balance for r in rows}


def balances(session: Session, prefix: str) -> dict[str, Decimal]:
    """Every account equal to or below ``prefix`` (e.g. ``Assets:Budget:FY2026:民政局``)."""
    rows = session.execute(
        select(A.c.name, func.sum(B.c.balance))
        .join(B, B.c.account_id == A.c.id)
        .where(_under(prefix))
        .group_by(A.c.name)
        .order_by(A.c.name)
    ).all()
    return {name: total for name, total in rows}


def total(session: Session, prefix: str) -> Decimal:
    """Sum of every account equal to or below ``prefix``."""
    return session.execute(
        select(func.sum(B.c.balance)).join(A, A.c.id == B.c.account_id).where(_under(prefix))
    ).scalar() or ZERO


def total_by_code(session: Session, code_prefix: str) -> Decimal:
    """Sum over accounts whose stable code starts with ``code_prefix`` (survives renames)."""
    return session.execute(
        select(func.sum(B.c.balance)).join(A, A.c.id == B.c.account_id)
        .where(func.substr(A.c.code, 1, len(code_prefix)) == code_prefix)
    ).scalar() or ZERO
