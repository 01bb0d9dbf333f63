"""Registered residents (户籍人口) per town and year, entered by civil affairs: the base of
the policy's "organizations per 10,000 registered residents" (万人拥有社会组织数)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Town, User
from market.clock import now
from market.models import Base


class TownPopulation(Base):
    """One town's registered residents at the end of one year (a later entry replaces the
    figure; the audit log keeps every value it had)."""

    __tablename__ = "town_populations"
    __table_args__ = (UniqueConstraint("town_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    residents: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    town: Mapped[Town] = relationship()
    recorded_by: Mapped[User | None] = relationship()
