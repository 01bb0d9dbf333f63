"""社会组织登记与备案 — the organization registry's tables."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (Boolean, Date, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.types import Money
from market.accounts.models import Town, User, enum_column
from market.clock import now
from market.documents.models import Document
from market.models import Base
from market.orgs.enums import (ApplicationState, Category, InspectionResult, LegalForm,
                               OrgStatus, Track)

# Exact on every backend (SQLite's NUMERIC would store floats).
MONEY = Money()


class Organization(Base):
    """社会组织 — one registered (登记) or filed (备案) organization, from its application on.

    The row exists from the first application (status ``pending``); what the applicant
    entered lives here and is corrected here when an application is returned.
    """

    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    track: Mapped[Track] = mapped_column(enum_column(Track, 16))
    legal_form: Mapped[LegalForm | None] = mapped_column(enum_column(LegalForm))
    category: Mapped[Category] = mapped_column(enum_column(Category), index=True)
    industry_code: Mapped[str | None] = mapped_column(String(5))  # GB/T 4754, industry only
    town_id: Mapped[int] = mapped_column(ForeignKey("towns.id"), index=True)
    legal_representative: Mapped[str] = mapped_column(String(100))  # 法定代表人 / 负责人
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(40))
    office_address: Mapped[str] = mapped_column(String(300))  # 独立办公场所
    bank_name: Mapped[str | None] = mapped_column(String(100))  # 独立银行账户
    bank_account: Mapped[str | None] = mapped_column(String(40))
    supervising_unit: Mapped[str | None] = mapped_column(String(200))  # 业务主管单位
    no_official_declared: Mapped[bool] = mapped_column(Boolean, default=False)  # 无领导干部兼职
    party_org_established: Mapped[bool] = mapped_column(Boolean, default=False)  # 双推双报
    status: Mapped[OrgStatus] = mapped_column(enum_column(OrgStatus, 16), index=True,
                                              default=OrgStatus.PENDING)
    status_reason: Mapped[str | None] = mapped_column(Text)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)  # 登记（备案）日期
    created_at: Mapped[dt.datetime] = mapped_column(default=now)

    town: Mapped[Town] = relationship()
    applications: Mapped[list[Application]] = relationship(
        back_populates="organization", order_by="Application.id")
    annual_reports: Mapped[list[AnnualReport]] = relationship(
        back_populates="organization", order_by="AnnualReport.year.desc()")

    @property
    def is_filed(self) -> bool:
        return self.track == Track.FILED

    @property
    def latest_application(self) -> Application | None:
        return self.applications[-1] if self.applications else None


class Application(Base):
    """A registration (登记) or filing (备案) application: one review case per submission
    round; a returned application is corrected and resubmitted as the same case."""

    __tablename__ = "org_applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    track: Mapped[Track] = mapped_column(enum_column(Track, 16))
    state: Mapped[ApplicationState] = mapped_column(enum_column(ApplicationState, 16),
                                                    index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # 业务主管单位前置审批文件 — required for the "other" category.
    prior_approval_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=now)
    submissions: Mapped[int] = mapped_column(Integer, default=1)
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship(back_populates="applications")
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    prior_approval: Mapped[Document | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.state in (ApplicationState.SUBMITTED, ApplicationState.RETURNED)


class AnnualReport(Base):
    """年度报告 / 年检 — one per organization per year, with the financial audit report."""

    __tablename__ = "org_annual_reports"
    __table_args__ = (UniqueConstraint("organization_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    income: Mapped[Decimal] = mapped_column(MONEY)
    expenditure: Mapped[Decimal] = mapped_column(MONEY)
    net_assets: Mapped[Decimal] = mapped_column(MONEY)
    staff_count: Mapped[int] = mapped_column(Integer)
    party_org_established: Mapped[bool] = mapped_column(Boolean, default=False)
    party_building: Mapped[str | None] = mapped_column(Text)  # 党组织发挥作用情况
    audit_report_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=now)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[InspectionResult | None] = mapped_column(enum_column(InspectionResult, 16))
    result_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship(back_populates="annual_reports")
    audit_report: Mapped[Document] = relationship()


class DepartureAudit(Base):
    """法定代表人离任审计 — the audit when a legal representative leaves office."""

    __tablename__ = "org_departure_audits"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    outgoing_representative: Mapped[str] = mapped_column(String(100))
    incoming_representative: Mapped[str] = mapped_column(String(100))
    departure_date: Mapped[dt.date] = mapped_column(Date)
    audit_report_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organization: Mapped[Organization] = relationship()
    audit_report: Mapped[Document] = relationship()


class Sanction(Base):
    """行政处罚 / 违法记录 — a sanction imposed on an organization by an authority (civil
    affairs, tax, market regulation …), as recorded by civil affairs.

    In force from ``imposed_on`` through ``ends_on`` (inclusive; empty: open-ended) unless
    lifted earlier (``lifted_on``: no longer in force from that day). ``serious`` marks a
    serious violation (重大违法记录), which bars an organization from government purchase of
    services for the years the policy rule ``provider_serious_violation_years`` sets after
    ``imposed_on``, whether or not the sanction is still in force.
    """

    __tablename__ = "org_sanctions"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. warning, fine, suspension
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    imposed_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    lifted_on: Mapped[dt.date | None] = mapped_column(Date)
    authority: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)

    organization: Mapped[Organization] = relationship()
