"""Tables of venture philanthropy (公益创投): rounds (创投活动) and applications (申报).

A ``GrantRound`` is funded from one approved catalog item of its department (usually
civil affairs) and keeps its own rules as data: the review criteria with weights, the
extra application questions (a small form builder: ``questions``), the tranche schedule
and the reporting dates. A ``GrantApplication`` (申报项目) is one organization's proposal
to a round, with budget lines, the answers to the round's questions and attachments.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market.accounts.models import Department, Town, User, enum_column
from market.catalogs.models import CatalogItem
from market.clock import now
from market.models import Base
from market.orgs.models import Organization


class RoundStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    PUBLISHED = "published"  # 已发布


class PriorityMode(StrEnum):
    """How 3A+ organizations are given priority in a round (3A级及以上优先)."""

    SCORE_BONUS = "score_bonus"  # 评审加分
    RESERVED_SHARE = "reserved_share"  # 资金池预留份额


class QuestionKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    CHOICE = "choice"
    FILE = "file"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交
    WITHDRAWN = "withdrawn"  # 已撤回
    # Screening (资格审查) by civil affairs, with a recorded reason either way:
    ELIGIBLE = "eligible"  # 通过资格审查 — goes to review
    INELIGIBLE = "ineligible"  # 未通过资格审查
    # The decision (立项决定) on a reviewed application:
    FUNDED = "funded"  # 获资助 — its grant is reserved in the ledger
    NOT_FUNDED = "not_funded"  # 未获资助 — with the reason the applicant sees


class GrantRound(Base):
    """创投活动 — one call for proposals, funded from one catalog item."""

    __tablename__ = "grant_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("catalog_items.id"), index=True)
    status: Mapped[RoundStatus] = mapped_column(enum_column(RoundStatus),
                                                default=RoundStatus.DRAFT)
    pool: Mapped[Decimal] = mapped_column(Money())  # 资金池
    cap: Mapped[Decimal] = mapped_column(Money())  # 单个项目资助上限
    min_self_share: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # 自筹比例下限 (%)
    eligible_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_grade: Mapped[int] = mapped_column(Integer, default=0)
    priority_mode: Mapped[PriorityMode] = mapped_column(enum_column(PriorityMode))
    priority_value: Mapped[Decimal] = mapped_column(Numeric(6, 2))  # points, or % of pool
    startups_without_grade: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[dt.datetime]
    closes_at: Mapped[dt.datetime]
    reviewers_per_application: Mapped[int] = mapped_column(Integer)
    criteria: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{name, weight}]
    questions: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{key, kind, ...}]
    tranches: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{stage, percent}]
    reporting_dates: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    department: Mapped[Department] = relationship()
    item: Mapped[CatalogItem] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def fiscal_year(self) -> int:
        return self.item.catalog.fiscal_year

    def is_open(self, at: dt.datetime) -> bool:
        """Open from ``opens_at`` (included) to ``closes_at`` (excluded)."""
        return (self.status == RoundStatus.PUBLISHED and self.opens_at <= at
                and at < self.closes_at)


class GrantApplication(Base):
    """申报 — one organization's proposal to a round."""

    __tablename__ = "grant_applications"
    __table_args__ = (Index("ix_grant_applications_round_org", "round_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus),
                                                      default=ApplicationStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    beneficiaries: Mapped[str] = mapped_column(Text)  # 受益对象
    beneficiary_count: Mapped[int] = mapped_column(Integer)
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"))
    budget_lines: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{item, amount}]
    requested: Mapped[Decimal] = mapped_column(Money())  # 申请资助金额
    self_raised: Mapped[Decimal] = mapped_column(Money())  # 自筹资金
    self_raised_source: Mapped[str] = mapped_column(Text)
    timeline: Mapped[str] = mapped_column(Text)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question key -> answer
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]

    round: Mapped[GrantRound] = relationship()
    organization: Mapped[Organization] = relationship()
    town: Mapped[Town] = relationship()

    @property
    def total(self) -> Decimal:
        return self.requested + self.self_raised

    @property
    def lines(self) -> list[tuple[str, Decimal]]:
        """The budget lines (预算明细) with their amounts as Decimals."""
        return [(line["item"], Decimal(line["amount"])) for line in self.budget_lines or []]


# --- screening and review (issue 11, part 3) ----------------------------------------------

class ScreeningReason(StrEnum):
    """Why an application did (not) pass screening (资格审查意见)."""

    MEETS_REQUIREMENTS = "meets_requirements"  # 符合申报条件
    CATEGORY = "category"  # 机构类别不符
    GRADE = "grade"  # 等级不符合要求
    STANDING = "standing"  # 登记或存续状态异常
    OUT_OF_SCOPE = "out_of_scope"  # 项目不属于本次创投方向
    BUDGET = "budget"  # 预算编制不符合要求
    INCOMPLETE = "incomplete"  # 申报材料不完整
    OTHER = "other"  # 其他


class GrantScreening(Base):
    """资格审查 — civil affairs' screening of one application, the latest outcome (every
    screening and re-screening is in the audit log)."""

    __tablename__ = "grant_screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"),
                                                unique=True)
    eligible: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[ScreeningReason] = mapped_column(enum_column(ScreeningReason))
    note: Mapped[str] = mapped_column(Text, default="")
    screened_at: Mapped[dt.datetime] = mapped_column(default=now)
    screened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    application: Mapped[GrantApplication] = relationship()


class GrantReviewer(Base):
    """评审专家席位 — one expert drawn to review one application. The expert first declares
    (利益冲突声明) no conflict, then scores each criterion of the round (``scores``:
    [{"score": 0–100, "comment": ...}] in the criteria's order), saved until submitted.
    A declared conflict takes the seat out (``active`` False) and a redraw fills it."""

    __tablename__ = "grant_reviewers"
    __table_args__ = (Index("ix_grant_reviewers_user", "user_id", "application_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"),
                                                index=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("expert_draws.id"))
    pool_expert_id: Mapped[int] = mapped_column(ForeignKey("pool_experts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    declared_at: Mapped[dt.datetime | None]
    conflict: Mapped[bool | None] = mapped_column(Boolean)  # None until declared
    conflict_note: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[list[dict]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[dt.datetime | None]
    assigned_at: Mapped[dt.datetime] = mapped_column(default=now)

    application: Mapped[GrantApplication] = relationship()
    user: Mapped[User] = relationship()

    @property
    def may_score(self) -> bool:
        return self.active and self.conflict is False and self.submitted_at is None
