"""Tendering (招标采购): tenders from catalog items, sealed bids, scoring, award, challenges.

State that follows from time is derived from timestamps, never flipped by a job: a tender
is closed for bids because ``now >= bid_deadline``, in Python and in SQL
(``hybrid_property``), so a missed job can never leave a late bid accepted.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String,
                        Text, UniqueConstraint, and_)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market import policy
from market.accounts.models import Department, User, enum_column
from market.catalogs.models import CatalogItem
from market.clock import now
from market.models import Base
from market.orgs.models import Organization

if TYPE_CHECKING:  # the contracts room owns it, and imports this module
    from market.contracts.models import Contract


class Procedure(StrEnum):
    OPEN = "open"  # 公开招标 — open tender, at least 3 valid bids
    NEGOTIATION = "negotiation"  # 竞争性磋商 — competitive negotiation, at least 2


# The policy rule giving each procedure's minimum of valid bids (market/policy/rules.py).
MIN_VALID_BIDS_RULE = {Procedure.OPEN: "tender_min_valid_bids_open",
                       Procedure.NEGOTIATION: "tender_min_valid_bids_negotiation"}


class PriorityRule(StrEnum):
    """How organizations graded 3A or above (3A以上社会组织) are preferred."""

    RESTRICTED = "restricted"  # only 3A+ may bid
    PRICE_DEDUCTION = "price_deduction"  # a 3A+ price counts X % lower when price is scored
    SCORE_BONUS = "score_bonus"  # Y points added to a 3A+ bid's total
    TIE_BREAK = "tie_break"  # 3A+ wins a tie


class TenderStatus(StrEnum):
    """Stored states. 'bids closed' and 'standstill over' are derived from timestamps."""

    DRAFT = "draft"
    PUBLISHED = "published"  # open for questions and bids until bid_deadline
    OPENED = "opened"  # bids opened at opening_time
    EVALUATED = "evaluated"  # all experts scored; ranking computed
    AWARDED = "awarded"  # standstill runs from awarded_at
    CONTRACTED = "contracted"
    CANCELLED = "cancelled"  # 终止 — with a reason, before award
    UNSUCCESSFUL = "unsuccessful"  # 流标 — fewer valid bids than the procedure's minimum


class Tender(Base):
    __tablename__ = "tenders"

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_items.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. KS-WJW-2026-001
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[Procedure] = mapped_column(enum_column(Procedure, 16))
    ceiling_price: Mapped[Decimal] = mapped_column(Money())
    eligible_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_grade: Mapped[int] = mapped_column(Integer, default=0)
    allow_filed: Mapped[bool] = mapped_column(Boolean, default=False)  # 备案 organizations
    # 基本合格 accepted for the previous year's annual inspection (default: 合格 required).
    accept_basic_pass_report: Mapped[bool] = mapped_column(Boolean, default=False)
    priority_rule: Mapped[PriorityRule] = mapped_column(enum_column(PriorityRule, 20))
    priority_value: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("0"))
    clarification_deadline: Mapped[dt.datetime]
    bid_deadline: Mapped[dt.datetime] = mapped_column(index=True)
    opening_time: Mapped[dt.datetime]
    standstill_days: Mapped[int] = mapped_column(
        Integer, default=lambda: policy.value("tender_standstill_days_default"))
    challenge_window_days: Mapped[int] = mapped_column(  # working days
        Integer, default=lambda: policy.value("tender_challenge_working_days_default"))
    status: Mapped[TenderStatus] = mapped_column(enum_column(TenderStatus, 16), index=True,
                                                 default=TenderStatus.DRAFT)
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by a material change
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    published_at: Mapped[dt.datetime | None]
    opened_at: Mapped[dt.datetime | None]
    awarded_at: Mapped[dt.datetime | None]
    standstill_ends_at: Mapped[dt.datetime | None]
    challenge_deadline: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_at: Mapped[dt.datetime | None]
    # The final tranche of every contract waits for a final performance evaluation
    # (终期绩效评价) unless the tender says otherwise, with this reason (published).
    final_evaluation_waiver: Mapped[str | None] = mapped_column(Text)

    catalog_item: Mapped[CatalogItem] = relationship()
    department: Mapped[Department] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="tender", order_by="Criterion.position", cascade="all, delete-orphan")
    # The contract signed from this tender, read only (contracts.tender_id is unique).
    contract: Mapped[Contract | None] = relationship("Contract", viewonly=True)

    @hybrid_property
    def bids_closed(self) -> bool:
        return now() >= self.bid_deadline

    @bids_closed.inplace.expression
    @classmethod
    def _bids_closed_expression(cls):
        return cls.bid_deadline <= now()

    @hybrid_property
    def questions_closed(self) -> bool:
        return now() >= self.clarification_deadline

    @questions_closed.inplace.expression
    @classmethod
    def _questions_closed_expression(cls):
        return cls.clarification_deadline <= now()

    @hybrid_property
    def openable(self) -> bool:
        return now() >= self.opening_time

    @openable.inplace.expression
    @classmethod
    def _openable_expression(cls):
        return cls.opening_time <= now()

    @hybrid_property
    def accepting_bids(self) -> bool:
        """Published and before the bid deadline: bids may be submitted, revised, withdrawn."""
        return self.status == TenderStatus.PUBLISHED and now() < self.bid_deadline

    @accepting_bids.inplace.expression
    @classmethod
    def _accepting_bids_expression(cls):
        return and_(cls.status == TenderStatus.PUBLISHED, cls.bid_deadline > now())

    @property
    def standstill_over(self) -> bool:
        return self.standstill_ends_at is not None and now() >= self.standstill_ends_at

    @property
    def is_opened(self) -> bool:
        """Bids were opened (at or after opening_time): their content is no longer sealed."""
        return self.opened_at is not None

    @property
    def phase(self) -> str:
        """What a reader sees: the stored status, refined by time (bids closed, standstill)."""
        if self.status == TenderStatus.PUBLISHED:
            if not self.bids_closed:
                return "open_for_questions" if not self.questions_closed else "open_for_bids"
            return "bids_closed"
        if self.status == TenderStatus.AWARDED and not self.standstill_over \
                and self.standstill_ends_at is not None:
            return "standstill"
        return self.status.value

    @property
    def price_criterion(self) -> Criterion | None:
        return next((c for c in self.criteria if c.is_price), None)



# The public list's order (newest first): its first page of 100,000 tenders reads 50 index
# entries instead of sorting every published tender (PostgreSQL, province data, EXPLAIN
# ANALYZE: a top-N sort over a seq scan, 134 ms -> an index scan, 0.6 ms).
Index("ix_tenders_published_order", Tender.published_at.desc(), Tender.id.desc())

class Criterion(Base):
    """An evaluation criterion (评分因素) with its weight; weights sum to 100."""

    __tablename__ = "tender_criteria"
    __table_args__ = (UniqueConstraint("tender_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    is_price: Mapped[bool] = mapped_column(Boolean, default=False)

    tender: Mapped[Tender] = relationship(back_populates="criteria")


class BidStatus(StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Bid(Base):
    """A sealed bid (密封投标). One row per organization and tender.

    Price and proposal are readable only by the bidder until the tender is opened; every
    read goes through ``market.tenders.sealed`` — never query these columns elsewhere.
    """

    __tablename__ = "bids"
    __table_args__ = (UniqueConstraint("tender_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[BidStatus] = mapped_column(enum_column(BidStatus, 16),
                                              default=BidStatus.SUBMITTED)
    price: Mapped[Decimal] = mapped_column(Money())
    proposal: Mapped[str] = mapped_column(Text)
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    receipt_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical content
    tender_version: Mapped[int] = mapped_column(Integer)  # the version the bidder confirmed
    submitted_at: Mapped[dt.datetime] = mapped_column(default=now)
    revised_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]
    reconfirmed_at: Mapped[dt.datetime | None]
    # Set when the tender is opened: counted as a valid bid, or why not.
    valid: Mapped[bool | None] = mapped_column(Boolean)
    invalid_reason: Mapped[str | None] = mapped_column(String(40))
    # The grade (0: none) and its validity (valid_until exclusive) that held at the bid
    # deadline: copied at each submission as the record then stood (shown to the bidder),
    # frozen at the opening from the decisions recorded by the deadline
    # (``grade_frozen_at``). Admission and the 3A+ priority read only the frozen copy.
    grade_at_deadline: Mapped[int | None] = mapped_column(Integer)
    grade_valid_from: Mapped[dt.date | None] = mapped_column(Date)
    grade_valid_until: Mapped[dt.date | None] = mapped_column(Date)
    grade_frozen_at: Mapped[dt.datetime | None]

    tender: Mapped[Tender] = relationship()
    submitted_by: Mapped[User] = relationship()
    organization: Mapped[Organization] = relationship()

    @property
    def live(self) -> bool:
        return self.status == BidStatus.SUBMITTED

    def needs_reconfirmation(self, tender: Tender | None = None) -> bool:
        tender = tender or self.tender
        return self.live and self.tender_version < tender.version


class Question(Base):
    """澄清 — a clarification question and the department's answer.

    Q&A is public; the asker (organization and user) is kept for the record only and is
    never shown to anyone, the department included.
    """

    __tablename__ = "tender_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[dt.datetime] = mapped_column(default=now)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    tender: Mapped[Tender] = relationship()


class TenderChange(Base):
    """更正公告 — a material change to a published tender, which bumps its version."""

    __tablename__ = "tender_changes"
    __table_args__ = (UniqueConstraint("tender_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the version this change produced
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=now)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The change can affect how bids are prepared (影响投标文件编制): any changed term
    # other than the deadlines themselves (tender_services.PREPARATION_FIELDS).
    affects_bids: Mapped[bool] = mapped_column(Boolean, default=False)
    # Made too close to the bid deadline, the change moved it (顺延): from this time.
    deadline_moved_from: Mapped[dt.datetime | None]
    deadline_moved_to: Mapped[dt.datetime | None]


class Notification(Base):
    """An in-app notice to an organization (or one user). Emails are not sent.

    ``kind`` and ``params`` are rendered in the reader's language (see notifications.py).
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"),
                                                        index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    tender_id: Mapped[int | None] = mapped_column(ForeignKey("tenders.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    read_at: Mapped[dt.datetime | None]


class CalendarDay(Base):
    """工作日历 — an exception to Monday–Friday: a holiday on a weekday, or a weekend
    workday (调休). Kept by the platform operator (civil affairs)."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")
