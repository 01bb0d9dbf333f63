"""Reads for complaint pages, and for the features that build on complaints: credit
records read ``upheld_against``, red flags read ``overdue``."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from market.accounts.models import Department
from market.clock import LOCAL_TZ, today_local
from market.complaints.access import sees_all
from market.complaints.models import OPEN_STATUSES, Complaint, ComplaintStatus, Outcome
from market.core.pagination import Page, paginate
from market.documents.models import Document, OwnerType

UPHELD = (Outcome.UPHELD, Outcome.PARTLY_UPHELD)


def public_outcomes(session: Session, page: int, size: int = 20) -> Page:
    """Answered complaints, newest first: what ``/complaints/`` shows (no identity)."""
    return paginate(session, public_outcomes_select(), page, size)


def public_outcomes_select():
    return (select(Complaint).where(Complaint.status == ComplaintStatus.ANSWERED)
            .order_by(Complaint.answered_at.desc(), Complaint.id.desc()))


def answered_about(session: Session, organization_id: int) -> list[Complaint]:
    """Answered complaints about the organization, newest first (its public profile)."""
    return list(session.scalars(
        select(Complaint).where(Complaint.organization_id == organization_id,
                                Complaint.status == ComplaintStatus.ANSWERED)
        .order_by(Complaint.answered_at.desc(), Complaint.id.desc())))


def upheld_against(session: Session, organization_id: int) -> list[Complaint]:
    """Complaints about the organization found upheld or partly upheld, newest first
    (for its credit record, 信用记录)."""
    return list(session.scalars(
        select(Complaint).where(Complaint.organization_id == organization_id,
                                Complaint.status == ComplaintStatus.ANSWERED,
                                Complaint.outcome.in_(UPHELD))
        .order_by(Complaint.answered_at.desc(), Complaint.id.desc())))


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def _overdue_stmt(on: dt.date | None):
    cutoff = _start_of(on or today_local())
    return select(Complaint).where(Complaint.status.in_(OPEN_STATUSES),
                                   Complaint.due_at < cutoff)


def overdue(session: Session, on: dt.date | None = None) -> list[Complaint]:
    """Open complaints whose last working day to answer ended before ``on`` (default:
    today, Beijing time), oldest due first."""
    return list(session.scalars(_overdue_stmt(on).order_by(Complaint.due_at, Complaint.id)))


def overdue_count(session: Session, on: dt.date | None = None) -> int:
    return session.scalar(select(func.count()).select_from(_overdue_stmt(on).subquery())) or 0


def _scope(user):
    """The complaints ``user`` may read in the work lists."""
    if sees_all(user):
        return select(Complaint)
    return select(Complaint).where(Complaint.department_id == user.department_id,
                                   Complaint.department_id.is_not(None),
                                   Complaint.status != ComplaintStatus.FILED)


def work_select(user):
    """Every complaint of the work lists of ``user`` (their download), newest first."""
    return _scope(user).order_by(Complaint.filed_at.desc(), Complaint.id.desc())


def work_lists(session: Session, user, page: int, size: int = 20) -> dict:
    """The work page: overdue, waiting to be routed, waiting for an answer, and the
    closed ones (paginated)."""
    scope = _scope(user)
    cutoff = _start_of(today_local())
    open_ = scope.where(Complaint.status.in_(OPEN_STATUSES))
    return {
        "overdue": list(session.scalars(open_.where(Complaint.due_at < cutoff)
                                        .order_by(Complaint.due_at, Complaint.id))),
        "to_route": list(session.scalars(scope.where(
            Complaint.status == ComplaintStatus.FILED).order_by(Complaint.filed_at))),
        "routed": list(session.scalars(scope.where(
            Complaint.status == ComplaintStatus.ROUTED).order_by(Complaint.due_at))),
        "closed": paginate(session, scope.where(Complaint.status.not_in(OPEN_STATUSES))
                           .order_by(Complaint.answered_at.desc(), Complaint.id.desc()),
                           page, size),
    }


def waiting_for(session: Session, user) -> int:
    """Open complaints ``user`` must act on (route, or answer)."""
    return session.scalar(select(func.count()).select_from(
        _scope(user).where(Complaint.status.in_(OPEN_STATUSES)).subquery())) or 0


def attachments(session: Session, complaint: Complaint) -> list[Document]:
    return list(session.scalars(select(Document).where(
        Document.owner_type == OwnerType.COMPLAINT, Document.owner_id == complaint.id)
        .order_by(Document.id)))


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.code)))
