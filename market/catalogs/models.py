"""Annual purchase catalogs (年度政府购买服务目录) and their items.

A department drafts one catalog per fiscal year; the finance bureau approves it, which
appropriates every item's budget in the ledger (费随事转: funds follow the tasks).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint

from ledger.types import Money
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Department, User, enum_column
from market.clock import now
from market.models import Base




class CatalogStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # 退回 — finance sent it back with reasons
    APPROVED = "approved"


class ServiceCategory(StrEnum):
    """Kinds of public service a department may buy."""

    ELDERLY = "elderly"
    DISABILITY = "disability"
    CHILDREN_YOUTH = "children_youth"
    COMMUNITY = "community"
    HEALTH = "health"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    LEGAL_AID = "legal_aid"
    CULTURE_SPORTS = "culture_sports"
    EVALUATION = "evaluation"  # third-party evaluation services
    OTHER = "other"


class Catalog(Base):
    __tablename__ = "catalogs"
    __table_args__ = (UniqueConstraint("department_id", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[CatalogStatus] = mapped_column(enum_column(CatalogStatus),
                                                  default=CatalogStatus.DRAFT)
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    submitted_at: Mapped[dt.datetime | None]
    approved_at: Mapped[dt.datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    department: Mapped[Department] = relationship()
    approved_by: Mapped[User | None] = relationship()
    items: Mapped[list[CatalogItem]] = relationship(
        back_populates="catalog", order_by="CatalogItem.position", cascade="all, delete-orphan")

    @property
    def editable(self) -> bool:
        return self.status in (CatalogStatus.DRAFT, CatalogStatus.RETURNED)

    @property
    def total_budget(self) -> Decimal:
        return sum((i.budget for i in self.items), Decimal("0.00"))


class CatalogItem(Base):
    """One service the department will buy this year, with its budget."""

    __tablename__ = "catalog_items"
    __table_args__ = (UniqueConstraint("catalog_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("catalogs.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable: ledger account code
    service_category: Mapped[ServiceCategory] = mapped_column(enum_column(ServiceCategory))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    unit: Mapped[str] = mapped_column(String(40))
    budget: Mapped[Decimal] = mapped_column(Money())
    # Organization categories that may take this service (values of the orgs category enum).
    eligible_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_grade: Mapped[int] = mapped_column(Integer, default=0)  # 0 = no grade needed; 3 = 3A+
    # 采购意向 — the procurement intention (MOF notice 财库〔2020〕10号): the project is the
    # item's title and the budget its budget; the department writes the needs in brief and
    # the expected month of purchase, and publishes it. Tenders wait for it (policy
    # ``intention_public_days``) counted from ``intention_published_at``; editing the text
    # later keeps that date and sets ``intention_updated_at``.
    intention_needs: Mapped[str | None] = mapped_column(Text)
    intention_month: Mapped[dt.date | None]  # the first day of the expected month
    intention_published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    intention_updated_at: Mapped[dt.datetime | None]

    catalog: Mapped[Catalog] = relationship(back_populates="items")

    @property
    def intention_published(self) -> bool:
        return self.intention_published_at is not None


class BudgetAmendment(Base):
    """预算调整 — finance raises or lowers an approved item's budget."""

    __tablename__ = "catalog_amendments"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("catalog_items.id"), index=True)
    old_budget: Mapped[Decimal] = mapped_column(Money())
    new_budget: Mapped[Decimal] = mapped_column(Money())
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ledger_txn_id: Mapped[int | None] = mapped_column(Integer)

    item: Mapped[CatalogItem] = relationship()
    by: Mapped[User] = relationship()


class FiscalYearClose(Base):
    """决算 — the fiscal year is closed and what was still available has lapsed."""

    __tablename__ = "fiscal_year_closes"
    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    lapsed_total: Mapped[Decimal] = mapped_column(Money())
