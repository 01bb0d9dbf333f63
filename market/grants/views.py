"""Pages of venture philanthropy (公益创投): the public rounds, civil affairs' drafting and
publishing, and the organizations' applications. Views are thin: parse, call one
service, redirect."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from market.access.guards import login_required, permission_required, public
from market.access.permissions import Permission
from market.accounts.models import Town
from market.catalogs.eligibility import category_label
from market.clock import now
from market.core.forms import form_page
from market.core.listing import Column, Listing, local_name
from market.core.pagination import page_number, paginate
from market.db import get_session
from market.grading.labels import grade_label
from market.grants import queries, services
from market.grants.forms import ConfirmForm, RoundForm, application_form
from market.grants.labels import (QUESTION_KIND, application_status_label,
                                  grant_status_label, priority_mode_label,
                                  round_status_label, stage_label, tranche_label)
from market.grants.models import ApplicationStatus, RoundStatus

bp = Blueprint("grants", __name__, url_prefix="/grants")
MANAGE = Permission.GRANTS_MANAGE
APPLY = Permission.GRANTS_APPLY


@bp.app_context_processor
def _labels():
    return {"grant_round_status": round_status_label,
            "grant_application_status": application_status_label,
            "grant_priority_mode": priority_mode_label, "grant_tranche": tranche_label,
            "grant_question_kind": lambda k: str(QUESTION_KIND.get(k, k)),
            "grant_applications_of_mine": _mine, "org_category_label": category_label,
            "grade_requirement": lambda g: grade_label(g, at_least=True)}


def _mine():
    if not (current_user.is_authenticated and current_user.can(APPLY)):
        return []
    return queries.organization_applications(get_session(), current_user.organization_id)


def _towns(session):
    zh = str(get_locale()).startswith("zh")
    return [(t.id, t.name_zh if zh else t.name_en)
            for t in session.scalars(select(Town).order_by(Town.code))]


# --- public ------------------------------------------------------------------------------

def _window(r) -> str:
    at = now()
    if r.is_open(at):
        return str(_l("Open for applications"))
    return str(_l("Not yet open") if at < r.opens_at else _l("Window closed"))


ROUNDS = Listing("grant-rounds", _l("Venture philanthropy"), (
    Column(_l("Round"), lambda r: r.title),
    Column(_l("Department"), lambda r: local_name(r.department)),
    Column(_l("Pool (yuan)"), lambda r: r.pool, money=True),
    Column(_l("Cap per project (yuan)"), lambda r: r.cap, money=True),
    Column(_l("Applications open"), lambda r: r.opens_at),
    Column(_l("Applications close"), lambda r: r.closes_at),
    Column(_l("Status"), _window),
))


@bp.route("/")
@public
def index():
    session = get_session()
    if (file := ROUNDS.file(queries.public_rounds())) is not None:
        return file
    page = paginate(session, queries.public_rounds(), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("grants/index.html", page=page, at=now())


def _evaluations(grant) -> str:
    return "、".join(f"{stage_label(e.stage)}: {_('Passed') if e.passed else _('Failed')}"
                    for e in grant.evaluations if e.passed is not None)


FUNDED = Listing("funded-projects", _l("Funded projects"), (
    Column(_l("Project"), lambda g: g.application.title),
    Column(_l("Organization"), lambda g: g.organization.name),
    Column(_l("Amount granted (yuan)"), lambda g: g.amount, money=True),
    Column(_l("Paid (yuan)"), lambda g: g.paid, money=True),
    Column(_l("Status"), lambda g: grant_status_label(g.status)),
    Column(_l("Performance evaluations"), _evaluations),
))


@bp.route("/rounds/<int:round_id>")
@public
def round_page(round_id: int):
    return _round_page(round_id, ConfirmForm(formdata=None))


def _round_page(round_id: int, confirm):
    session = get_session()
    grant_round = services.get_round(session, round_id)
    manager = current_user.is_authenticated and current_user.can(MANAGE) and \
        current_user.department_id == grant_round.department_id
    if grant_round.status != RoundStatus.PUBLISHED and not manager:
        abort(404)
    funded = queries.round_grants(session, grant_round) \
        if grant_round.status == RoundStatus.PUBLISHED else []
    if (file := FUNDED.file(lambda: funded)) is not None:
        return file
    mine = []
    if current_user.is_authenticated and current_user.can(APPLY) and \
            current_user.organization_id:
        mine = queries.round_applications(session, grant_round, current_user.organization_id)
    return render_template("grants/round.html", round=grant_round, manager=manager,
                           mine=mine, funded=funded, at=now(), confirm=confirm,
                           available=services.available_for(session, grant_round.item,
                                                            grant_round.id)
                           if manager else None)


# --- civil affairs -----------------------------------------------------------------------

@bp.route("/manage")
@permission_required(MANAGE)
def manage():
    session = get_session()
    page = paginate(session, queries.department_rounds(current_user.department_id),
                    page_number(), current_app.config["PAGE_SIZE"])
    return render_template("grants/manage.html", page=page)


@bp.route("/rounds/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new_round():
    session = get_session()
    form = RoundForm(items=services.funding_items(session, current_user))
    if not form.is_submitted():
        form.fill_defaults()
    return form_page(
        form, lambda s: services.create_round(s, current_user, form.round_data()),
        render=lambda: render_template("grants/edit_round.html", form=form, round=None),
        done=_("The round was saved as a draft."),
        then=lambda r: url_for(".round_page", round_id=r.id))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit_round(round_id: int):
    session = get_session()
    grant_round = services.get_round(session, round_id)
    if grant_round.department_id != current_user.department_id:
        abort(404)
    form = RoundForm(items=services.funding_items(session, current_user))
    if not form.is_submitted():
        form.fill_from(grant_round)
    return form_page(
        form, lambda s: services.edit_round(s, current_user, round_id, form.round_data()),
        render=lambda: render_template("grants/edit_round.html", form=form,
                                       round=grant_round),
        done=_("The draft round was saved."),
        then=url_for(".round_page", round_id=round_id))


@bp.route("/rounds/<int:round_id>/publish", methods=["POST"])
@permission_required(MANAGE)
def publish(round_id: int):
    form = ConfirmForm()
    return form_page(
        form, lambda s: services.publish_round(s, current_user, round_id),
        render=lambda: _round_page(round_id, form), done=_("The round was published."),
        then=url_for(".round_page", round_id=round_id))


# --- organizations -----------------------------------------------------------------------

@bp.route("/mine")
@permission_required(APPLY)
def mine():
    return render_template("grants/mine.html", applications=_mine())


@bp.route("/rounds/<int:round_id>/apply", methods=["GET", "POST"])
@permission_required(APPLY)
def apply(round_id: int):
    session = get_session()
    grant_round = services.public_round(session, round_id)
    form = application_form(grant_round)(towns=_towns(session))
    return form_page(
        form, lambda s: services.create_application(s, current_user, round_id,
                                                    form.application_data()),
        check=lambda: services.check_application(session, grant_round,
                                                 form.application_data()),
        render=lambda: render_template("grants/edit_application.html", form=form,
                                       round=grant_round, application=None),
        done=_("The application was saved as a draft. Submit it before the window closes."),
        then=lambda a: url_for(".application", grant_application_id=a.id))


@bp.route("/applications/<int:grant_application_id>")
@login_required
def application(grant_application_id: int):
    """The application: its organization's users, and civil affairs and auditors once
    submitted."""
    return _application_page(grant_application_id, ConfirmForm(formdata=None))


def _application_page(grant_application_id: int, confirm):
    session = get_session()
    found = services.get_application(session, current_user, grant_application_id)
    own = current_user.organization_id == found.organization_id
    return render_template("grants/application.html", application=found,
                           round=found.round, own=own, at=now(), confirm=confirm)


@bp.route("/applications/<int:grant_application_id>/edit", methods=["GET", "POST"])
@permission_required(APPLY)
def edit_application(grant_application_id: int):
    session = get_session()
    found = services.get_application(session, current_user, grant_application_id)
    if found.status != ApplicationStatus.DRAFT:
        abort(404)
    form = application_form(found.round, found)(towns=_towns(session))
    if not form.is_submitted():
        form.fill_from(found)
    return form_page(
        form, lambda s: services.edit_application(s, current_user, grant_application_id,
                                                  form.application_data()),
        check=lambda: services.check_application(session, found.round,
                                                 form.application_data(), found),
        render=lambda: render_template("grants/edit_application.html", form=form,
                                       round=found.round, application=found),
        done=_("The draft application was saved."),
        then=url_for(".application", grant_application_id=grant_application_id))


@bp.route("/applications/<int:grant_application_id>/submit", methods=["POST"])
@permission_required(APPLY)
def submit(grant_application_id: int):
    form = ConfirmForm()
    return form_page(
        form, lambda s: services.submit_application(s, current_user, grant_application_id),
        render=lambda: _application_page(grant_application_id, form),
        done=_("The application was submitted."),
        then=url_for(".application", grant_application_id=grant_application_id))


@bp.route("/applications/<int:grant_application_id>/withdraw", methods=["POST"])
@permission_required(APPLY)
def withdraw(grant_application_id: int):
    form = ConfirmForm()
    return form_page(
        form, lambda s: services.withdraw_application(s, current_user, grant_application_id),
        render=lambda: _application_page(grant_application_id, form),
        done=_("The application was withdrawn."),
        then=url_for(".application", grant_application_id=grant_application_id))
