"""Writing and reading the audit log. Services call ``record`` in their own transaction."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from market.auditlog.models import AuditEntry

# Conditions a feature registers to keep entries out of the log pages while they would
# reveal something still secret (who bid on a tender before its opening).
REDACTIONS: list[Callable[[], ColumnElement[bool]]] = []


def record(session: Session, actor, object_type: str, object_id: int, action: str,
           from_state: str | None = None, to_state: str | None = None,
           reason: str | None = None) -> AuditEntry:
    """Add one entry; it is committed together with the change it describes."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "system",
        object_type=object_type, object_id=object_id, action=action,
        from_state=from_state, to_state=to_state, reason=reason,
    )
    session.add(entry)
    return entry


def entries_for(session: Session, object_type: str, object_id: int) -> list[AuditEntry]:
    stmt = (redacted(select(AuditEntry))
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
            .order_by(AuditEntry.id))
    return list(session.scalars(stmt))


def redacted(stmt):
    """``stmt`` (a select over AuditEntry) without the entries a redaction withholds now.
    Every reader of the log goes through here: pages, panels, exports."""
    for condition in REDACTIONS:
        stmt = stmt.where(condition())
    return stmt


def page(session: Session, page_no: int, size: int, object_type: str | None = None):
    stmt = select(AuditEntry)
    count = select(func.count(AuditEntry.id))
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
        count = count.where(AuditEntry.object_type == object_type)
    stmt, count = redacted(stmt), redacted(count)
    total = session.scalar(count) or 0
    rows = session.scalars(stmt.order_by(AuditEntry.id.desc())
                           .offset((page_no - 1) * size).limit(size))
    return list(rows), total
