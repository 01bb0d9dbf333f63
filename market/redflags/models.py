"""The one table of the red flags room: an auditor's review of a flag (风险提示复核).

Flags themselves are computed on demand from procurement and the ledger
(``market.redflags.detectors``); a review is keyed by the flag's stable key (its kind and
the ids of its subject), so it stays attached to the flag as long as the facts raise it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import User
from market.clock import now
from market.models import Base


class FlagReview(Base):
    """复核 — an auditor marked one flag reviewed, with a note."""

    __tablename__ = "redflag_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    note: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime] = mapped_column(default=now)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    reviewed_by: Mapped[User] = relationship()
