"""Who may see what of a complaint — the one place that says so.

The public sees only answered complaints' subject, dates, outcome and finding (queries).
Civil affairs and auditors read every complaint; a department those routed to it. The
complainant's contact is for civil affairs and the answering department only (not for
auditors: they check the handling, not the person). Attachments follow the same readers.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from market.access.permissions import Permission, Role
from market.complaints.models import Complaint, ComplaintStatus
from market.errors import NotFound


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def sees_all(user) -> bool:
    """Civil affairs and auditors: every complaint, from its filing."""
    return _authenticated(user) and user.can(Permission.COMPLAINTS_READ) \
        and (user.can(Permission.COMPLAINTS_MANAGE) or user.role == Role.AUDITOR)


def is_department_of(user, complaint: Complaint) -> bool:
    return (_authenticated(user) and user.role == Role.DEPARTMENT
            and user.can(Permission.COMPLAINTS_RESPOND)
            and user.department_id is not None
            and complaint.status != ComplaintStatus.FILED
            and complaint.department_id == user.department_id)


def is_handler(user, complaint: Complaint) -> bool:
    """Who answers: the department it was routed to, or civil affairs for its own."""
    if complaint.status == ComplaintStatus.FILED:
        return False
    if complaint.department_id is None:
        return _authenticated(user) and user.can(Permission.COMPLAINTS_MANAGE)
    return is_department_of(user, complaint)


def can_read(user, complaint: Complaint) -> bool:
    return sees_all(user) or is_department_of(user, complaint)


def sees_contact(user, complaint: Complaint) -> bool:
    return (_authenticated(user) and user.can(Permission.COMPLAINTS_MANAGE)) \
        or is_department_of(user, complaint)


def get_complaint(session: Session, user, complaint_id: int) -> Complaint:
    """The complaint, or NotFound — also when this user may not read it."""
    complaint = session.get(Complaint, complaint_id)
    if complaint is None or not can_read(user, complaint):
        raise NotFound(_l("No such complaint, or you may not read it."))
    return complaint


def may_read_document(session: Session, user, doc) -> bool:
    complaint = session.get(Complaint, doc.owner_id)
    return complaint is not None and can_read(user, complaint)
