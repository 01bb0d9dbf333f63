"""Tender pages: the public list and detail, the department's work, the organization's
bids, the operator's working-day calendar. Views are thin: form → one service → redirect."""
from __future__ import annotations

from flask import Blueprint, flash
from flask_babel import lazy_gettext as _l

from market import nav
from market.accounts.permissions import Permission
from market.errors import DomainError
from market.home.views import register_panel

bp = Blueprint("tenders", __name__, url_prefix="/tenders")

nav.register(
    nav.NavItem("tenders.index", _l("Tenders"), public=True, order=12),
    nav.NavItem("tenders.queue", _l("Tender work queue"), Permission.TENDERS_MANAGE, order=21),
    nav.NavItem("tenders.for_me", _l("Tenders I can bid on"), Permission.TENDERS_BID, order=21),
    nav.NavItem("tenders.my_bids", _l("My bids"), Permission.TENDERS_BID, order=22),
    nav.NavItem("tenders.calendar", _l("Working-day calendar"), Permission.CALENDAR_MANAGE,
                order=60),
)
register_panel("organization", "tenders/_panel_organization.html", order=10)
register_panel("department", "tenders/_panel_department.html", order=10)


def form_error(form, error: DomainError) -> int:
    """Put a service's refusal on the field it names, else flash it; the HTTP status."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(error.message)]
    else:
        flash(str(error.message), "error")
    return int(error.status)


from market.tenders import documents as _documents  # noqa: E402, F401  download rules
from market.tenders.views import bidding, calendar, department, public  # noqa: E402,F401
