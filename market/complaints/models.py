"""Complaints and reports from the public (投诉举报), from filing to the public outcome."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.accounts.models import Department, enum_column
from market.clock import now
from market.models import Base


class SubjectKind(StrEnum):
    """What a complaint is about; the subject is (kind, id) and must be public."""

    ORGANIZATION = "organization"  # 社会组织
    TENDER = "tender"  # 招标采购项目
    CONTRACT = "contract"  # 合同
    PAYMENT = "payment"  # 付款节点 (a paid milestone)


class ComplaintStatus(StrEnum):
    FILED = "filed"  # 已受理 — waiting for civil affairs to route it
    ROUTED = "routed"  # 已转办 — with the responsible department (or civil affairs itself)
    ANSWERED = "answered"  # 已办结 — outcome and finding recorded, public
    DISMISSED = "dismissed"  # 不予受理 — out of scope, with a reason


class Outcome(StrEnum):
    UPHELD = "upheld"  # 成立
    PARTLY_UPHELD = "partly_upheld"  # 部分成立
    NOT_UPHELD = "not_upheld"  # 不成立


OPEN_STATUSES = (ComplaintStatus.FILED, ComplaintStatus.ROUTED)


class Complaint(Base):
    """投诉举报 — one complaint. The complainant is known only by the optional contact;
    the tracking code is kept as its SHA-256 (shown once, to the one who filed)."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)
    subject_kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind, 16))
    subject_id: Mapped[int] = mapped_column(Integer)
    # The subject's public name when filed (a tender's title, an organization's name ...)
    subject_title: Mapped[str] = mapped_column(String(300))
    # The organization complained about (organization subjects): what credit records read
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"),
                                                        index=True)
    # The department the subject belongs to (tender, contract, payment): routing's default
    subject_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    text: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[ComplaintStatus] = mapped_column(
        enum_column(ComplaintStatus, 16), index=True, default=ComplaintStatus.FILED)
    filed_at: Mapped[dt.datetime] = mapped_column(default=now)
    due_at: Mapped[dt.datetime]  # end of the last working day to answer it
    # Routing: a department, or none when civil affairs handles it itself
    routed_at: Mapped[dt.datetime | None]
    routed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    dismissal_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, 16))
    finding: Mapped[str | None] = mapped_column(Text)

    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    subject_department: Mapped[Department | None] = relationship(
        foreign_keys=[subject_department_id])

    @property
    def anonymous(self) -> bool:
        return not (self.contact_name or self.contact_phone)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, moment: dt.datetime) -> bool:
        return self.is_open and moment > self.due_at
