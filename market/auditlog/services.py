"""Writing and reading the audit log. Services call ``record`` in their own transaction."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from market.auditlog.models import AuditEntry
from market.core import registry

Redaction = Callable[[], ColumnElement[bool]]

# Redactions the app may not run without, by name: the log is written by every service
# whatever features an app has, so these are checked at start (``check``).
SEALED_BIDS = "sealed_bids"
REQUIRED_REDACTIONS = {
    SEALED_BIDS: "entries about bids whose tender is not opened yet (who bid is secret "
                 "until the opening; market.tenders registers it)",
}


def register_redaction(app, name: str, condition: Redaction) -> None:
    """A feature keeps entries out of the log pages while they would reveal something
    still secret: ``condition()`` is a SQL condition true for the entries that may show."""
    for redactions in registry.targets(app, "audit_redactions", dict, process=True):
        redactions[name] = condition


def redactions(app) -> dict[str, Redaction]:
    return dict(registry.of(app, "audit_redactions", dict))


def check(app) -> list[str]:
    """What is wrong for start-up: each required redaction that is not registered."""
    have = registry.of(app, "audit_redactions", dict)
    return [f"the audit-log redaction {name!r} is not registered: {why}"
            for name, why in REQUIRED_REDACTIONS.items() if name not in have]


People = Callable[[Session, set[int]], dict[int, str]]


def register_people(app, resolver: People) -> None:
    """How the log names people: ``resolver(session, user ids)`` -> {id: display name}.
    The accounts room registers it (the log sits below accounts and cannot ask it)."""
    for people in registry.targets(app, "audit_people", list, process=True):
        people[:] = [resolver]


def display_names(session: Session, entries) -> dict[int, str]:
    """user id -> display name for the actors of ``entries`` (empty without a resolver)."""
    resolvers = registry.current("audit_people", list, process=True)
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    return resolvers[0](session, ids) if resolvers and ids else {}


def register_object_names(app, object_type: str, resolver: People) -> None:
    """How the log names objects of ``object_type`` (a contract by its number, not #7):
    ``resolver(session, ids)`` -> {id: name}; registered by the room owning the type."""
    for names in registry.targets(app, "audit_object_names", dict, process=True):
        names[object_type] = resolver


def object_names(session: Session, entries) -> dict[tuple[str, int], str]:
    """(object type, id) -> name, for the objects of ``entries`` whose room names them."""
    resolvers = registry.current("audit_object_names", dict, process=True)
    wanted: dict[str, set[int]] = {}
    for e in entries:
        if e.object_type in resolvers:
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    return {(kind, i): name for kind, ids in wanted.items()
            for i, name in resolvers[kind](session, ids).items()}


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


def redacted(stmt):
    """``stmt`` (a select over AuditEntry) without the entries a redaction withholds now.
    Every reader of the log goes through here: pages, panels, exports."""
    for condition in registry.current("audit_redactions", dict, process=True).values():
        stmt = stmt.where(condition())
    return stmt


def _filtered(stmt, object_type: str | None, action: str | None):
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return stmt


def entries(object_type: str | None = None, action: str | None = None):
    """Every entry readers may see (redacted), newest first: the list's statement."""
    return redacted(_filtered(select(AuditEntry), object_type, action)) \
        .order_by(AuditEntry.id.desc())


def page(session: Session, page_no: int, size: int, object_type: str | None = None,
         action: str | None = None):
    stmt = _filtered(select(AuditEntry), object_type, action)
    count = _filtered(select(func.count(AuditEntry.id)), object_type, action)
    stmt, count = redacted(stmt), redacted(count)
    total = session.scalar(count) or 0
    rows = session.scalars(stmt.order_by(AuditEntry.id.desc())
                           .offset((page_no - 1) * size).limit(size))
    return list(rows), total
