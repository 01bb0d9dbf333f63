"""Tables of the evaluation (评标), the award (中标) and challenges (质疑).

An evaluation committee of experts (评审专家) scores the opened bids; the computed result
of each bid is stored once all have scored, so the award page shows exactly what the
department decided on, whatever is recorded later (a regrading, say).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market.accounts.models import User, enum_column
from market.clock import now
from market.models import Base
from market.orgs.models import Organization
from market.tenders.models import Bid, Tender

SCORE = Numeric(7, 2)


class Expert(Base):
    """One expert's seat on a tender's evaluation committee (评标委员会), drawn at random
    from the expert pool (``draw_id``: the draw that put it there, ``market.experts``)."""

    __tablename__ = "tender_experts"
    __table_args__ = (UniqueConstraint("tender_id", "expert_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[dt.datetime] = mapped_column(default=now)
    declared_at: Mapped[dt.datetime | None]  # declared no conflict with every bidder
    conflict_at: Mapped[dt.datetime | None]  # declared a conflict: off this tender
    conflict_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None]  # scores submitted, final
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("expert_draws.id"), index=True)
    pool_expert_id: Mapped[int | None] = mapped_column(ForeignKey("pool_experts.id"))
    declined_at: Mapped[dt.datetime | None]  # declined the seat: replaced by a redraw
    decline_reason: Mapped[str | None] = mapped_column(Text)

    tender: Mapped[Tender] = relationship()
    expert: Mapped[User] = relationship(foreign_keys=[expert_id])

    @property
    def active(self) -> bool:
        return self.conflict_at is None and self.declined_at is None


class Declaration(Base):
    """利益冲突声明 — an expert's declaration about one bidder."""

    __tablename__ = "tender_declarations"
    __table_args__ = (UniqueConstraint("expert_row_id", "bid_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_row_id: Mapped[int] = mapped_column(ForeignKey("tender_experts.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    conflict: Mapped[bool] = mapped_column(Boolean)
    declared_at: Mapped[dt.datetime] = mapped_column(default=now)


class Score(Base):
    """One expert's score of one bid on one technical criterion (0..weight)."""

    __tablename__ = "tender_scores"
    __table_args__ = (UniqueConstraint("expert_row_id", "bid_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_row_id: Mapped[int] = mapped_column(ForeignKey("tender_experts.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("tender_criteria.id"))
    score: Mapped[Decimal] = mapped_column(SCORE)


class BidResult(Base):
    """A bid's computed evaluation result (评审结果), stored when the last expert scores."""

    __tablename__ = "tender_bid_results"
    __table_args__ = (UniqueConstraint("tender_id", "bid_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    grade: Mapped[int] = mapped_column(Integer)  # at the bid deadline
    priority: Mapped[bool] = mapped_column(Boolean)  # 3A or above at the bid deadline
    valid: Mapped[bool] = mapped_column(Boolean)
    excluded_reason: Mapped[str | None] = mapped_column(String(40))
    criterion_scores: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id -> avg
    technical: Mapped[Decimal] = mapped_column(SCORE)
    price: Mapped[Decimal] = mapped_column(Money())
    evaluated_price: Mapped[Decimal] = mapped_column(Money())  # after a price deduction
    price_score: Mapped[Decimal] = mapped_column(SCORE)
    bonus: Mapped[Decimal] = mapped_column(SCORE)
    total: Mapped[Decimal] = mapped_column(SCORE)
    rank: Mapped[int | None] = mapped_column(Integer)
    # The same ranking with no 3A+ priority at all: shows what the priority changed.
    plain_total: Mapped[Decimal] = mapped_column(SCORE)
    plain_rank: Mapped[int | None] = mapped_column(Integer)

    bid: Mapped[Bid] = relationship()


class Award(Base):
    """中标 — the department's award decision. A revoked award (an upheld challenge) stays."""

    __tablename__ = "tender_awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    rank: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)  # required unless rank 1
    awarded_at: Mapped[dt.datetime] = mapped_column(default=now)
    awarded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    bid: Mapped[Bid] = relationship()

    @property
    def current(self) -> bool:
        return self.revoked_at is None


class PassOverReason(StrEnum):
    """Why a better-ranked bidder is passed over (递补的理由). The award follows the ranking
    (MOF Order No. 87, art. 68; Implementing Regulations of the Government Procurement Law,
    art. 43); the next candidate may be chosen only when the one above it is out
    (Implementing Regulations, art. 49)."""

    DECLINED = "declined"  # 放弃中标 — the bidder declined the award in writing
    NOT_SIGNED = "not_signed"  # 未在规定期限内签订合同 — did not sign within the legal period
    FALSE_MATERIAL = "false_material"  # 提供虚假材料 — found after opening to have given false material


class PassOver(Base):
    """递补记录 — one better-ranked bid passed over, with its coded reason and evidence.

    Recorded with the award that passes it over, or when the department withdraws an award
    from a winner that declined or did not sign (the tender is then awarded again). The
    evidence (a document or a reference to one) is required; the note only adds to it.
    """

    __tablename__ = "tender_award_passovers"
    __table_args__ = (UniqueConstraint("tender_id", "bid_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    rank: Mapped[int] = mapped_column(Integer)
    reason: Mapped[PassOverReason] = mapped_column(enum_column(PassOverReason, 20))
    evidence_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    evidence_reference: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    award_id: Mapped[int | None] = mapped_column(ForeignKey("tender_awards.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    bid: Mapped[Bid] = relationship()


class ChallengeStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # 质疑成立 — the award is reopened
    REJECTED = "rejected"  # 质疑不成立
    SUPERSEDED = "superseded"  # closed because another challenge reopened the award


class Challenge(Base):
    """质疑 — a bidder's challenge to an award, and the department's answer."""

    __tablename__ = "tender_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("tender_awards.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    grounds: Mapped[str] = mapped_column(Text)
    document_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=now)
    status: Mapped[ChallengeStatus] = mapped_column(enum_column(ChallengeStatus, 16),
                                                    default=ChallengeStatus.OPEN, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship()

    @property
    def closed(self) -> bool:
        return self.status != ChallengeStatus.OPEN
