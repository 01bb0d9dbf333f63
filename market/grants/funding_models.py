"""Tables of a round's decision and its grants (立项决定, 资助项目).

A ``GrantDecision`` records civil affairs' decision on one screened application: funded
with an amount, or not funded with the reason the applicant sees. A funded application
becomes a ``Grant`` (资助项目): approved (reserved in the ledger) → signed (the grant
agreement, 资助协议: committed) → completed | stopped. Its ``GrantTranche`` rows
(分期拨付) follow the round's schedule; the mid-term and final ones are gated in the
ledger by a passing ``GrantEvaluation`` of their stage. ``GrantReport`` holds the
organization's mid-term and final reports.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, \
    UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market.accounts.models import EvaluatorAgency, User, enum_column
from market.clock import now
from market.grants.models import GrantApplication, GrantRound
from market.models import Base
from market.orgs.models import Organization

SIGNING, MIDTERM, FINAL = "signing", "midterm", "final"
EVALUATED_STAGES = (MIDTERM, FINAL)


class GrantStatus(StrEnum):
    APPROVED = "approved"  # 已立项 — reserved in the ledger
    SIGNED = "signed"  # 已签订资助协议 — committed in the ledger
    COMPLETED = "completed"  # 已结项 — every tranche paid
    STOPPED = "stopped"  # 已终止 — what remained committed went back to the pool


class TrancheStatus(StrEnum):
    PENDING = "pending"  # 待拨付
    PAID = "paid"  # 已拨付
    CANCELLED = "cancelled"  # 已取消 — the grant was stopped


class GrantDecision(Base):
    """立项决定 — the decision on one screened application of a round."""

    __tablename__ = "grant_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"),
                                                unique=True)
    funded: Mapped[bool] = mapped_column(Boolean)
    amount: Mapped[Decimal | None] = mapped_column(Money())
    reason: Mapped[str] = mapped_column(Text, default="")  # shown to the applicant
    priority: Mapped[bool] = mapped_column(Boolean, default=False)  # 3A+ at the decision
    decided_at: Mapped[dt.datetime] = mapped_column(default=now)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    application: Mapped[GrantApplication] = relationship()
    decided_by: Mapped[User] = relationship()


class Grant(Base):
    """资助项目 — a funded application, paid in tranches."""

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"),
                                                unique=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[GrantStatus] = mapped_column(enum_column(GrantStatus, 16), index=True,
                                                default=GrantStatus.APPROVED)
    approved_at: Mapped[dt.datetime] = mapped_column(default=now)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reserve_txn_id: Mapped[int | None] = mapped_column(Integer)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)  # 资助协议签订日期
    signed_at: Mapped[dt.datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[dt.datetime | None]  # the organization confirmed on the platform
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None]
    stop_reason: Mapped[str | None] = mapped_column(Text)
    released: Mapped[Decimal | None] = mapped_column(Money())  # 释放回资金池

    round: Mapped[GrantRound] = relationship()
    application: Mapped[GrantApplication] = relationship()
    organization: Mapped[Organization] = relationship()
    tranches: Mapped[list[GrantTranche]] = relationship(
        back_populates="grant", order_by="GrantTranche.number")
    evaluations: Mapped[list[GrantEvaluation]] = relationship(
        back_populates="grant", order_by="GrantEvaluation.id")
    reports: Mapped[list[GrantReport]] = relationship(
        back_populates="grant", order_by="GrantReport.id")

    @property
    def code(self) -> str:
        """The grant's stable id in the ledger (its link and account code)."""
        return f"grant-{self.id}"

    def gate(self, stage: str) -> str:
        """The ledger's evaluation subject that gates the stage's tranche."""
        return f"{self.code}/{stage}"

    @property
    def paid(self) -> Decimal:
        return sum((t.amount for t in self.tranches if t.status == TrancheStatus.PAID),
                   Decimal("0.00"))

    def latest_evaluation(self, stage: str) -> GrantEvaluation | None:
        done = [e for e in self.evaluations if e.stage == stage and e.passed is not None]
        return done[-1] if done else None

    def evaluation_passed(self, stage: str) -> bool:
        latest = self.latest_evaluation(stage)
        return latest is not None and latest.passed

    def report(self, stage: str) -> GrantReport | None:
        found = [r for r in self.reports if r.stage == stage]
        return found[-1] if found else None


class GrantTranche(Base):
    """分期拨付 — one tranche of a grant: its share, amount and payment."""

    __tablename__ = "grant_tranches"
    __table_args__ = (UniqueConstraint("grant_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id"))
    number: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))  # signing | midterm | final
    percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    amount: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[TrancheStatus] = mapped_column(enum_column(TrancheStatus, 16),
                                                  default=TrancheStatus.PENDING)
    commit_txn_id: Mapped[int | None] = mapped_column(Integer)
    paid_at: Mapped[dt.datetime | None]
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    payment_txn_id: Mapped[int | None] = mapped_column(Integer)

    grant: Mapped[Grant] = relationship(back_populates="tranches")

    @property
    def gated(self) -> bool:
        return self.stage in EVALUATED_STAGES


class GrantEvaluation(Base):
    """A third-party performance evaluation (绩效评价) of a grant's mid-term or final
    stage: civil affairs assigns an evaluator agency, an evaluator of that agency records
    pass or fail; the result is written to the ledger, where it opens or closes the
    stage's tranche."""

    __tablename__ = "grant_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # midterm | final
    agency_id: Mapped[int] = mapped_column(ForeignKey("evaluator_agencies.id"), index=True)
    assigned_at: Mapped[dt.datetime] = mapped_column(default=now)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    passed: Mapped[bool | None] = mapped_column(Boolean)  # None: not reported yet
    score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    report: Mapped[str | None] = mapped_column(Text)
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    recorded_at: Mapped[dt.datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ledger_evaluation_id: Mapped[int | None] = mapped_column(Integer)

    grant: Mapped[Grant] = relationship(back_populates="evaluations")
    agency: Mapped[EvaluatorAgency] = relationship()


class GrantReport(Base):
    """The organization's mid-term or final report (中期/结项报告): text and an attachment."""

    __tablename__ = "grant_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # midterm | final
    text: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=now)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    grant: Mapped[Grant] = relationship(back_populates="reports")
