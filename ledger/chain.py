"""The chain head: the single row that serializes every write to the journal.

Each journal entry (transaction or evaluation) takes the next sequence number and chains
its hash to the previous one, so two writers must never read the same head. On
PostgreSQL the row is locked with ``SELECT ... FOR UPDATE`` until the caller's commit;
SQLite has no row locks, so there we take the database write lock up front with a no-op
UPDATE (dialect branch) — the checks that follow then read what the write will see.

Lock order, everywhere: chain head first, then balance rows by account name. Taking the
head first means a transaction that already holds it (two postings in one unit of work)
never waits on it, so the ledger's own locks cannot deadlock.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ledger.canonical import GENESIS
from ledger.errors import DateOutOfOrder, InvalidDate
from ledger.models import ChainHead

HEAD = ChainHead.__table__
HEAD_ID = 1


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    date: dt.date | None


def dialect_name(session: Session) -> str:
    return session.get_bind().dialect.name


def lock_head(session: Session) -> Head:
    """Lock and return the chain head (creating it on an empty database)."""
    if dialect_name(session) == "sqlite":
        session.execute(
            update(HEAD).where(HEAD.c.id == HEAD_ID).values(last_seq=HEAD.c.last_seq)
        )
    row = session.execute(
        select(HEAD.c.last_seq, HEAD.c.last_hash, HEAD.c.last_date)
        .where(HEAD.c.id == HEAD_ID)
        .with_for_update()
    ).one_or_none()
    if row is None:
        session.execute(insert(HEAD).values(id=HEAD_ID, last_seq=0, last_hash=GENESIS))
        return Head(0, GENESIS, None)
    return Head(row.last_seq, row.last_hash, row.last_date)


def read_head(session: Session) -> Head:
    """The head without locking (for reports and verification)."""
    row = session.execute(
        select(HEAD.c.last_seq, HEAD.c.last_hash, HEAD.c.last_date).where(HEAD.c.id == HEAD_ID)
    ).one_or_none()
    return Head(0, GENESIS, None) if row is None else Head(*row)


def valid_date(date: object) -> dt.date:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise InvalidDate(f"a journal date must be a datetime.date, got {date!r}")
    if not 1900 <= date.year <= 9999:
        raise InvalidDate(f"date {date} is out of range")
    return date


def check_date(head: Head, date: dt.date) -> None:
    if head.date is not None and date < head.date:
        raise DateOutOfOrder(
            f"date {date} is before the last journal entry (#{head.seq}, {head.date}); "
            "the journal is kept in date order",
            date=date.isoformat(), last_date=head.date.isoformat(), last_seq=head.seq,
        )


def advance_head(session: Session, seq: int, hash_: str, date: dt.date) -> None:
    session.execute(
        update(HEAD).where(HEAD.c.id == HEAD_ID)
        .values(last_seq=seq, last_hash=hash_, last_date=date)
    )
