"""Incubation bases (社会组织培育基地), the organizations they host, their yearly
evaluations and the rewards paid after a passing one (以奖代补)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, \
    UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market.accounts.models import Town, User, enum_column
from market.catalogs.models import CatalogItem
from market.clock import now
from market.models import Base
from market.orgs.models import Organization


class BaseLevel(StrEnum):
    CITY = "city"  # 市级培育基地
    TOWN = "town"  # 区镇（街道）级培育基地


class BaseService(StrEnum):
    """What a base offers the organizations it hosts (场地、资金、能力支持)."""

    SPACE = "space"  # 场地
    FUNDS = "funds"  # 资金
    TRAINING = "training"  # 能力建设培训
    MENTORING = "mentoring"  # 咨询指导
    REGISTRATION = "registration"  # 登记（备案）协助
    NETWORKING = "networking"  # 资源对接


class RewardStatus(StrEnum):
    PROPOSED = "proposed"  # 拟奖励 — waiting for payment
    PAID = "paid"  # 已拨付
    CANCELLED = "cancelled"  # 已撤销


class IncubationBase(Base):
    """培育基地 — a city- or town-level base run by a registered organization."""

    __tablename__ = "incubation_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[BaseLevel] = mapped_column(enum_column(BaseLevel, 16))
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"))  # town-level only
    operator_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    capacity: Mapped[int] = mapped_column(Integer)  # organizations hosted at one time
    services: Mapped[list[str]] = mapped_column(JSON, default=list)  # BaseService values
    opened_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    town: Mapped[Town | None] = relationship()
    operator: Mapped[Organization] = relationship()
    residencies: Mapped[list[Residency]] = relationship(
        back_populates="base", order_by="Residency.admitted_on, Residency.id")
    evaluations: Mapped[list[BaseEvaluation]] = relationship(
        back_populates="base", order_by="BaseEvaluation.year.desc()")
    rewards: Mapped[list[Reward]] = relationship(
        back_populates="base", order_by="Reward.year.desc(), Reward.id")

    @property
    def residents(self) -> list[Residency]:
        return [r for r in self.residencies if r.graduated_on is None]

    @property
    def graduates(self) -> list[Residency]:
        return [r for r in self.residencies if r.graduated_on is not None]

    @property
    def free_places(self) -> int:
        return max(self.capacity - len(self.residents), 0)


class Residency(Base):
    """入驻 — an organization hosted by a base, until it graduates (出壳)."""

    __tablename__ = "incubation_residencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("incubation_bases.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    admitted_on: Mapped[dt.date] = mapped_column(Date)
    graduated_on: Mapped[dt.date | None] = mapped_column(Date)
    admitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    graduated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    base: Mapped[IncubationBase] = relationship(back_populates="residencies")
    organization: Mapped[Organization] = relationship()


class BaseEvaluation(Base):
    """年度评估 — a base's yearly evaluation, recorded by civil affairs."""

    __tablename__ = "incubation_evaluations"
    __table_args__ = (UniqueConstraint("base_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("incubation_bases.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    evaluator: Mapped[str] = mapped_column(String(200))
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    base: Mapped[IncubationBase] = relationship(back_populates="evaluations")


class Reward(Base):
    """以奖代补 — a reward for a base's passing year, paid from a civil-affairs budget line."""

    __tablename__ = "incubation_rewards"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("incubation_bases.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("incubation_evaluations.id"))
    catalog_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_items.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[RewardStatus] = mapped_column(enum_column(RewardStatus, 16),
                                                 default=RewardStatus.PROPOSED)
    proposed_at: Mapped[dt.datetime] = mapped_column(default=now)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[dt.datetime | None] = mapped_column()
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    commit_txn_id: Mapped[int | None] = mapped_column(Integer)
    pay_txn_id: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column()
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    base: Mapped[IncubationBase] = relationship(back_populates="rewards")
    evaluation: Mapped[BaseEvaluation] = relationship()
    catalog_item: Mapped[CatalogItem] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])

    @property
    def code(self) -> str:
        """The ledger's unit for this reward (its committed account)."""
        return f"incubation-{self.base_id}-{self.year}-r{self.id}"
