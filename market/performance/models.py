"""绩效评价 — the performance room's tables: third-party evaluations of contract
milestones (pass or fail, written to the ledger, the payment gate) and the requests that
ask an agency for one."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market.accounts.models import EvaluatorAgency, User, enum_column
from market.catalogs.models import CatalogItem
from market.clock import now
from market.contracts.models import Contract, Milestone
from market.models import Base


class PerformanceEvaluation(Base):
    """绩效评估 — a third-party evaluation of a milestone, also written to the ledger."""

    __tablename__ = "contract_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("contract_milestones.id"), index=True)
    passed: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    report_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ledger_evaluation_id: Mapped[int] = mapped_column(Integer)

    recorded_by: Mapped[User] = relationship()


class RequestStatus(StrEnum):
    REQUESTED = "requested"  # waiting for an agency
    ASSIGNED = "assigned"  # the agency evaluates
    REPORTED = "reported"  # the report is in (passed or failed)
    CANCELLED = "cancelled"  # the contract ended first


REQUEST_STATUS_LABELS = {
    RequestStatus.REQUESTED: _l("Waiting for an evaluator agency"),
    RequestStatus.ASSIGNED: _l("Being evaluated"),
    RequestStatus.REPORTED: _l("Report submitted"),
    RequestStatus.CANCELLED: _l("Cancelled with the contract"),
}
OPEN = (RequestStatus.REQUESTED, RequestStatus.ASSIGNED)


class EvaluationRequest(Base):
    """A request for a milestone's performance evaluation, and the agency assigned to it."""

    __tablename__ = "performance_evaluation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("contract_milestones.id"), index=True)
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus, 16), index=True,
                                                  default=RequestStatus.REQUESTED)
    requested_at: Mapped[dt.datetime] = mapped_column(default=now)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("evaluator_agencies.id"),
                                                  index=True)
    assigned_at: Mapped[dt.datetime | None]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fee: Mapped[Decimal | None] = mapped_column(Money())
    fee_item_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_items.id"))
    fee_commit_txn_id: Mapped[int | None] = mapped_column(Integer)
    fee_payment_txn_id: Mapped[int | None] = mapped_column(Integer)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("contract_evaluations.id"))
    report: Mapped[str | None] = mapped_column(Text)

    contract: Mapped[Contract] = relationship()
    milestone: Mapped[Milestone] = relationship()
    agency: Mapped[EvaluatorAgency | None] = relationship()
    fee_item: Mapped[CatalogItem | None] = relationship()
    evaluation: Mapped[PerformanceEvaluation | None] = relationship()

    @property
    def code(self) -> str:
        """The fee's stable id in the ledger (its commitment account and link)."""
        return f"evaluation-{self.id}"
