"""The only door for writing credit entries: the rooms above call ``record`` in their own
transaction at the moment a fact happens (a contract terminated for the organization's
fault, a failed performance evaluation, an upheld complaint). The caller has already
checked that its actor may do what it did; ``record`` checks the entry itself."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.auditlog.services import record as audit
from market.clock import today_local
from market.credit.models import STORED_KINDS, CreditEntry, CreditKind, Effect
from market.errors import Conflict, Invalid, NotFound
from market.orgs.models import Organization


def record(session: Session, actor, *, organization_id: int, kind: CreditKind | str,
           occurred_on: dt.date, source_room: str, source_kind: str, source_id: int,
           summary: str, effect: Effect | str = Effect.NEGATIVE, public: bool = False,
           in_force_until: dt.date | None = None, evidence_document_id: int | None = None,
           evidence_ref: str | None = None) -> CreditEntry:
    """Add one credit entry (信用记录) for ``organization_id``; audit-logged.

    One entry per kind and source object: recording the same fact twice is a ``Conflict``.
    For an upheld complaint the complaints room calls
    ``record(..., kind="upheld_complaint", source_room="complaints",
    source_kind="complaint", source_id=complaint.id, public=True, ...)`` when civil affairs
    or the department upholds it."""
    try:
        kind = CreditKind(kind)
    except ValueError:
        raise Invalid(_l("Unknown kind of credit entry."), field="kind") from None
    if kind not in STORED_KINDS:
        raise Invalid(_l("This kind of credit entry is read from the room that owns it and "
                         "is not recorded here."), field="kind")
    try:
        effect = Effect(effect)
    except ValueError:
        raise Invalid(_l("Unknown effect of a credit entry."), field="effect") from None
    if session.get(Organization, organization_id) is None:
        raise NotFound(_l("No such organization."), field="organization_id")
    if not isinstance(occurred_on, dt.date) or occurred_on > today_local():
        raise Invalid(_l("The date of a credit entry cannot be in the future."),
                      field="occurred_on")
    if in_force_until is not None and in_force_until < occurred_on:
        raise Invalid(_l("A credit entry cannot end before it occurred."),
                      field="in_force_until")
    summary = (summary or "").strip()
    if not summary:
        raise Invalid(_l("Please summarize the fact recorded."), field="summary")
    source_room, source_kind = (source_room or "").strip(), (source_kind or "").strip()
    if not source_room or not source_kind or not isinstance(source_id, int):
        raise Invalid(_l("A credit entry names its source."), field="source")
    existing = session.scalar(select(CreditEntry.id).where(
        CreditEntry.kind == kind, CreditEntry.source_room == source_room,
        CreditEntry.source_kind == source_kind, CreditEntry.source_id == source_id))
    if existing is not None:
        raise Conflict(_l("This fact is already in the organization's credit record."))
    entry = CreditEntry(
        organization_id=organization_id, kind=kind, effect=effect, occurred_on=occurred_on,
        in_force_until=in_force_until, source_room=source_room[:40],
        source_kind=source_kind[:40], source_id=source_id,
        evidence_document_id=evidence_document_id,
        evidence_ref=(evidence_ref or "").strip()[:300] or None, public=bool(public),
        summary=summary[:5000], recorded_by_id=getattr(actor, "id", None))
    session.add(entry)
    session.flush()
    audit(session, actor, "credit_entry", entry.id, "record", None, kind.value,
          f"organization {organization_id}: {source_room}/{source_kind}/{source_id} "
          f"{effect.value} {occurred_on.isoformat()}"[:2000])
    return entry
