"""The auditors' red-flags pages (风险提示): the list with filters and counts per kind, and
the review of one flag with a note."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.access.guards import permission_required
from market.access.permissions import Permission
from market.core.forms import form_page
from market.core.inputs import MAX_YEAR, MIN_YEAR, int_arg
from market.core.pagination import Page, page_number
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


@bp.route("/")
@permission_required(Permission.REDFLAGS_READ)
def index():
    session = get_session()
    year = int_arg("fy", None, low=MIN_YEAR, high=MAX_YEAR)
    department = int_arg("department", None, low=1)
    kind = request.args.get("kind") or None
    kind = kind if kind in DETECTORS else None
    state = request.args.get("state") or None
    state = state if state in queries.REVIEW_STATES else None
    result = queries.flag_list(session, Scope(year, department), kind, state)
    size = current_app.config["PAGE_SIZE"]
    page_no = page_number()
    start = (page_no - 1) * size
    page = Page(result.flags[start:start + size], len(result.flags), page_no, size)
    return render_template("redflags/index.html", result=result, page=page,
                           years=queries.fiscal_years(session),
                           departments=queries.departments(session),
                           kinds=list(DETECTORS), year=year, department=department,
                           kind=kind, state=state,
                           reviewer=current_user.can(Permission.REDFLAGS_REVIEW))


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
