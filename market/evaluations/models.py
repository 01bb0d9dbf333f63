"""Organization grades (社会组织等级, 1A–5A), valid five years from announcement.

The grade evaluation cycles that produce them come with the evaluation feature; tender
eligibility and the 3A+ priority already read grades from here, as of a given instant.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from market.clock import now
from market.models import Base

GRADE_VALIDITY_YEARS = 5
PRIORITY_GRADE = 3  # 3A and above get priority (policy §10)


class OrgGrade(Base):
    """One grade decision. History is kept: a downgrade or revocation is a new row that
    ends the previous one (``valid_until``), never an edit of what was announced."""

    __tablename__ = "org_grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    grade: Mapped[int] = mapped_column(Integer)  # 1..5; 0 = revoked
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)  # exclusive
    source: Mapped[str] = mapped_column(String(40))  # "evaluation", "downgrade", "legacy"
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)
