"""合同 — contracts signed from awards, their payment schedule (milestones), deliverables,
performance evaluations and payments.

Money follows the ledger: signing commits the contract amount, each milestone payment
moves its amount to expense, termination releases what is left (see market/funds.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market.accounts.models import Department, enum_column
from market.catalogs.models import CatalogItem
from market.clock import now
from market.models import Base
from market.orgs.models import Organization
from market.tenders.models import Tender

if TYPE_CHECKING:  # the performance room owns it, and imports this module
    from market.performance.models import PerformanceEvaluation


class ContractStatus(StrEnum):
    ACTIVE = "active"  # 履行中
    COMPLETED = "completed"  # 已结清 — every milestone paid
    TERMINATED = "terminated"  # 已终止 — what was left is released


class TerminationFault(StrEnum):
    """Whose fault a termination (终止/解除合同) was; a fault of the organization goes into its
    credit record (信用记录, ``market.credit``)."""

    ORGANIZATION = "organization"  # 承接主体过错 — breach by the organization
    PURCHASER = "purchaser"  # 购买主体原因 — the department's side
    FORCE_MAJEURE = "force_majeure"  # 不可抗力


class MilestoneStatus(StrEnum):
    PENDING = "pending"  # waiting for the organization's deliverables
    SUBMITTED = "submitted"  # deliverables submitted, waiting for the department
    ACCEPTED = "accepted"  # accepted; waiting for finance (and the evaluation, if gated)
    PAID = "paid"
    CANCELLED = "cancelled"  # the contract was terminated before it was paid


class Contract(Base):
    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), unique=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("tender_awards.id"))
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    catalog_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_items.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[ContractStatus] = mapped_column(enum_column(ContractStatus, 16), index=True,
                                                   default=ContractStatus.ACTIVE)
    signed_at: Mapped[dt.datetime] = mapped_column(default=now)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None]
    termination_reason: Mapped[str | None] = mapped_column(Text)
    # Whose fault the termination was (None for contracts terminated before it was asked).
    termination_fault: Mapped[TerminationFault | None] = mapped_column(
        enum_column(TerminationFault, 16))
    released: Mapped[Decimal | None] = mapped_column(Money())

    # The written contract (书面合同, 政府购买服务管理办法 第二十三条): what it states besides
    # the parties, the price and the payment schedule. Nullable for contracts signed before
    # the written contract existed.
    service_content: Mapped[str | None] = mapped_column(Text)  # 服务内容
    service_quantity: Mapped[str | None] = mapped_column(Text)  # 服务数量
    quality_standard: Mapped[str | None] = mapped_column(Text)  # 质量标准
    evaluation_method: Mapped[str | None] = mapped_column(Text)  # 绩效评价方式
    liabilities: Mapped[str | None] = mapped_column(Text)  # 违约责任
    term_start: Mapped[dt.date | None] = mapped_column(Date)  # 履行期限
    term_end: Mapped[dt.date | None] = mapped_column(Date)
    # Set when the department marks the service as meeting the conditions for a term over
    # one year (第二十四条: stable content, continuity, secured funding, stable prices).
    long_term_reason: Mapped[str | None] = mapped_column(Text)
    # The generated PDF (a document of owner type CONTRACT) and its SHA-256.
    pdf_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    # 签章确认 — the organization's countersignature; the contract takes effect then.
    accepted_at: Mapped[dt.datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # 合同公告 — published on the public contract page (automatically on acceptance).
    published_at: Mapped[dt.datetime | None]

    tender: Mapped[Tender] = relationship()
    organization: Mapped[Organization] = relationship()
    department: Mapped[Department] = relationship()
    catalog_item: Mapped[CatalogItem] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="contract", order_by="Milestone.number", cascade="all, delete-orphan")

    @property
    def code(self) -> str:
        """The contract's stable id in the ledger (its link and account code)."""
        return f"contract-{self.id}"

    @property
    def number(self) -> str:
        """合同编号 — the number printed on the written contract."""
        return f"{self.tender.reference}-HT{self.id:04d}"

    @property
    def written(self) -> bool:
        """Whether the contract has its generated PDF (older contracts may not)."""
        return self.pdf_sha256 is not None

    @property
    def in_effect(self) -> bool:
        """Accepted (countersigned) by the organization: it binds both parties."""
        return self.accepted_at is not None

    @property
    def paid(self) -> Decimal:
        return sum((m.amount for m in self.milestones if m.status == MilestoneStatus.PAID),
                   Decimal("0.00"))


class Milestone(Base):
    """付款节点 — one tranche of the payment schedule."""

    __tablename__ = "contract_milestones"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3...
    title: Mapped[str] = mapped_column(String(200))
    percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    amount: Mapped[Decimal] = mapped_column(Money())
    due_date: Mapped[dt.date] = mapped_column(Date)
    needs_evaluation: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MilestoneStatus] = mapped_column(enum_column(MilestoneStatus, 16),
                                                    default=MilestoneStatus.PENDING)
    paid_at: Mapped[dt.datetime | None]
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ledger_txn_id: Mapped[int | None] = mapped_column(Integer)

    contract: Mapped[Contract] = relationship(back_populates="milestones")
    submissions: Mapped[list[Submission]] = relationship(order_by="Submission.id")
    evaluations: Mapped[list[PerformanceEvaluation]] = relationship(
        order_by="PerformanceEvaluation.id")

    @property
    def gate(self) -> str | None:
        """The evaluation subject this tranche waits for in the ledger, if gated."""
        return f"contract-{self.contract_id}/m{self.number}" if self.needs_evaluation else None

    @property
    def evaluation_passed(self) -> bool:
        """The gate follows the latest evaluation: a later fail closes what a pass opened."""
        latest = self.latest_evaluation
        return latest is not None and latest.passed

    @property
    def latest_evaluation(self) -> PerformanceEvaluation | None:
        return max(self.evaluations, key=lambda e: e.id, default=None)


class Submission(Base):
    """交付成果 — deliverables the organization submitted for a milestone, and the decision."""

    __tablename__ = "contract_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("contract_milestones.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=now)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accepted: Mapped[bool | None] = mapped_column(Boolean)  # None: not decided yet
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
