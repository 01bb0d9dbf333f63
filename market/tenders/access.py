"""Fetch a tender the user may see or manage — the one place that says who may.

Published tenders are public. A draft is seen by its own department only (and auditors).
Managing a tender (edit, publish, answer, open, cancel) is for users of the department
that owns it: two departments never act on each other's tenders.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from market.access.permissions import Permission, Role
from market.errors import Forbidden, NotFound
from market.tenders.models import Tender


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_owner(user, tender: Tender) -> bool:
    """The user acts for the department that owns the tender."""
    return (_authenticated(user) and user.role == Role.DEPARTMENT
            and user.can(Permission.TENDERS_MANAGE)
            and user.department_id is not None and user.department_id == tender.department_id)


def is_public(tender: Tender) -> bool:
    return tender.published_at is not None


def can_see(user, tender: Tender) -> bool:
    if is_public(tender) or is_owner(user, tender):
        return True
    return _authenticated(user) and user.role == Role.AUDITOR


def get_tender(session: Session, user, tender_id: int, *, manage: bool = False,
               lock: bool = False) -> Tender:
    """The tender, or NotFound (also for a draft the user may not see), or Forbidden when
    ``manage`` and the user is not of the owning department.

    ``lock`` re-reads the row with SELECT ... FOR UPDATE (PostgreSQL; SQLite serializes
    writers itself), so deadline and version checks hold until the transaction ends.
    """
    if lock:
        tender = session.get(Tender, tender_id, with_for_update=True, populate_existing=True)
    else:
        tender = session.get(Tender, tender_id)
    if tender is None or not can_see(user, tender):
        raise NotFound(_l("No such tender."))
    if manage and not is_owner(user, tender):
        raise Forbidden(_l("Only the department that owns this tender may do this."))
    return tender
