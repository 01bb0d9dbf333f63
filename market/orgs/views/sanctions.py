"""处罚/惩戒 pages: civil affairs records a penalty or investigation (with confirmation)
and records when it ends; registry readers list them."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.access.guards import permission_required
from market.access.permissions import Permission
from market.clock import today_local
from market.core.forms import form_page
from market.core.listing import Column, Listing
from market.db import get_session
from market.errors import NotFound
from market.orgs import sanctions as sanction_services
from market.orgs.access import get_registry_organization, sees_organization
from market.orgs.forms import SanctionEndForm, SanctionForm
from market.orgs.models import Sanction
from market.orgs.views.blueprint import bp

P = Permission


def _standing(x) -> str:
    today = today_local()
    if x.in_force(today):
        return str(_l("In force"))
    return str(_l("Ended") if x.ends_on and x.ends_on < today else _l("Not yet in force"))


SANCTIONS = Listing("sanctions", _l("Penalties and investigations"), (
    Column(_l("Organization"), lambda x: x.organization.name),
    Column(_l("Kind"), lambda x: x.kind.label),
    Column(_l("Serious violation"), lambda x: str(_l("Yes") if x.serious else _l("No"))),
    Column(_l("Standing"), _standing),
    Column(_l("Date of the decision"), lambda x: x.imposed_on),
    Column(_l("In force until"), lambda x: x.ends_on),
    Column(_l("Deciding authority"), lambda x: x.authority),
    Column(_l("Decision document number"), lambda x: x.document_ref),
    Column(_l("Grounds"), lambda x: x.reason),
))


def _me():
    return current_user._get_current_object()


def _visible(session) -> list[Sanction]:
    return [s for s in sanction_services.all_sanctions(session)
            if sees_organization(_me(), s.organization)]


def _render_list(end_forms=None):
    session = get_session()
    rows = _visible(session)
    forms = end_forms or {}
    return render_template("orgs/sanctions.html", rows=rows, today=today_local(), P=P,
                           end_form=lambda s: forms.get(s.id) or SanctionEndForm(
                               prefix=f"end{s.id}"))


@bp.route("/registry/sanctions/")
@permission_required(P.ORGS_READ_REGISTRY)
def sanctions():
    if (file := SANCTIONS.file(lambda: _visible(get_session()))) is not None:
        return file
    return _render_list()


@bp.route("/registry/organizations/<int:org_id>/sanctions/new", methods=["GET", "POST"])
@permission_required(P.ORGS_MANAGE_STATUS)
def record_sanction(org_id: int):
    org = get_registry_organization(get_session(), _me(), org_id)
    form = SanctionForm()
    return form_page(
        form, lambda s: sanction_services.record_sanction(
            s, _me(), org.id, kind=form.kind.data, imposed_on=form.imposed_on.data,
            ends_on=form.ends_on.data, serious=form.serious.data,
            authority=form.authority.data, reason=form.reason.data,
            document_ref=form.document_ref.data),
        done=_("The penalty or investigation has been recorded."),
        then=url_for("orgs.registry_detail", org_id=org.id),
        render=lambda: render_template("orgs/sanction_form.html", form=form, org=org))


@bp.route("/registry/sanctions/<int:sanction_id>/end", methods=["POST"])
@permission_required(P.ORGS_MANAGE_STATUS)
def end_sanction(sanction_id: int):
    sanction = get_session().get(Sanction, sanction_id)
    if sanction is None or not sees_organization(_me(), sanction.organization):
        raise NotFound(_("No such penalty or investigation."))
    form = SanctionEndForm(prefix=f"end{sanction_id}")
    return form_page(
        form, lambda s: sanction_services.end_sanction(
            s, _me(), sanction_id, form.ended_on.data, form.note.data),
        done=_("The end of the penalty or investigation has been recorded."),
        then=url_for("orgs.sanctions"),
        render=lambda: _render_list({sanction_id: form}))
