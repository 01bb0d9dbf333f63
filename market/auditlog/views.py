"""Reading the audit log (there is deliberately no route that edits it)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from market import nav
from market.accounts.access import permission_required
from market.accounts.permissions import Permission
from market.auditlog import services
from market.core.pagination import Page, page_number
from market.db import get_session

bp = Blueprint("auditlog", __name__, url_prefix="/audit-log")

nav.register(nav.NavItem("auditlog.index", _l("Audit log"), Permission.AUDIT_LOG_READ, order=90))


@bp.route("/")
@permission_required(Permission.AUDIT_LOG_READ)
def index():
    size = current_app.config["PAGE_SIZE"]
    object_type = request.args.get("type") or None
    page_no = page_number()
    rows, total = services.page(get_session(), page_no, size, object_type)
    return render_template("auditlog/index.html", page=Page(rows, total, page_no, size),
                           object_type=object_type)
