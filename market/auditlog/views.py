"""Reading the audit log (there is deliberately no route that edits it)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.access.guards import permission_required
from market.access.permissions import Permission
from market.auditlog import labels, services
from market.core.listing import Column, Listing
from market.core.pagination import Page, page_number
from market.db import get_session
from market.errors import Invalid

bp = Blueprint("auditlog", __name__, url_prefix="/audit-log")


def _names(entry) -> tuple[dict, dict]:
    """The people and object names of the entries on hand (one lookup per entry in a
    downloaded file, memoised; the page looks up its rows at once)."""
    cache = g.setdefault("audit_names", ({}, {}))
    people, objects = cache
    if entry.actor_id is not None and entry.actor_id not in people:
        people[entry.actor_id] = services.display_names(get_session(), [entry]).get(
            entry.actor_id)  # None for an unknown account: looked up once
    key = (entry.object_type, entry.object_id)
    if key not in objects:
        objects[key] = services.object_names(get_session(), [entry]).get(key)
    return people, objects


def who(entry, people: dict[int, str]) -> str:
    """The actor's display name; the stored username when the account is unknown."""
    if entry.actor_id is None:
        return _("System") if entry.actor_name == "system" else entry.actor_name
    return people.get(entry.actor_id) or entry.actor_name


def what(entry, objects: dict) -> str:
    """The object in words: its type's name and its own name (a contract's number) or id."""
    name = objects.get((entry.object_type, entry.object_id))
    return f"{labels.object_label(entry.object_type)} {name or f'#{entry.object_id}'}"


AUDIT_LOG = Listing("audit-log", _l("Audit log"), (
    Column(_l("Time"), lambda e: e.at),
    Column(_l("Who"), lambda e: who(e, _names(e)[0])),
    Column(_l("Object"), lambda e: what(e, _names(e)[1])),
    Column(_l("Action"), lambda e: labels.action_label(e.object_type, e.action)),
    Column(_l("From"), lambda e: labels.state_label(e.from_state, e.object_type, e.action)),
    Column(_l("To"), lambda e: labels.state_label(e.to_state, e.object_type, e.action)),
    Column(_l("Reason"), lambda e: e.reason),
))


def _filters() -> tuple[str | None, str | None]:
    """The object type and action asked for (``?type=tender&action=tender.publish``);
    a code the log does not know is bad input."""
    object_type = request.args.get("type") or None
    action = request.args.get("action") or None
    if object_type is not None and object_type not in labels.OBJECT_TYPES:
        raise Invalid(_l("Unknown object type: choose one from the list."))
    if action is not None:
        if action not in labels.ACTIONS:
            raise Invalid(_l("Unknown action: choose one from the list."))
        kind, _sep, action = action.partition(".")
        if object_type not in (None, kind):
            raise Invalid(_l("This action does not belong to the chosen object type."))
        object_type = kind
    return object_type, action


@bp.route("/")
@permission_required(Permission.AUDIT_LOG_READ)
def index():
    size = current_app.config["PAGE_SIZE"]
    object_type, action = _filters()
    if (file := AUDIT_LOG.file(services.entries(object_type, action))) is not None:
        return file
    page_no = page_number()
    session = get_session()
    rows, total = services.page(session, page_no, size, object_type, action)
    people, objects = services.display_names(session, rows), services.object_names(session, rows)
    shown = [(e, who(e, people), what(e, objects)) for e in rows]
    return render_template(
        "auditlog/index.html", page=Page(rows, total, page_no, size), shown=shown,
        object_type=object_type, action=f"{object_type}.{action}" if action else None,
        object_choices=labels.object_choices(),
        action_groups=labels.action_groups(object_type))


@bp.app_template_global("audit_action_label")
def audit_action_label(object_type: str, action: str) -> str:
    return labels.action_label(object_type, action)


@bp.app_template_global("audit_state_label")
def audit_state_label(state: str | None, entry=None) -> str:
    """A from/to value in words (``entry`` given: an amount it records as money)."""
    if entry is None:
        return labels.state_label(state)
    return labels.state_label(state, entry.object_type, entry.action)


@bp.app_template_global("audit_object_label")
def audit_object_label(object_type: str) -> str:
    return labels.object_label(object_type)


@bp.app_template_global("audit_who")
def audit_who(entry) -> str:
    """Who made an entry, by display name (for trails shown on other rooms' pages)."""
    return who(entry, _names(entry)[0])


@bp.app_template_global("audit_object")
def audit_object(entry) -> str:
    return what(entry, _names(entry)[1])
