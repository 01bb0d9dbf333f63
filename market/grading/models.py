"""等级评估 — the grading room's tables: organization grades (社会组织等级, 1A–5A), the
evaluator agencies' declared relations and recusals (回避), yearly grade-evaluation cycles
with their indicator tables, scores, public notice (公示) and re-examination (复核), and
civil affairs' clearance decisions (清退). Sanctions (行政处罚 / 立案调查) live in the registry: market.orgs.models.Sanction.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market import policy
from market.accounts.models import EvaluatorAgency, User, enum_column
from market.clock import now
from market.models import Base
from market.orgs.models import Organization

# Grade validity (5 years) and the 3A+ priority grade are policy rules: policy.value(
# "grade_validity_years"), policy.value("priority_grade") (market/policy/rules.py).


def last_valid_day(valid_until: dt.date) -> dt.date:
    """The last day a grade is valid: ``valid_until`` is stored exclusive. Every page, export
    and message shows this one date for a grade's validity end (its one source of truth)."""
    return valid_until - dt.timedelta(days=1)


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
    # 更正 — a decision dated back before the day it is recorded; only a correction may be,
    # with its reason (audit-logged). Bids keep the grade known at their deadline anyway.
    correction: Mapped[bool] = mapped_column(Boolean, default=False)
    correction_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def last_day(self) -> dt.date:
        """The last day this grade is valid (``last_valid_day``)."""
        return last_valid_day(self.valid_until)


# 第三方评估机构的关联申报与回避 — evaluator agencies' declared relations and recusals.

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


# 等级评估 cycles.

POINTS = Numeric(7, 2)


class GradeCycle(Base):
    """One year's grade evaluation, with its reference date, notice length and grade
    thresholds (total points needed for 5A … 1A)."""

    __tablename__ = "eval_grade_cycles"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    reference_date: Mapped[dt.date] = mapped_column(Date)
    notice_days: Mapped[int] = mapped_column(
        Integer, default=lambda: policy.value("grade_notice_days"))
    threshold_5: Mapped[Decimal] = mapped_column(
        POINTS, default=lambda: policy.value("grade_threshold_5"))
    threshold_4: Mapped[Decimal] = mapped_column(
        POINTS, default=lambda: policy.value("grade_threshold_4"))
    threshold_3: Mapped[Decimal] = mapped_column(
        POINTS, default=lambda: policy.value("grade_threshold_3"))
    threshold_2: Mapped[Decimal] = mapped_column(
        POINTS, default=lambda: policy.value("grade_threshold_2"))
    threshold_1: Mapped[Decimal] = mapped_column(
        POINTS, default=lambda: policy.value("grade_threshold_1"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=now)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="cycle", order_by="Indicator.position", cascade="all, delete-orphan")
    evaluations: Mapped[list[GradeEvaluation]] = relationship(
        back_populates="cycle", order_by="GradeEvaluation.id")

    def thresholds(self) -> list[tuple[int, Decimal]]:
        return [(5, self.threshold_5), (4, self.threshold_4), (3, self.threshold_3),
                (2, self.threshold_2), (1, self.threshold_1)]


class Indicator(Base):
    """One row of the cycle's indicator table (评估指标), e.g. 基础条件 150 points."""

    __tablename__ = "eval_indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("eval_grade_cycles.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    max_points: Mapped[Decimal] = mapped_column(POINTS)

    cycle: Mapped[GradeCycle] = relationship(back_populates="indicators")


class EvaluationState(StrEnum):
    APPLIED = "applied"  # the organization applied
    ASSIGNED = "assigned"  # civil affairs assigned an agency; scoring (or re-scoring)
    SCORED = "scored"  # the agency proposed a grade
    NOTICE = "notice"  # 公示 published (the window itself is notice_ends_at)
    ANNOUNCED = "announced"  # the grade is recorded


class GradeEvaluation(Base):
    """One organization's grade evaluation in one cycle."""

    __tablename__ = "eval_grade_evaluations"
    __table_args__ = (UniqueConstraint("cycle_id", "organization_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("eval_grade_cycles.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    state: Mapped[EvaluationState] = mapped_column(enum_column(EvaluationState, 16),
                                                   default=EvaluationState.APPLIED)
    eligibility_reason: Mapped[str] = mapped_column(Text)
    applied_at: Mapped[dt.datetime] = mapped_column(default=now)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("evaluator_agencies.id"))
    assigned_at: Mapped[dt.datetime | None] = mapped_column()
    evaluator_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    total: Mapped[Decimal | None] = mapped_column(POINTS)
    proposed_grade: Mapped[int | None] = mapped_column(Integer)  # 0: no grade reached
    scored_at: Mapped[dt.datetime | None] = mapped_column()
    notice_starts_at: Mapped[dt.datetime | None] = mapped_column()
    notice_ends_at: Mapped[dt.datetime | None] = mapped_column()
    announced_at: Mapped[dt.datetime | None] = mapped_column()
    org_grade_id: Mapped[int | None] = mapped_column(ForeignKey("org_grades.id"))

    cycle: Mapped[GradeCycle] = relationship(back_populates="evaluations")
    organization: Mapped[Organization] = relationship()
    agency: Mapped[EvaluatorAgency | None] = relationship()
    evaluator: Mapped[User | None] = relationship()
    scores: Mapped[list[IndicatorScore]] = relationship(cascade="all, delete-orphan")
    reexaminations: Mapped[list[Reexamination]] = relationship(
        back_populates="evaluation", order_by="Reexamination.id")


class IndicatorScore(Base):
    __tablename__ = "eval_indicator_scores"
    __table_args__ = (UniqueConstraint("evaluation_id", "indicator_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("eval_grade_evaluations.id"),
                                               index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("eval_indicators.id"))
    points: Mapped[Decimal] = mapped_column(POINTS)

    indicator: Mapped[Indicator] = relationship()


class ReexamState(StrEnum):
    REQUESTED = "requested"
    UPHELD = "upheld"  # the agency re-scores
    REJECTED = "rejected"  # the proposed grade stands


class Reexamination(Base):
    """复核 — the organization contests its proposed grade during the public notice."""

    __tablename__ = "eval_reexaminations"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("eval_grade_evaluations.id"),
                                               index=True)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[ReexamState] = mapped_column(enum_column(ReexamState, 16),
                                               default=ReexamState.REQUESTED)
    requested_at: Mapped[dt.datetime] = mapped_column(default=now)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    evaluation: Mapped[GradeEvaluation] = relationship(back_populates="reexaminations")


# 清退 — clearance decisions.

class ClearanceReason(StrEnum):
    NEVER_EVALUATED = "never_evaluated"  # eligible three years, never graded
    LAPSED = "lapsed"  # graded long ago; expired or revoked, three years without grading
    NO_GRADE = "no_grade"  # took part and reached no grade


class ClearanceOutcome(StrEnum):
    CLEARED = "cleared"  # 清退
    KEPT = "kept"  # not cleared, with the reason why


class ClearanceDecision(Base):
    """Civil affairs' decision on one listing: cleared, or kept with the reason why."""

    __tablename__ = "clearance_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    reason: Mapped[ClearanceReason] = mapped_column(enum_column(ClearanceReason, 24))
    # Which occurrence of the reason was decided: the grade row, or the three-year period.
    reason_key: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[ClearanceOutcome] = mapped_column(enum_column(ClearanceOutcome, 16))
    note: Mapped[str] = mapped_column(Text)
    as_of: Mapped[dt.date] = mapped_column(Date)
    decided_at: Mapped[dt.datetime] = mapped_column(default=now)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    decided_by: Mapped[User] = relationship()
