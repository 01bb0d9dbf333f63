"""The organization's own pages: apply, correct and resubmit, annual reports, departures."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.access.guards import permission_required, role_required
from market.access.permissions import Permission, Role
from market.core.forms import form_page
from market.db import get_session
from market.documents.storage import upload_from
from market.orgs import applications, queries, reporting
from market.orgs.access import get_own_application
from market.orgs.enums import ApplicationState, Track
from market.orgs.rules import check_details
from market.orgs.forms import (AnnualReportForm, DepartureAuditForm, FilingForm,
                               RegistrationForm, options)
from market.orgs.views.blueprint import bp
from market.orgs.views._forms import with_towns


def _me():
    return current_user._get_current_object()


@bp.route("/my/organization")
@role_required(Role.ORGANIZATION)
def mine():
    session = get_session()
    home = queries.organization_home(session, _me())
    audits = queries.departure_audits(session, home.organization.id) if home.organization \
        else []
    return render_template("orgs/mine.html", home=home, departure_audits=audits)


@bp.route("/my/apply/registration", methods=["GET", "POST"], defaults={"kind": "registration"})
@bp.route("/my/apply/filing", methods=["GET", "POST"], defaults={"kind": "filing"})
@permission_required(Permission.ORGS_APPLY)
def apply(kind: str):
    track = Track.REGISTERED if kind == "registration" else Track.FILED
    home = queries.organization_home(get_session(), _me())
    if _me().organization_id or (home.application and home.application.is_open):
        flash(_("You already have an organization or an application in progress."), "info")
        return redirect(url_for("orgs.mine"))
    registered = track == Track.REGISTERED
    form = with_towns(RegistrationForm() if registered else FilingForm())
    return form_page(
        form, lambda s: applications.submit_application(
            s, _me(), form.details(), track,
            prior_approval=upload_from(form.prior_approval.data) if registered else None),
        done=_("Your application has been submitted. You will see the outcome here."),
        then=url_for("orgs.mine"),
        check=lambda: check_details(get_session(), form.details(), track),
        render=lambda: render_template("orgs/apply.html", form=form, track=track,
                                       application=None))


@bp.route("/my/applications/<int:application_id>/correct", methods=["GET", "POST"])
@permission_required(Permission.ORGS_APPLY)
def correct(application_id: int):
    """退回补正 — the applicant corrects a returned application and submits it again."""
    application = get_own_application(get_session(), _me(), application_id)
    if application.state != ApplicationState.RETURNED:
        flash(_("Only an application returned for correction can be resubmitted."), "info")
        return redirect(url_for("orgs.mine"))
    registered = application.track == Track.REGISTERED
    form = with_towns(RegistrationForm() if registered else FilingForm())
    if not form.is_submitted():
        form.fill_from(application.organization)
    return form_page(
        form, lambda s: applications.resubmit_application(
            s, _me(), application_id, form.details(),
            prior_approval=upload_from(form.prior_approval.data) if registered else None),
        done=_("Your corrected application has been submitted again."),
        then=url_for("orgs.mine"),
        check=lambda: check_details(get_session(), form.details(), application.track,
                                    organization_id=application.organization_id),
        render=lambda: render_template("orgs/apply.html", form=form, track=application.track,
                                       application=application))


@bp.route("/my/annual-reports/new", methods=["GET", "POST"])
@permission_required(Permission.ORGS_SUBMIT_ANNUAL_REPORT)
def new_annual_report():
    home = queries.organization_home(get_session(), _me())
    org = _me().organization
    if org is None:
        flash(_("Your account does not act for a registered organization yet."), "info")
        return redirect(url_for("orgs.mine"))
    form = AnnualReportForm()
    form.year.choices = options([(y, str(y)) for y in home.due_years] or [("", "—")])
    return form_page(
        form, lambda s: reporting.submit_annual_report(
            s, _me(), org.id, form.figures(), upload_from(form.audit_report.data)),
        done=_("Your annual report has been submitted to civil affairs."),
        then=url_for("orgs.mine"),
        render=lambda: render_template("orgs/annual_report_form.html", form=form, org=org))


@bp.route("/my/departure-audits/new", methods=["GET", "POST"])
@permission_required(Permission.ORGS_SUBMIT_DEPARTURE_AUDIT)
def my_departure_audit():
    org = _me().organization
    if org is None:
        flash(_("Your account does not act for a registered organization yet."), "info")
        return redirect(url_for("orgs.mine"))
    return _departure_audit_form(org, url_for("orgs.mine"))


def _departure_audit_form(org, done_url: str):
    form = DepartureAuditForm()
    if not form.is_submitted():
        form.outgoing.data = org.legal_representative
    return form_page(
        form, lambda s: reporting.record_departure_audit(
            s, _me(), org.id, outgoing=form.outgoing.data, incoming=form.incoming.data,
            departure_date=form.departure_date.data,
            audit_report=upload_from(form.audit_report.data)),
        done=_("The departure audit has been recorded."), then=done_url,
        render=lambda: render_template("orgs/departure_audit_form.html", form=form, org=org))
