"""Public pages (no login): the list of active organizations and each one's profile."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l

from market.core.inputs import int_arg
from market.access.guards import public
from market.core.listing import Column, Listing, local_name
from market.core.pagination import page_number
from market.db import get_read_session, reads_replica
from market.clock import today_local
from market.orgs import queries, sanctions
from market.orgs.access import get_public_organization
from market.orgs.enums import Category
from market.orgs.views.blueprint import bp


def track_label(org) -> str:
    return str(_l("Filed") if org.is_filed else _l("Registered"))


ORG_COLUMNS = (
    Column(_l("Name"), lambda o: o.name),
    Column(_l("Category"), lambda o: o.category.label),
    Column(_l("Town or district"), lambda o: local_name(o.town)),
    Column(_l("Track"), track_label),
    Column(_l("Since"), lambda o: o.registered_on),
)
ORGANIZATIONS = Listing("organizations", _l("Organizations"), ORG_COLUMNS)


def filters_from_args() -> queries.OrgFilters:
    args = request.args
    category = args.get("category") or None
    if category not in {c.value for c in Category}:
        category = None
    town_id = int_arg("town") or None
    return queries.OrgFilters(category=category, town_id=town_id,
                              q=(args.get("q") or "").strip()[:100] or None)


@bp.route("/organizations/")
@public
@reads_replica
def public_list():
    session = get_read_session()
    f = filters_from_args()
    if (file := ORGANIZATIONS.file(queries.public_list(f))) is not None:
        return file
    page = queries.public_page(session, f, page_number(), current_app.config["PAGE_SIZE"])
    return render_template("orgs/public_list.html", page=page, f=f,
                           towns=queries.towns(session), categories=list(Category))


@bp.route("/organizations/<int:org_id>")
@public
@reads_replica
def public_profile(org_id: int):
    session = get_read_session()
    org = get_public_organization(session, org_id)
    return render_template("orgs/public_profile.html", org=org,
                           sanction_rows=sanctions.sanctions_in_force(session, org,
                                                                       today_local()))
