"""The registry's pages: public list and profiles, the organization's own pages, and the
internal registry for civil affairs, town officers, finance and auditors."""
from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from market import nav
from market.accounts.permissions import Permission, Role
from market.home.views import register_panel

bp = Blueprint("orgs", __name__)

nav.register(
    nav.NavItem("orgs.public_list", _l("Social organizations"), public=True, order=20),
    nav.NavItem("orgs.mine", _l("My organization"), roles=frozenset({Role.ORGANIZATION}),
                order=10),
    nav.NavItem("orgs.registry", _l("Organization registry"), Permission.ORGS_READ_REGISTRY,
                order=20),
    nav.NavItem("orgs.applications", _l("Applications"), Permission.ORGS_READ_REGISTRY,
                order=21),
    nav.NavItem("orgs.annual_reports", _l("Annual inspection"),
                Permission.ORGS_REVIEW_ANNUAL_REPORT, order=22),
)
register_panel(Role.ORGANIZATION, "orgs/panels/organization.html", order=10)
register_panel(Role.CIVIL_AFFAIRS, "orgs/panels/civil_affairs.html", order=10)
register_panel(Role.TOWN_OFFICER, "orgs/panels/town_officer.html", order=10)


@bp.app_template_filter("town_name")
def town_name(town) -> str:
    if town is None:
        return ""
    return town.name_zh if str(get_locale()) == "zh" else town.name_en


@bp.app_template_global("orgs_home")
def orgs_home(user):
    """The figures a role's home panel shows (called from the panel templates)."""
    from market.db import get_session
    from market.orgs import queries

    session = get_session()
    if user.role == Role.ORGANIZATION:
        return queries.organization_home(session, user)
    if user.role == Role.CIVIL_AFFAIRS:
        return {"registrations": queries.waiting_registrations(session),
                "reports": queries.waiting_reports(session)}
    if user.role == Role.TOWN_OFFICER:
        return {"filings": queries.waiting_filings(session, user.town_id)}
    return None


@bp.app_template_global("can_read_document")
def can_read_document(doc) -> bool:
    from flask_login import current_user

    from market.db import get_session
    from market.documents.access import can_read

    return doc is not None and can_read(get_session(), current_user, doc)


from market.orgs.views import mine, public, registry  # noqa: E402,F401  (routes)
