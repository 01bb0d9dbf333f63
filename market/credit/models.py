"""信用记录 — the credit room's table: the facts about an organization's credit that happen
in rooms above this one (contracts, performance, complaints), written by those rooms at the
moment the fact happens (``credit.services.record``).

Facts owned by rooms below (sanctions in ``orgs``, annual-inspection results in ``orgs``,
grades and clearance in ``grading``) are not copied here: ``credit.queries`` reads them from
their own tables, so each fact has one home.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import User, enum_column
from market.clock import now
from market.documents.models import Document
from market.models import Base
from market.orgs.models import Organization


class CreditKind(StrEnum):
    """What kind of fact a credit entry is. The first three are stored here; the others are
    read from the rooms that own them."""

    UPHELD_COMPLAINT = "upheld_complaint"  # 投诉举报查实 — complaints
    CONTRACT_TERMINATED_FAULT = "contract_terminated_fault"  # 因机构过错解除合同 — contracts
    FAILED_PERFORMANCE_EVALUATION = "failed_performance_evaluation"  # 绩效评价不合格
    SANCTION = "sanction"  # 行政处罚 / 立案调查 — orgs (read)
    SERIOUS_VIOLATION = "serious_violation"  # 重大违法记录 — orgs (read)
    CLEARANCE = "clearance"  # 清退 — grading (read)
    ANNUAL_REPORT_RESULT = "annual_report_result"  # 年检结论 — orgs (read)


STORED_KINDS = (CreditKind.UPHELD_COMPLAINT, CreditKind.CONTRACT_TERMINATED_FAULT,
                CreditKind.FAILED_PERFORMANCE_EVALUATION)


class Effect(StrEnum):
    NEGATIVE = "negative"  # counts against the organization's credit
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class CreditEntry(Base):
    """信用记录 — one fact about an organization's credit recorded by the room where it
    happened: when, what, where it comes from (room, object kind, id) and its evidence (a
    stored document or a reference such as a decision number). ``public`` entries appear on
    the organization's public profile; departments, civil affairs, finance and auditors see
    them all, and the organization sees its own."""

    __tablename__ = "credit_entries"
    __table_args__ = (UniqueConstraint("kind", "source_room", "source_kind", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[CreditKind] = mapped_column(enum_column(CreditKind, 40))
    effect: Mapped[Effect] = mapped_column(enum_column(Effect, 16))
    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    in_force_until: Mapped[dt.date | None] = mapped_column(Date)  # last day it counts
    source_room: Mapped[str] = mapped_column(String(40))
    source_kind: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[int] = mapped_column(Integer)
    evidence_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    evidence_ref: Mapped[str | None] = mapped_column(String(300))  # 文号 or a link
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship()
    evidence_document: Mapped[Document | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
