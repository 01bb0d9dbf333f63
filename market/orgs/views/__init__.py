"""The registry's pages: public list and profiles, the organization's own pages, and the
internal registry for civil affairs, town officers, finance and auditors."""
from __future__ import annotations

from flask_babel import get_locale

from market.access.permissions import Role
from market.orgs.views import mine, public, registry, sanctions  # noqa: F401  (routes)
from market.orgs.views.blueprint import bp


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
