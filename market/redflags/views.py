"""The auditors' red-flags pages (风险提示): the list with filters and counts per kind (also
a CSV and an Excel file, ``market/core/listing.py``), and the review of one flag with a
note."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.access.guards import permission_required
from market.access.permissions import Permission
from market.core.forms import form_page
from market.core.inputs import MAX_YEAR, MIN_YEAR, int_arg
from market.core.listing import Column, Listing, local_name
from market.core.pagination import page_number, page_of
from market.db import get_session
from market.redflags import labels, queries, services
from market.redflags.detectors import DETECTORS, Scope
from market.redflags.forms import ReviewForm

bp = Blueprint("redflags", __name__, url_prefix="/audit/red-flags")


@bp.app_context_processor
def _helpers():
    return {"redflag_kind": lambda k: labels.KIND_LABELS[k],
            "redflag_subject": lambda k: labels.SUBJECT_LABELS[k],
            "redflag_link": lambda k: labels.LINK_LABELS[k],
            "redflag_evidence": labels.evidence,
            "redflag_open_count": lambda: queries.open_count(get_session())}


def _filters() -> dict:
    """The list's filters from the query string; one it cannot read is ignored."""
    kind = request.args.get("kind") or None
    state = request.args.get("state") or None
    return {"year": int_arg("fy", None, low=MIN_YEAR, high=MAX_YEAR),
            "department": int_arg("department", None, low=1),
            "kind": kind if kind in DETECTORS else None,
            "state": state if state in queries.REVIEW_STATES else None}


def _flag_list(session, f: dict) -> queries.FlagList:
    return queries.flag_list(session, Scope(f["year"], f["department"]), f["kind"],
                             f["state"])


def _links(flag) -> str:
    """The flag's evidence pages the reader may open, as full addresses."""
    return " ".join(url_for(link.endpoint, **link.args, _external=True) for link in flag.links
                    if not link.permission or current_user.can(link.permission))


FLAGS = Listing("red-flags", _l("Red flags"), (
    Column(_l("Kind"), lambda f: str(labels.KIND_LABELS[f.kind])),
    Column(_l("Key"), lambda f: f.key),
    Column(_l("Subject"), lambda f: f"{labels.SUBJECT_LABELS[f.subject_kind]}: {f.subject}"),
    Column(_l("Fiscal year"), lambda f: f.fiscal_year),
    Column(_l("Department"), lambda f: local_name(f.department)),
    Column(_l("Evidence"), labels.evidence),
    Column(_l("Evidence links"), _links),
    Column(_l("Reviewed"), lambda f: f.review.reviewed_at if f.review else None),
    Column(_l("Review note"), lambda f: f.review.note if f.review else None),
))


@bp.route("/")
@permission_required(Permission.REDFLAGS_READ)
def index():
    session = get_session()
    filters = _filters()
    result = _flag_list(session, filters)
    if (file := FLAGS.file(lambda: result.flags)) is not None:
        return file
    size = current_app.config["PAGE_SIZE"]
    page = page_of(result.flags, page_number(), size)
    return render_template("redflags/index.html", result=result, page=page,
                           years=queries.fiscal_years(session),
                           departments=queries.departments(session),
                           kinds=list(DETECTORS), **filters,
                           reviewer=current_user.can(Permission.REDFLAGS_REVIEW))


@bp.route("/export.csv", defaults={"fmt": "csv"})
@bp.route("/export.xlsx", defaults={"fmt": "xlsx"})
@permission_required(Permission.REDFLAGS_READ)
def export(fmt: str):
    """The former download addresses: the list's own file, same filters."""
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    return redirect(url_for(".index", **args, format=fmt))


@bp.route("/review", methods=["GET", "POST"])
@permission_required(Permission.REDFLAGS_REVIEW)
def review():
    session = get_session()
    key = request.values.get("key", "")
    flag = queries.find(session, key)
    if flag is None:
        abort(404)
    form = ReviewForm()
    return form_page(
        form, lambda s: services.mark_reviewed(s, current_user, key, form.note.data),
        done=_("Red flag marked reviewed."),
        then=url_for(".index", kind=flag.kind),
        render=lambda: render_template("redflags/review.html", flag=flag, form=form))
