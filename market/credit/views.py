"""Credit-record pages: the full record of an organization for departments, civil affairs,
finance, town officers and auditors; the organization's own record; the public entries on
the organization's public profile (``credit_public_record`` in its template)."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from market.access.guards import permission_required, role_required
from market.access.permissions import Permission, Role
from market.clock import today_local
from market.core.listing import Column, Listing
from market.core.pagination import Page, page_number, page_of
from market.credit import access, queries
from market.credit.labels import EFFECT_LABELS, source_label
from market.db import get_session

bp = Blueprint("credit", __name__)

PAGE_SIZE = 50

# Where an entry's source object is shown: (room, object kind) → (endpoint, URL argument,
# whether the public may open it). The id is the entry's source id, or the organization's.
def _registry(user) -> bool:
    return user.can(Permission.ORGS_READ_REGISTRY)


def _all_complaints(user) -> bool:
    """Civil affairs and auditors open any complaint; a department only those routed to it
    (so it gets no link from here)."""
    return user.can(Permission.COMPLAINTS_READ) and user.role != Role.DEPARTMENT


# (room, kind) -> (endpoint, its id argument or None for the organization's page, who may
# follow the link: None for everyone, else a test of the logged-in reader)
SOURCE_PAGES = {
    ("contracts", "contract"): ("contracts.detail", "contract_id", None),
    ("orgs", "sanction"): ("orgs.registry_detail", None, _registry),
    ("orgs", "annual_report"): ("orgs.registry_detail", None, _registry),
    ("grading", "clearance_listing"): ("orgs.registry_detail", None, _registry),
    ("grading", "clearance_decision"): ("orgs.registry_detail", None, _registry),
    ("complaints", "complaint"): ("complaints.detail", "complaint_id", _all_complaints),
}


def _source_url(entry: queries.Entry, org_id: int, full: bool) -> str | None:
    found = SOURCE_PAGES.get((entry.source_room, entry.source_kind))
    if found is None:
        return None
    endpoint, arg, may_follow = found
    if may_follow is not None and not (full and current_user.is_authenticated
                                       and may_follow(current_user)):
        return None
    try:
        return url_for(endpoint, **({arg: entry.source_id} if arg else {"org_id": org_id}))
    except BuildError:  # the room that shows it is not part of this app
        return None


RECORD = Listing("credit-record", _l("Credit record"), (
    Column(_l("Date"), lambda e: e.occurred_on),
    Column(_l("Kind"), lambda e: e.kind_label),
    Column(_l("Effect"), lambda e: str(EFFECT_LABELS[e.effect])),
    Column(_l("In force until"), lambda e: e.until),
    Column(_l("Summary"), lambda e: e.summary),
    Column(_l("Source"), lambda e: f"{source_label(e.source_room, e.source_kind)} "
                                   f"#{e.source_id}"),
    Column(_l("Evidence"), lambda e: e.evidence_ref),
    Column(_l("Public"), lambda e: _("Yes") if e.public else _("No")),
))


@bp.app_context_processor
def _helpers():
    return {"credit_public_record": _public_record,
            "credit_effect_label": lambda e: EFFECT_LABELS[e],
            "credit_source_label": source_label,
            "credit_source_url": _source_url,
            "credit_read_permission": Permission.CREDIT_READ}


def _public_record(org_id: int) -> list[queries.Entry]:
    """What the organization's public profile shows: its public entries only, whoever
    reads the page."""
    return queries.record_of(get_session(), org_id, viewer=None)


def _page(entries: list) -> Page:
    return page_of(entries, page_number(), PAGE_SIZE)


def _render(org, endpoint: str, **args):
    session = get_session()
    day = today_local()
    entries = queries.record_of(session, org.id, viewer=current_user, day=day)
    return render_template("credit/record.html", org=org, page=_page(entries),
                           standing=queries.standing_on(session, org.id, day), day=day,
                           endpoint=endpoint, endpoint_args=args, full=True)


@bp.route("/credit/organizations/<int:org_id>")
@permission_required(Permission.CREDIT_READ)
def organization(org_id: int):
    session = get_session()
    org = access.get_organization(session, org_id)
    if (file := RECORD.file(lambda: queries.record_of(session, org.id, viewer=current_user,
                                                      day=today_local()))) is not None:
        return file
    return _render(org, "credit.organization", org_id=org.id)


@bp.route("/my/credit")
@role_required(Role.ORGANIZATION)
def mine():
    if current_user.organization_id is None:
        return render_template("credit/record.html", org=None, page=None, standing=[],
                               day=today_local(), endpoint="credit.mine", endpoint_args={},
                               full=True)
    org = access.get_organization(get_session(), current_user.organization_id)
    return _render(org, "credit.mine")
