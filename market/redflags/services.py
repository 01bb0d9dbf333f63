"""The one write of the red flags room: an auditor marks a flag reviewed (复核), with a note."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.access.permissions import Permission
from market.auditlog.services import record
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.redflags import queries
from market.redflags.models import FlagReview

NOTE_MAX = 2000


def mark_reviewed(session: Session, actor, key: str, note: str) -> FlagReview:
    """Record that ``actor`` reviewed the flag raised now under ``key``; audit-logged."""
    if actor is None or not actor.can(Permission.REDFLAGS_REVIEW):
        raise Forbidden(_l("Only auditors may mark a red flag reviewed."))
    note = (note or "").strip()
    if not note:
        raise Invalid(_l("Write a note on what you checked."), field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(_l("The note is too long (at most %(n)s characters).", n=NOTE_MAX),
                      field="note")
    flag = queries.find(session, key or "")
    if flag is None:
        raise NotFound(_l("No such red flag is raised now."))
    if session.scalar(select(FlagReview.id).where(FlagReview.key == flag.key)) is not None:
        raise Conflict(_l("This red flag was already reviewed."))
    review = FlagReview(key=flag.key, kind=flag.kind, note=note, reviewed_by_id=actor.id)
    session.add(review)
    session.flush()
    record(session, actor, "red_flag", review.id, "review", "open", "reviewed",
           f"{flag.key}: {note[:500]}")
    return review
