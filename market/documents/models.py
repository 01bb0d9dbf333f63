"""An uploaded file's record; the bytes live under UPLOAD_FOLDER with a random name."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from market.clock import now
from market.models import Base


class OwnerType(StrEnum):
    """Every kind of thing documents are stored under. Each needs an access policy from
    the feature that owns it (``access.register_policy``): the app refuses to start
    while one has none (``access.check``), and ``store_document`` refuses any other."""

    ORGANIZATION = "organization"  # orgs: registration papers, annual and departure audits
    TENDER = "tender"  # tenders: tender documents
    BID = "bid"  # tenders: bid attachments (sealed like the bid)
    CHALLENGE = "challenge"  # tenders: evidence of a challenge (质疑)
    AWARD_EVIDENCE = "award_evidence"  # scoring: evidence for passing over a ranked bid
    DELIVERABLE = "deliverable"  # contracts: deliverables of a milestone
    PERFORMANCE_EVALUATION = "performance_evaluation"  # contracts: evaluation reports
    CONTRACT = "contract"  # contracts: the generated written contract (PDF)
    INCUBATION_EVALUATION = "incubation_evaluation"  # incubation: a base's yearly evaluation
    GRANT_APPLICATION = "grant_application"  # grants: attachments of an application
    COMPLAINT = "complaint"  # complaints: evidence attached to a complaint (投诉举报)
    GRANT = "grant"  # grants: a grant's reports and its stage evaluations


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the document is about, e.g. ("organization", 12): an ``OwnerType``, whose
    # policy decides who may read it.
    owner_type: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(40))  # e.g. "prior_approval", "audit_report"
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mimetype: Mapped[str] = mapped_column(String(100))
    extension: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=now)
