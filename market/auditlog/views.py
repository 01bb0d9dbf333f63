"""Reading the audit log (there is deliberately no route that edits it)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from market.access.guards import permission_required
from market.access.permissions import Permission
from market.auditlog import services
from market.core.listing import Column, Listing
from market.core.pagination import Page, page_number
from market.db import get_session

bp = Blueprint("auditlog", __name__, url_prefix="/audit-log")

AUDIT_LOG = Listing("audit-log", _l("Audit log"), (
    Column(_l("Time"), lambda e: e.at),
    Column(_l("Who"), lambda e: e.actor_name),
    Column(_l("Object"), lambda e: f"{e.object_type} #{e.object_id}"),
    Column(_l("Action"), lambda e: e.action),
    Column(_l("From"), lambda e: e.from_state),
    Column(_l("To"), lambda e: e.to_state),
    Column(_l("Reason"), lambda e: e.reason),
))


@bp.route("/")
@permission_required(Permission.AUDIT_LOG_READ)
def index():
    size = current_app.config["PAGE_SIZE"]
    object_type = request.args.get("type") or None
    if (file := AUDIT_LOG.file(services.entries(object_type))) is not None:
        return file
    page_no = page_number()
    rows, total = services.page(get_session(), page_no, size, object_type)
    return render_template("auditlog/index.html", page=Page(rows, total, page_no, size),
                           object_type=object_type)
