"""第三方评估机构的关联申报与回避 — evaluator agencies' declared relations and recusals."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import EvaluatorAgency, User, enum_column
from market.clock import now
from market.models import Base
from market.orgs.models import Organization


class RelationKind(StrEnum):
    WORKED_FOR = "worked_for"  # 曾为该组织提供服务 — a conflict for two years after it ends
    RELATED = "related"  # 其他关联关系 — a conflict for as long as it is declared


class RecusalState(StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    DENIED = "denied"


class AgencyRelation(Base):
    """A relation an agency (``evaluator_user_id`` empty) or one of its evaluators declares
    with an organization. Withdrawn declarations keep their row (``withdrawn_at``)."""

    __tablename__ = "eval_agency_relations"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("evaluator_agencies.id"), index=True)
    evaluator_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[RelationKind] = mapped_column(enum_column(RelationKind, 16))
    work_ended_on: Mapped[dt.date | None] = mapped_column(Date)  # empty: work still going on
    note: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[dt.datetime] = mapped_column(default=now)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column()

    agency: Mapped[EvaluatorAgency] = relationship()
    evaluator: Mapped[User | None] = relationship(foreign_keys=[evaluator_user_id])
    organization: Mapped[Organization] = relationship()


class RecusalRequest(Base):
    """回避申请 — an organization asks that a named evaluator not evaluate it."""

    __tablename__ = "eval_recusal_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    evaluator_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[RecusalState] = mapped_column(enum_column(RecusalState, 16),
                                                default=RecusalState.REQUESTED)
    requested_at: Mapped[dt.datetime] = mapped_column(default=now)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    evaluator: Mapped[User] = relationship(foreign_keys=[evaluator_user_id])
    organization: Mapped[Organization] = relationship()
