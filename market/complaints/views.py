"""Complaint pages: anyone files and tracks by code; the public reads the outcomes (never
who complained); civil affairs routes or dismisses; the department answers; civil affairs
and auditors see what is overdue."""
from __future__ import annotations

import secrets

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask import session as browser
from flask_babel import get_locale, gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market import policy
from market.access.guards import permission_required, public
from market.access.permissions import Permission
from market.accounts.sessions import client_address
from market.clock import now
from market.complaints import access, queries, services
from market.complaints.forms import (DismissForm, FileComplaintForm, RespondForm, RouteForm,
                                     TrackForm, form_token)
from market.complaints.labels import OUTCOME_LABELS, STATUS_LABELS, SUBJECT_LABELS
from market.complaints.models import Complaint, ComplaintStatus, SubjectKind
from market.contracts.models import Milestone
from market.core.forms import form_page, place_error, submit
from market.core.inputs import choice_arg, int_arg
from market.core.listing import Column, Listing, local_name
from market.core.pagination import page_number
from market.db import get_session
from market.documents.storage import upload_from
from market.errors import NotFound

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

FILED_KEY = "complaint_filed_code"  # the new tracking code, shown once after filing
BROWSER_KEY = "complaint_browser"  # a random id per browser session, for the rate limit


@bp.app_context_processor
def _helpers():
    return {"complaint_subject_label": lambda v: SUBJECT_LABELS[v],
            "complaint_status_label": lambda v: STATUS_LABELS[v],
            "complaint_outcome_label": lambda v: OUTCOME_LABELS[v],
            "complaint_subject_url": _subject_url,
            "complaints_panel": _panel,
            "complaints_about": lambda org_id: queries.answered_about(get_session(), org_id)}


def _subject_url(complaint: Complaint) -> str:
    kind, sid = complaint.subject_kind, complaint.subject_id
    if kind == SubjectKind.ORGANIZATION:
        return url_for("orgs.public_profile", org_id=sid)
    if kind == SubjectKind.TENDER:
        return url_for("tenders.detail", tender_id=sid)
    if kind == SubjectKind.CONTRACT:
        return url_for("contracts.detail", contract_id=sid)
    milestone = get_session().get(Milestone, sid)
    return url_for("contracts.detail", contract_id=milestone.contract_id)


def _panel() -> dict:
    session = get_session()
    return {"overdue": queries.overdue_count(session) if access.sees_all(current_user) else 0,
            "waiting": queries.waiting_for(session, current_user)}


# --- the lists' downloads ---------------------------------------------------------------

def _answered_by(complaint: Complaint) -> str:
    """The department that answers; civil affairs for complaints about organizations."""
    return local_name(complaint.department) if complaint.department else _("Civil affairs")


def _outcome(complaint: Complaint) -> str:
    return str(OUTCOME_LABELS[complaint.outcome]) if complaint.outcome else ""


OUTCOMES = Listing("complaint-outcomes", _l("Complaints and their outcomes"), (
    Column(_l("Subject kind"), lambda c: str(SUBJECT_LABELS[c.subject_kind])),
    Column(_l("Subject"), lambda c: c.subject_title),
    Column(_l("Filed on"), lambda c: c.filed_at),
    Column(_l("Answered on"), lambda c: c.answered_at),
    Column(_l("Answered by"), _answered_by),
    Column(_l("Outcome"), _outcome),
    Column(_l("Finding"), lambda c: c.finding),
))
WORK = Listing("complaints", _l("Complaint handling"), (
    Column("#", lambda c: c.id),
    Column(_l("Subject kind"), lambda c: str(SUBJECT_LABELS[c.subject_kind])),
    Column(_l("Subject"), lambda c: c.subject_title),
    Column(_l("Status"), lambda c: str(STATUS_LABELS[c.status])),
    Column(_l("Overdue"), lambda c: _("Yes") if c.overdue_on(now()) else _("No")),
    Column(_l("Filed on"), lambda c: c.filed_at),
    Column(_l("Answer due by"), lambda c: c.due_at),
    Column(_l("Routed to"), lambda c: local_name(c.department) if c.routed_at else ""),
    Column(_l("Answered on"), lambda c: c.answered_at),
    Column(_l("Outcome"), _outcome),
))


def work_count(context: dict) -> int:
    """How many complaints the work page lists (overdue ones are also waiting)."""
    lists = context["lists"]
    return len(lists["to_route"]) + len(lists["routed"]) + lists["closed"].total


# --- the public -------------------------------------------------------------------------

@bp.route("/")
@public
def index():
    if (file := OUTCOMES.file(queries.public_outcomes_select())) is not None:
        return file
    outcomes = queries.public_outcomes(get_session(), page_number())
    return render_template("complaints/index.html", outcomes=outcomes,
                           working_days=_working_days())


def _rate_keys() -> tuple[str, ...]:
    if BROWSER_KEY not in browser:
        browser[BROWSER_KEY] = secrets.token_hex(16)
    return (f"address:{client_address()}", f"browser:{browser[BROWSER_KEY]}")


@bp.route("/new", methods=["GET", "POST"])
@public
def new():
    form = FileComplaintForm()
    if not form.is_submitted():
        form.served.data = form_token()
        form.subject_kind.data = choice_arg("kind", [k.value for k in SubjectKind]) \
            or form.subject_kind.data
        form.subject_id.data = int_arg("id", None, low=1)
    keys = _rate_keys()
    outcome = submit(form, lambda s: services.file_complaint(
        s, services.ComplaintData(form.subject_kind.data, form.subject_id.data, form.text.data,
                                  form.anonymous.data, form.contact_name.data,
                                  form.contact_phone.data),
        [upload_from(f) for f in form.attachments.data or []],
        throttle=current_app.extensions["login_throttle"], rate_keys=keys))
    if outcome.done:
        browser[FILED_KEY] = outcome.result.tracking_code
        flash(_("Your complaint was received."), "success")
        return redirect(url_for(".filed"))
    return render_template("complaints/new.html", form=form), outcome.status


@bp.route("/filed")
@public
def filed():
    """The tracking code, once, to the browser that filed (never stored in clear)."""
    code = browser.pop(FILED_KEY, None)
    if code is None:
        return redirect(url_for(".track"))
    response = current_app.make_response(render_template(
        "complaints/filed.html", code=services.show_code(code),
        working_days=_working_days()))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _working_days() -> int:
    return policy.value("complaint_response_working_days")


@bp.route("/track", methods=["GET", "POST"])
@public
def track():
    form = TrackForm()
    complaint, status = None, 200
    if form.validate_on_submit():
        try:
            complaint = services.find_by_code(get_session(), form.code.data)
        except NotFound as e:
            status = place_error(form, e)
    elif form.is_submitted():
        status = 400
    response = current_app.make_response((render_template(
        "complaints/track.html", form=form, complaint=complaint, moment=now()), status))
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- civil affairs, departments, auditors ---------------------------------------------

@bp.route("/work")
@permission_required(Permission.COMPLAINTS_READ)
def work():
    session = get_session()
    if (file := WORK.file(queries.work_select(current_user))) is not None:
        return file
    return render_template("complaints/work.html",
                           lists=queries.work_lists(session, current_user, page_number()),
                           manager=current_user.can(Permission.COMPLAINTS_MANAGE),
                           moment=now())


def _route_form(session, complaint, form: RouteForm | None = None) -> RouteForm:
    form = form or RouteForm(formdata=None, department_id=complaint.department_id
                             or complaint.subject_department_id or 0)
    form.department_id.choices = [(0, _("Civil affairs handles it itself"))] + [
        (d.id, _department_name(d)) for d in queries.departments(session)]
    return form


def _department_name(department) -> str:
    return department.name_en if str(get_locale()) == "en" else department.name_zh


def _render(session, complaint: Complaint, status: int = 200, **given):
    manager = current_user.can(Permission.COMPLAINTS_MANAGE)
    handler = access.is_handler(current_user, complaint)
    return render_template(
        "complaints/detail.html", complaint=complaint, moment=now(),
        contact=access.sees_contact(current_user, complaint),
        attachments=queries.attachments(session, complaint),
        route_form=given.get("route_form") or (
            _route_form(session, complaint) if manager and complaint.is_open else None),
        dismiss_form=given.get("dismiss_form") or (
            DismissForm(formdata=None) if manager and complaint.is_open else None),
        respond_form=given.get("respond_form") or (
            RespondForm(formdata=None)
            if handler and complaint.status == ComplaintStatus.ROUTED else None)), status


@bp.route("/work/<int:complaint_id>")
@permission_required(Permission.COMPLAINTS_READ)
def detail(complaint_id: int):
    session = get_session()
    return _render(session, access.get_complaint(session, current_user, complaint_id))


@bp.route("/work/<int:complaint_id>/route", methods=["POST"])
@permission_required(Permission.COMPLAINTS_MANAGE)
def route(complaint_id: int):
    session = get_session()
    complaint = access.get_complaint(session, current_user, complaint_id)
    form = _route_form(session, complaint, RouteForm())
    form.department_id.validate_choice = False  # the service says why one is refused
    return form_page(
        form, lambda s: services.route(s, current_user, complaint_id,
                                       form.department_id.data or None),
        done=_("The complaint was routed."), then=url_for(".detail", complaint_id=complaint_id),
        render=lambda: _render(session, complaint, route_form=form)[0])


@bp.route("/work/<int:complaint_id>/dismiss", methods=["POST"])
@permission_required(Permission.COMPLAINTS_MANAGE)
def dismiss(complaint_id: int):
    session = get_session()
    complaint = access.get_complaint(session, current_user, complaint_id)
    form = DismissForm()
    return form_page(
        form, lambda s: services.dismiss(s, current_user, complaint_id, form.reason.data),
        done=_("The complaint was dismissed."),
        then=url_for(".detail", complaint_id=complaint_id),
        render=lambda: _render(session, complaint, dismiss_form=form)[0])


@bp.route("/work/<int:complaint_id>/respond", methods=["POST"])
@permission_required(Permission.COMPLAINTS_RESPOND)
def respond(complaint_id: int):
    session = get_session()
    complaint = access.get_complaint(session, current_user, complaint_id)
    form = RespondForm()
    return form_page(
        form, lambda s: services.respond(s, current_user, complaint_id, form.outcome.data,
                                         form.finding.data),
        done=_("The answer was recorded and published."),
        then=url_for(".detail", complaint_id=complaint_id),
        render=lambda: _render(session, complaint, respond_form=form)[0])
