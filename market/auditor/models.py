"""公布的链头 — the ledger's chain head as published on the public portal, one a day.

A hash chain can be recomputed by whoever rewrites the ledger; a head published earlier
cannot be. Each row is the journal's (sequence, hash) on one day, kept for good: anyone
can check a ledger export against any of them (``ledger.verify`` with ``expected_head``,
or the beancount plugin's ``expected_head=SEQ:HASH``).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from market.models import Base


class PublishedHead(Base):
    __tablename__ = "published_chain_heads"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)  # Beijing date of publication
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime]

    @property
    def expected(self) -> tuple[int, str]:
        return self.seq, self.hash
