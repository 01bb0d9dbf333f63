"""In-app notices to organizations (no e-mail is sent: out of scope).

A notice stores a ``kind`` and plain ``params``; its text is rendered in the reader's
language when shown. Other features add their kinds with ``register_kind``.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from market.clock import now
from market.errors import NotFound
from market.tenders.models import Notification

KINDS: dict[str, object] = {
    "tender_amended": _l("Tender %(ref)s was changed (now version %(version)s): %(fields)s. "
                         "Your bid no longer counts until you reconfirm or revise it before "
                         "the bid deadline."),
    "tender_deadline_moved": _l("Tender %(ref)s was changed less than %(days)s days before "
                                "its bid deadline, so the deadline moved to %(deadline)s "
                                "(Beijing time). Reconfirm or revise your bid before then, "
                                "or it will not be admitted at the opening."),
    "tender_cancelled": _l("Tender %(ref)s was cancelled. Reason: %(reason)s"),
    "bids_opened": _l("The bids of tender %(ref)s were opened; every receipt is now public."),
    "tender_unsuccessful": _l("Tender %(ref)s failed at opening: too few valid bids."),
    "question_answered": _l("Your question on tender %(ref)s has been answered."),
}

# Labels for the ``fields`` parameter (which terms of a tender changed).
FIELD_LABELS = {
    "description": _l("description"), "ceiling_price": _l("ceiling price"),
    "criteria": _l("evaluation criteria"), "clarification_deadline": _l("clarification deadline"),
    "bid_deadline": _l("bid deadline"), "opening_time": _l("opening time"),
    "eligible_categories": _l("eligible categories"), "min_grade": _l("minimum grade"),
    "allow_filed": _l("filed organizations"), "priority_rule": _l("3A+ priority rule"),
    "priority_value": _l("3A+ priority value"), "procedure": _l("procedure"),
    "documents": _l("tender documents"),
    "final_evaluation_waiver": _l("final performance evaluation"),
    "clarification": _l("clarification answer"),
}


def register_kind(kind: str, message) -> None:
    """A feature's own notice: ``message`` is a lazy string formatted with the params."""
    KINDS[kind] = message


def notify(session: Session, *, kind: str, organization_id: int | None = None,
           user_id: int | None = None, tender_id: int | None = None, **params
           ) -> Notification:
    if kind not in KINDS:
        raise KeyError(kind)
    notice = Notification(kind=kind, organization_id=organization_id, user_id=user_id,
                          tender_id=tender_id, params=params)
    session.add(notice)
    return notice


def text(notice: Notification) -> str:
    params = dict(notice.params or {})
    if isinstance(params.get("fields"), list):
        params["fields"] = "、".join(str(FIELD_LABELS.get(f, f)) for f in params["fields"])
    template = KINDS.get(notice.kind)
    if template is None:
        return notice.kind
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def _mine(user):
    conds = [Notification.user_id == user.id]
    if getattr(user, "organization_id", None):
        conds.append(Notification.organization_id == user.organization_id)
    return or_(*conds)


def for_user(session: Session, user, *, limit: int = 10) -> list[Notification]:
    """The user's and their organization's notices, newest first."""
    return list(session.scalars(select(Notification).where(_mine(user))
                                .order_by(Notification.id.desc()).limit(limit)))


def unread_count(session: Session, user) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        _mine(user), Notification.read_at.is_(None))) or 0


def mark_read(session: Session, user, notice_id: int) -> Notification:
    notice = session.scalar(select(Notification).where(Notification.id == notice_id,
                                                       _mine(user)))
    if notice is None:
        raise NotFound(_l("No such notice."))
    if notice.read_at is None:
        notice.read_at = now()
    return notice


def mark_all_read(session: Session, user) -> int:
    """Mark every unread notice of the user (and their organization) read; how many."""
    unread = list(session.scalars(select(Notification).where(
        _mine(user), Notification.read_at.is_(None))))
    at = now()
    for notice in unread:
        notice.read_at = at
    return len(unread)
