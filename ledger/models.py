"""Ledger tables (all prefixed ``ledger_``): the append-only journal and its balance rows.

- ``ledger_accounts``: chart of accounts (科目), each with a stable ASCII ``code``.
- ``ledger_transactions`` / ``ledger_postings``: the journal (记账凭证/分录), append-only.
- ``ledger_evaluations``: third-party performance evaluations (绩效评估) that gate payments,
  append-only, in the same sequence and hash chain as transactions.
- ``ledger_balances``: one row per (account, pool), updated with each posting.
- ``ledger_chain_head``: a single row holding the last sequence number, hash and date;
  locking it serializes every write to the journal.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ledger.errors import ImmutableJournal
from ledger.types import Money, UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class LedgerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), Decimal: Money(), dict[str, Any]: JSON()}


metadata = LedgerBase.metadata


class Account(LedgerBase):
    """An account (科目). ``guarded`` accounts (every ``Assets:Budget:...``) never go below 0."""

    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    code: Mapped[str] = mapped_column(String(200), unique=True)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    open_date: Mapped[dt.date] = mapped_column(Date)
    guarded: Mapped[bool] = mapped_column(Boolean, default=False)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# Accounts by code prefix (a department's budget lines: ``BUDG.FY2026.WJW.%``). PostgreSQL
# uses a btree for LIKE 'prefix%' only under the C collation or with a pattern operator
# class; SQLite's LIKE ignores case and uses no index at all, and its data is small.
Index("ix_ledger_accounts_code_prefix", Account.code,
      postgresql_ops={"code": "varchar_pattern_ops"}).ddl_if(dialect="postgresql")


def include_for(dialect: str):
    """Alembic's ``include_object`` on ``dialect``: schema items built only on another
    database (``ddl_if(dialect=...)``) are left out of the comparison."""
    def include(obj, _name, _type, _reflected, _compare_to) -> bool:
        only = getattr(obj, "_ddl_if", None)
        return only is None or only.dialect is None or only.dialect == dialect
    return include


class Balance(LedgerBase):
    """The running balance of one pool of an account (pool ``""`` unless evaluation-gated)."""

    __tablename__ = "ledger_balances"

    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), primary_key=True)
    pool: Mapped[str] = mapped_column(String(200), primary_key=True, default="")
    balance: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))


class ChainHead(LedgerBase):
    __tablename__ = "ledger_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    last_date: Mapped[dt.date | None] = mapped_column(Date)


class Transaction(LedgerBase):
    """A journal transaction (记账凭证). Never updated or deleted: reverse it instead."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    narration: Mapped[str] = mapped_column(Text)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)  # str -> str, incl. "gate"
    reverses_seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Posting(LedgerBase):
    """One leg of a transaction (分录): a signed CNY amount on one account."""

    __tablename__ = "ledger_postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transactions.id"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount: Mapped[Decimal]


class Evaluation(LedgerBase):
    """A third-party performance evaluation (第三方绩效评估) of a contract or grant.

    ``subject`` names what it gates (e.g. ``contract-42/final``); a commitment whose
    transaction carries ``gate: "<subject>"`` cannot be paid out before a passing one.
    """

    __tablename__ = "ledger_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    date: Mapped[dt.date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    passed: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[Decimal | None]
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)  # incl. "documents"
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def _refuse(mapper: Any, connection: Any, target: Any) -> None:
    raise ImmutableJournal(
        f"{type(target).__name__} rows are append-only; post a reversing transaction instead",
        table=target.__tablename__,
    )


for _cls in (Transaction, Posting, Evaluation):
    event.listen(_cls, "before_update", _refuse)
    event.listen(_cls, "before_delete", _refuse)
