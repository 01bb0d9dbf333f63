"""Pages of the expert pool (civil affairs) and of the draw records (auditors).

Views are thin: each parses its form, calls one service and redirects.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from market.access.guards import permission_required
from market.access.permissions import Permission, Role
from market.accounts.models import Department, User
from market.core.forms import form_page
from market.core.listing import Column, Listing
from market.core.pagination import page_number, paginate
from market.db import get_session
from market.experts import queries, services
from market.experts.forms import ConflictForm, ExpertForm, SearchForm, UnavailableForm
from market.experts.labels import exclusion_label, specialty_label
from market.experts.models import PoolExpert, Specialty
from market.orgs.models import Organization

bp = Blueprint("experts", __name__, url_prefix="/experts")
MANAGE = Permission.EXPERTS_MANAGE
READ_DRAWS = Permission.EXPERTS_DRAWS_READ


@bp.app_context_processor
def _labels():
    return {"specialty_label": specialty_label, "draw_exclusion_label": exclusion_label}


def _choices(session, expert: PoolExpert | None = None) -> dict:
    taken = set(session.scalars(select(PoolExpert.user_id)))
    if expert is not None:
        taken.discard(expert.user_id)
    users = [u for u in session.scalars(select(User).where(User.role == Role.EXPERT)
                                        .order_by(User.display_name)) if u.id not in taken]
    return {"users": users,
            "organizations": list(session.scalars(select(Organization)
                                                  .order_by(Organization.name))),
            "departments": list(session.scalars(select(Department).order_by(Department.code)))}


def _data(form: ExpertForm) -> services.ExpertData:
    return services.ExpertData(
        user_id=form.user_id.data, specialties=list(form.specialties.data or []),
        title=form.title.data or "", employer_name=form.employer_name.data or "",
        employer_org_id=form.employer_org_id.data or None,
        employer_department_id=form.employer_department_id.data or None,
        active=bool(form.active.data))


@bp.route("/")
@permission_required(MANAGE)
def index():
    session = get_session()
    search = SearchForm(request.args)
    specialty = request.args.get("specialty", "")
    if specialty not in {s.value for s in Specialty}:
        specialty = ""
    page = paginate(session, queries.pool(request.args.get("q", "")[:100], specialty),
                    page_number(), current_app.config["PAGE_SIZE"])
    return render_template("experts/index.html", page=page, search=search)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new():
    session = get_session()
    form = ExpertForm(**_choices(session))
    return form_page(
        form, lambda s: services.add_expert(s, current_user, _data(form)),
        render=lambda: render_template("experts/edit.html", form=form, expert=None),
        done=_("The expert was added to the pool."),
        then=lambda e: url_for(".detail", expert_id=e.id))


@bp.route("/<int:expert_id>")
@permission_required(MANAGE)
def detail(expert_id: int):
    session = get_session()
    return _detail_page(session, expert_id, UnavailableForm(formdata=None),
                        ConflictForm(formdata=None,
                                     organizations=_choices(session)["organizations"]))


@bp.route("/<int:expert_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit(expert_id: int):
    session = get_session()
    expert = services.get_expert(session, expert_id)
    form = ExpertForm(obj=expert, **_choices(session, expert))
    if not form.is_submitted():
        form.employer_org_id.data = expert.employer_org_id or 0
        form.employer_department_id.data = expert.employer_department_id or 0
    return form_page(
        form, lambda s: services.edit_expert(s, current_user, expert_id, _data(form)),
        render=lambda: render_template("experts/edit.html", form=form, expert=expert),
        done=_("The expert's record was saved."),
        then=url_for(".detail", expert_id=expert_id))


def _detail_page(session, expert_id, unavailable_form, conflict_form):
    expert = services.get_expert(session, expert_id)
    return render_template(
        "experts/detail.html", expert=expert,
        unavailable=queries.unavailability(session, expert),
        conflicts=queries.conflicts(session, expert),
        unavailable_form=unavailable_form, conflict_form=conflict_form)


@bp.route("/<int:expert_id>/unavailable", methods=["POST"])
@permission_required(MANAGE)
def unavailable(expert_id: int):
    session = get_session()
    form = UnavailableForm()
    conflict_form = ConflictForm(formdata=None, organizations=_choices(session)["organizations"])
    return form_page(
        form, lambda s: services.mark_unavailable(s, current_user, expert_id,
                                                  form.starts_on.data, form.ends_on.data,
                                                  form.reason.data or ""),
        render=lambda: _detail_page(session, expert_id, form, conflict_form),
        done=_("The unavailable period was recorded."),
        then=url_for(".detail", expert_id=expert_id))


@bp.route("/<int:expert_id>/conflicts", methods=["POST"])
@permission_required(MANAGE)
def conflict(expert_id: int):
    session = get_session()
    form = ConflictForm(organizations=_choices(session)["organizations"])
    return form_page(
        form, lambda s: services.declare_standing_conflict(
            s, current_user, expert_id, form.organization_id.data, form.note.data or ""),
        render=lambda: _detail_page(session, expert_id, UnavailableForm(formdata=None), form),
        done=_("The declared conflict of interest was recorded."),
        then=url_for(".detail", expert_id=expert_id))


# --- draw records (auditors, civil affairs) ------------------------------------------------

DRAWS = Listing("expert-draws", _l("Expert draws"), (
    Column(_l("Drawn at"), lambda d: d.drawn_at),
    Column(_l("For"), lambda d: _subject(get_session())(d)[0]),
    Column(_l("Specialty"), lambda d: specialty_label(d.specialty)),
    Column(_l("Experts"), lambda d: d.size),
    Column(_l("Replacements"), lambda d: len(d.steps)),
))


@bp.route("/draws")
@permission_required(READ_DRAWS)
def draws():
    session = get_session()
    if (file := DRAWS.file(lambda: session.scalars(queries.draws()))) is not None:
        return file
    page = paginate(session, queries.draws(), page_number(), current_app.config["PAGE_SIZE"])
    return render_template("experts/draws.html", page=page, subject=_subject(session))


def _subject(session):
    def describe(draw):
        found = services.subject(draw.subject_kind)
        if found is None:
            return f"{draw.subject_kind} #{draw.subject_id}", None
        return found.label(session, draw.subject_id), found.url(draw.subject_id)
    return describe


@bp.route("/draws/<int:draw_id>")
@permission_required(READ_DRAWS)
def draw(draw_id: int):
    session = get_session()
    record = services.get_draw(session, current_user, draw_id)
    shown = services.disclosed(session, record)
    replayed = services.replay(record) if shown and request.args.get("replay") else None
    ids = {int(e["id"]) for e in record.pool}
    return render_template("experts/draw.html", draw=record, disclosed=shown,
                           replayed=replayed, names=queries.expert_names(session, ids),
                           representatives=[session.get(User, i)
                                            for i in record.representative_ids],
                           subject=_subject(session))
