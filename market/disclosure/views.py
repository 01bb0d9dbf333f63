"""The public portal (信息公开): announcements by type, intentions, payments, search.
Every page here is public and read-only."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.access.guards import public
from market.core.inputs import choice_arg, int_arg
from market.core.listing import Column, Listing, local_name
from market.core.pagination import page_number, paginate
from market.db import get_read_session, reads_replica
from market.disclosure import queries
from market.disclosure.labels import KIND_LABELS, SEARCH_LABELS, Kind, kind_label
from market.errors import NotFound
from market.grading.labels import REASON_LABELS

bp = Blueprint("disclosure", __name__)

# Where each announcement links: (endpoint, its id argument).
TARGETS = {"item": ("disclosure.intention", "item_id"), "tender": ("tenders.detail", "tender_id"),
           "award": ("scoring.award_page", "tender_id"),
           "contract": ("contracts.detail", "contract_id")}
HITS = {"tender": ("tenders.detail", "tender_id"), "item": ("catalogs.detail", "catalog_id"),
        "organization": ("orgs.public_profile", "org_id"),
        "contract": ("contracts.detail", "contract_id"),
        "round": ("grants.round_page", "round_id")}


def _link(targets: dict, what: str, object_id: int) -> str:
    """The full address of the page an announcement or a search hit opens."""
    endpoint, arg = targets[what]
    return url_for(endpoint, **{arg: object_id}, _external=True)


ANNOUNCEMENTS = Listing("announcements", _l("Announcements"), (
    Column(_l("Date"), lambda a: a.at),
    Column(_l("Type"), lambda a: kind_label(a.kind)),
    Column(_l("Project"), lambda a: a.title),
    Column(_l("Reference"), lambda a: a.reference),
    Column(_l("Department"), lambda a: local_name(a.department)),
    Column(_l("Link"), lambda a: _link(TARGETS, a.target, a.object_id)),
))
PAYMENTS = Listing("payments", _l("Payments"), (
    Column(_l("Date"), lambda m: m.paid_at),
    Column(_l("Payee"), lambda m: m.contract.organization.name),
    Column(_l("Contract"), lambda m: m.contract.tender.title),
    Column(_l("Milestone"), lambda m: f"{m.number}. {m.title}"),
    Column(_l("Amount (yuan)"), lambda m: m.amount, money=True),
))
CLEARED = Listing("clearance-list", _l("Clearance list"), (
    Column(_l("Organization"), lambda row: row[1].name),
    Column(_l("Reason"), lambda row: str(REASON_LABELS[row[0].reason])),
    Column(_l("Date"), lambda row: row[0].decided_at),
))
SEARCH = Listing("search", _l("Search"), (
    Column(_l("Kind"), lambda h: str(SEARCH_LABELS[h.what])),
    Column(_l("Title"), lambda h: h.title),
    Column(_l("Reference or code"), lambda h: h.detail),
    Column(_l("Link"), lambda h: _link(HITS, h.what, h.object_id)),
))


@bp.app_context_processor
def _helpers():
    return {"announcement_kind_label": kind_label,
            "search_kind_label": lambda what: SEARCH_LABELS[what]}


def _date_arg(name: str) -> dt.date | None:
    """A YYYY-MM-DD filter; anything else is ignored with a message (as ``int_arg``)."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
        if 1900 <= day.year <= 2100:
            return day
    except ValueError:
        pass
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    flash(_("The value “%(value)s” of the filter “%(name)s” is not understood and was "
            "ignored.", value=shown, name=name), "warning")
    return None


def _size() -> int:
    return current_app.config["PAGE_SIZE"]


@bp.route("/portal/")
@public
@reads_replica
def portal():
    session = get_read_session()
    latest = queries.announcements_page(session, queries.AnnouncementFilters(), 1, 10)
    return render_template("disclosure/portal.html", latest=latest, targets=TARGETS,
                           counts=queries.kind_counts(session), kinds=list(Kind))


@bp.route("/announcements/")
@public
@reads_replica
def announcements():
    session = get_read_session()
    f = queries.AnnouncementFilters(
        kind=choice_arg("type", {k.value for k in Kind}),
        department_id=int_arg("department"), since=_date_arg("from"), until=_date_arg("to"),
        q=queries.clean_query(request.args.get("q")))
    if (file := ANNOUNCEMENTS.file(lambda: queries.all_announcements(session, f))) is not None:
        return file
    page = queries.announcements_page(session, f, page_number(), _size())
    return render_template("disclosure/announcements.html", page=page, f=f, targets=TARGETS,
                           kinds=KIND_LABELS, departments=queries.departments(session))


@bp.route("/announcements/intentions/<int:item_id>")
@public
@reads_replica
def intention(item_id: int):
    session = get_read_session()
    item = queries.public_intention(session, item_id)
    if item is None:
        raise NotFound(_l("No such procurement intention."))
    return render_template("disclosure/intention.html", item=item,
                           tenders=queries.item_tenders(session, item))


@bp.route("/portal/payments")
@public
@reads_replica
def payments():
    session = get_read_session()
    if (file := PAYMENTS.file(queries.payments_select())) is not None:
        return file
    page = paginate(session, queries.payments_select(), page_number(), _size())
    return render_template("disclosure/payments.html", page=page)


@bp.route("/portal/cleared")
@public
@reads_replica
def cleared():
    session = get_read_session()
    if (file := CLEARED.file(lambda: queries.all_cleared(session))) is not None:
        return file
    page = queries.cleared_page(session, page_number(), _size())
    return render_template("disclosure/cleared.html", page=page, reasons=REASON_LABELS)


@bp.route("/search")
@public
@reads_replica
def search():
    session = get_read_session()
    q = queries.clean_query(request.args.get("q"))
    if (file := SEARCH.file(lambda: queries.all_hits(session, q))) is not None:
        return file
    page = queries.search_page(session, q, page_number(), _size())
    return render_template("disclosure/search.html", page=page, q=q, hits=HITS)
