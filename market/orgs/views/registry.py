"""The internal registry: organizations, applications and annual reports, with the
review, status and inspection actions for those allowed to take them."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.core.inputs import MAX_YEAR, MIN_YEAR, int_arg
from market.access.guards import permission_required
from market.access.permissions import Permission
from market.clock import today_local
from market.core.forms import form_page
from market.core.listing import Column, Listing, local_name
from market.core.pagination import page_number
from market.db import get_session
from market.orgs import applications as application_services
from market.orgs import queries, reporting
from market.orgs import sanctions as sanction_services
from market.orgs import status as org_status
from market.orgs.access import (get_registry_application, get_registry_organization,
                                get_registry_report, sees_application)
from market.orgs.enums import ApplicationState, Category, OrgStatus, Track
from market.orgs.forms import DecisionForm, InspectionForm, StatusForm
from market.orgs.views.blueprint import bp
from market.orgs.views.mine import _departure_audit_form
from market.orgs.views.public import ORG_COLUMNS, filters_from_args

P = Permission

REGISTRY = Listing("registry", _l("Registry"), (
    ORG_COLUMNS[0], Column(_l("Credit code"), lambda o: o.credit_code), *ORG_COLUMNS[1:4],
    Column(_l("Status"), lambda o: o.status.label), ORG_COLUMNS[4]))
APPLICATIONS = Listing("applications", _l("Applications"), (
    Column("#", lambda a: a.id),
    Column(_l("Organization"), lambda a: a.organization.name),
    Column(_l("Type"), lambda a: str(_l("Registration") if a.track == Track.REGISTERED
                                     else _l("Filing"))),
    Column(_l("Category"), lambda a: a.organization.category.label),
    Column(_l("Town or district"), lambda a: local_name(a.organization.town)),
    Column(_l("Submitted"), lambda a: a.submitted_at),
    Column(_l("State"), lambda a: a.state.label),
))
ANNUAL_REPORTS = Listing("annual-reports", _l("Annual reports"), (
    Column(_l("Organization"), lambda r: r.organization.name),
    Column(_l("Year"), lambda r: r.year),
    Column(_l("Submitted"), lambda r: r.submitted_at),
    Column(_l("Result"), lambda r: r.result.label if r.result else str(_l("Awaiting inspection"))),
))


def _me():
    return current_user._get_current_object()


def _size() -> int:
    return current_app.config["PAGE_SIZE"]


def _choice(name: str, enum_cls) -> str | None:
    value = request.args.get(name) or None
    return value if value in {m.value for m in enum_cls} else None


@bp.route("/registry/")
@permission_required(P.ORGS_READ_REGISTRY)
def registry():
    session = get_session()
    f = filters_from_args()
    f.status, f.track = _choice("status", OrgStatus), _choice("track", Track)
    if (file := REGISTRY.file(queries.registry_list(_me(), f))) is not None:
        return file
    page = queries.registry_page(session, _me(), f, page_number(), _size())
    return render_template("orgs/registry_list.html", page=page, f=f, statuses=list(OrgStatus),
                           tracks=list(Track), towns=queries.towns(session),
                           categories=list(Category))


@bp.route("/registry/organizations/<int:org_id>")
@permission_required(P.ORGS_READ_REGISTRY)
def registry_detail(org_id: int):
    session = get_session()
    org = get_registry_organization(session, _me(), org_id)
    return _render_detail(org), 200


def _render_detail(org, status_form=None):
    session = get_session()
    return render_template(
        "orgs/registry_detail.html", org=org, status_form=status_form or StatusForm(), P=P,
        sees_application=lambda application: sees_application(_me(), application),
        trail=queries.audit_trail(session, org),
        departure_audits=queries.departure_audits(session, org.id),
        sanction_rows=sanction_services.sanctions_of(session, org), today=today_local())


@bp.route("/registry/organizations/<int:org_id>/suspend", methods=["POST"],
          defaults={"action": "suspend"})
@bp.route("/registry/organizations/<int:org_id>/reactivate", methods=["POST"],
          defaults={"action": "reactivate"})
@bp.route("/registry/organizations/<int:org_id>/clear", methods=["POST"],
          defaults={"action": "clear"})
@permission_required(P.ORGS_MANAGE_STATUS)
def change_status(org_id: int, action: str):
    org = get_registry_organization(get_session(), _me(), org_id)
    form = StatusForm()
    return form_page(
        form, lambda s: org_status.change_status(s, _me(), org_id, action, form.reason.data),
        done=lambda _r: _("The organization's status is now: %(status)s.",
                          status=org.status.label),
        then=url_for("orgs.registry_detail", org_id=org_id),
        render=lambda: _render_detail(org, form))


@bp.route("/registry/organizations/<int:org_id>/departure-audits/new",
          methods=["GET", "POST"])
@permission_required(P.ORGS_RECORD_DEPARTURE_AUDIT)
def record_departure_audit(org_id: int):
    org = get_registry_organization(get_session(), _me(), org_id)
    return _departure_audit_form(org, url_for("orgs.registry_detail", org_id=org_id))


@bp.route("/registry/applications/")
@permission_required(P.ORGS_READ_REGISTRY)
def applications():
    state = _choice("state", ApplicationState)
    track = _choice("track", Track)
    if (file := APPLICATIONS.file(queries.applications_list(_me(), state=state,
                                                            track=track))) is not None:
        return file
    page = queries.applications_page(get_session(), _me(), page_number(), _size(),
                                     state=state, track=track)
    return render_template("orgs/applications.html", page=page, state=state, track=track,
                           states=list(ApplicationState), tracks=list(Track))


@bp.route("/registry/applications/<int:application_id>")
@permission_required(P.ORGS_READ_REGISTRY)
def application(application_id: int):
    application = get_registry_application(get_session(), _me(), application_id)
    return _render_application(application, DecisionForm()), 200


def _render_application(application, form):
    return render_template("orgs/application.html", application=application,
                           org=application.organization, form=form,
                           materials=queries.application_materials(get_session(), application),
                           may_decide=application_services.may_decide(_me(), application), P=P)


def _decide(application_id: int, track: Track):
    application = get_registry_application(get_session(), _me(), application_id)
    if application.track != track:
        abort(404)
    form = DecisionForm()
    return form_page(
        form, lambda s: application_services.decide_application(
            s, _me(), application_id, form.decision.data, form.reason.data),
        done=lambda _r: _("Your decision has been recorded: %(state)s.",
                          state=application.state.label),
        then=url_for("orgs.application", application_id=application_id),
        render=lambda: _render_application(application, form))


@bp.route("/registry/applications/<int:application_id>/registration-decision",
          methods=["POST"])
@permission_required(P.ORGS_REVIEW_REGISTRATION)
def decide_registration(application_id: int):
    return _decide(application_id, Track.REGISTERED)


@bp.route("/registry/applications/<int:application_id>/filing-decision", methods=["POST"])
@permission_required(P.ORGS_REVIEW_FILING)
def decide_filing(application_id: int):
    return _decide(application_id, Track.FILED)


@bp.route("/registry/annual-reports/")
@permission_required(P.ORGS_READ_REGISTRY)
def annual_reports():
    pending = request.args.get("pending", "1") == "1"
    year = int_arg("year", low=MIN_YEAR, high=MAX_YEAR)
    if (file := ANNUAL_REPORTS.file(queries.annual_reports_list(_me(), pending=pending,
                                                                year=year))) is not None:
        return file
    page = queries.annual_reports_page(get_session(), _me(), page_number(), _size(),
                                       pending=pending, year=year)
    return render_template("orgs/annual_reports.html", page=page, pending=pending, year=year)


@bp.route("/registry/annual-reports/<int:report_id>")
@permission_required(P.ORGS_READ_REGISTRY)
def annual_report(report_id: int):
    report = get_registry_report(get_session(), _me(), report_id)
    return render_template("orgs/annual_report.html", report=report, form=InspectionForm(), P=P)


@bp.route("/registry/annual-reports/<int:report_id>/result", methods=["POST"])
@permission_required(P.ORGS_REVIEW_ANNUAL_REPORT)
def record_result(report_id: int):
    report = get_registry_report(get_session(), _me(), report_id)
    form = InspectionForm()
    return form_page(
        form, lambda s: reporting.record_inspection_result(
            s, _me(), report_id, form.result.data, form.comment.data),
        done=_("The inspection result has been recorded."),
        then=url_for("orgs.annual_report", report_id=report_id),
        render=lambda: render_template("orgs/annual_report.html", report=report, form=form,
                                       P=P))
