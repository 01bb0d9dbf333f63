"""Tables of the expert pool (专家库) and of the random draws (随机抽取) made from it.

An expert in the pool (``PoolExpert``, 入库评审专家) is a user account with the expert role,
kept by civil affairs with the specialties (专业类别) it may review, its employer
(工作单位: free text, and the organization or department it names when it is one of the
platform's) and the periods it cannot serve (``Unavailability``, 不能参加评审的期间). An
expert may declare a standing conflict of interest (``StandingConflict``, 利益冲突) with an
organization.

A ``Draw`` (抽取记录) is generic over what is reviewed (``subject_kind``/``subject_id``: a
tender's evaluation committee, later a grant's reviewers): it keeps the pool snapshot, the
random seed, the exclusions with their reasons and the experts drawn, so an auditor can
replay it (``market.experts.draws.draw``). Each replacement (an expert declines or
declares a conflict) is a ``DrawStep`` with its reason and the committee it left.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Department, User
from market.clock import now
from market.models import Base
from market.orgs.models import Organization


class Specialty(StrEnum):
    """The pool's code list of specialties (专业类别)."""

    ELDERLY_CARE = "elderly_care"  # 养老服务
    CHILD_WELFARE = "child_welfare"  # 儿童福利与未成年人保护
    DISABILITY = "disability"  # 助残服务
    COMMUNITY_GOVERNANCE = "community_governance"  # 社区治理
    SOCIAL_WORK = "social_work"  # 社会工作
    HEALTH = "health"  # 卫生健康
    EDUCATION = "education"  # 教育培训
    LEGAL = "legal"  # 法律
    FINANCE = "finance"  # 财务会计
    PROJECT_EVALUATION = "project_evaluation"  # 项目评估


class Exclusion(StrEnum):
    """Why an expert of the pool snapshot was not drawn (回避或不能参加的原因)."""

    DEPARTMENT_STAFF = "department_staff"  # works for the purchasing department
    EMPLOYER_PARTY = "employer_party"  # employed by a party (a bidder)
    DECLARED_CONFLICT = "declared_conflict"  # a standing declared conflict with a party
    UNAVAILABLE = "unavailable"  # an unavailable period covers the review day
    DECLINED = "declined"  # drawn, then declined (a replacement step)
    CONFLICT_AT_SEAT = "conflict_at_seat"  # drawn, then declared a conflict (a step)


class PoolExpert(Base):
    """入库评审专家 — one expert of the pool, linked to its user account."""

    __tablename__ = "pool_experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    title: Mapped[str] = mapped_column(String(100), default="")  # 职称, e.g. 高级社工师
    employer_name: Mapped[str] = mapped_column(String(200), default="")
    employer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    employer_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now)

    user: Mapped[User] = relationship()
    employer_org: Mapped[Organization | None] = relationship()
    employer_department: Mapped[Department | None] = relationship()

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def employer(self) -> str:
        if self.employer_org is not None:
            return self.employer_org.name
        if self.employer_department is not None:
            return self.employer_department.name_zh
        return self.employer_name


class Unavailability(Base):
    """A period (both days included) in which the expert cannot serve."""

    __tablename__ = "pool_expert_unavailability"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("pool_experts.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class StandingConflict(Base):
    """A conflict of interest the expert declared with an organization, in force for
    every draw until withdrawn."""

    __tablename__ = "pool_expert_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("pool_experts.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[dt.datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship()


class Draw(Base):
    """抽取记录 — one random draw of reviewers for one subject, replayable."""

    __tablename__ = "expert_draws"
    __table_args__ = (Index("ix_expert_draws_subject", "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(32))  # e.g. "tender"
    subject_id: Mapped[int] = mapped_column(Integer)
    specialty: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)  # experts drawn
    members_total: Mapped[int] = mapped_column(Integer)  # with the owner's representatives
    representative_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # user ids
    review_on: Mapped[dt.date] = mapped_column(Date)  # the day availability was checked for
    seed: Mapped[str] = mapped_column(String(64))
    pool: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{id, name, employer}]
    exclusions: Mapped[dict] = mapped_column(JSON, default=dict)  # str(expert id) -> reason
    result: Mapped[list[int]] = mapped_column(JSON, default=list)  # expert ids, drawn order
    drawn_at: Mapped[dt.datetime] = mapped_column(default=now)
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    drawn_by: Mapped[User] = relationship()
    steps: Mapped[list[DrawStep]] = relationship(order_by="DrawStep.seq")

    @property
    def current(self) -> list[int]:
        """The committee's experts now: the last step's result, or the first draw's."""
        return list(self.steps[-1].result) if self.steps else list(self.result)


class DrawStep(Base):
    """A replacement (补抽): one drawn expert out, for a recorded reason, and the
    committee it left (the draw again with that expert excluded)."""

    __tablename__ = "expert_draw_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    draw_id: Mapped[int] = mapped_column(ForeignKey("expert_draws.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    expert_id: Mapped[int] = mapped_column(Integer)  # the pool expert replaced
    reason: Mapped[str] = mapped_column(String(32))  # an Exclusion value
    note: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[list[int]] = mapped_column(JSON, default=list)
    replacement_id: Mapped[int | None] = mapped_column(Integer)  # None: the pool ran out
    at: Mapped[dt.datetime] = mapped_column(default=now)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
