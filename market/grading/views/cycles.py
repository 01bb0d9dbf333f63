"""Pages for evaluator agencies, grade-evaluation cycles and an organization's standing.

Every form posts to one route that calls one service; a domain error comes back as a
4xx page with the reason and a link back, and nothing is stored."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import zip_longest

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from market.core.inputs import MAX_YEAR, MIN_YEAR, parse_db_int
from market.access.guards import permission_required, public
from market.accounts.models import EvaluatorAgency
from market.access.permissions import Permission
from market.clock import now, today_local
from market.core.listing import Column, Listing
from market.grading.labels import grade_label
from market.db import get_session, unit_of_work
from market.errors import Invalid, NotFound
from market.grading.services import agencies
from market.grading.services import cycles
from market.grading.services import standing
from market.grading.models import RecusalState
from market.grading.models import (EvaluationState, GradeCycle, GradeEvaluation,
                                             Reexamination, ReexamState)
from market.grading.eligibility import eligibility_list
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization
from market.grading.views.blueprint import bp


def _me():
    return current_user._get_current_object()


def _act(call: Callable, done: str, back: str):
    """Run ``call(session)`` in one unit of work; flash the outcome; go back."""
    session = get_session()
    # A refusal propagates to the error handler: a 4xx page with the reason and a way
    # back; nothing was written.
    with unit_of_work(session):
        call(session)
    flash(done, "success")
    return redirect(back)


def _int(name: str) -> int:
    number = parse_db_int(request.form.get(name, ""))
    if number is None:
        raise Invalid(_l("Please fill in every required field."), field=name)
    return number


def _date(name: str, required: bool = True) -> dt.date | None:
    value = request.form.get(name, "").strip()
    if not value and not required:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(_l("Please enter a date as YYYY-MM-DD."), field=name) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise Invalid(_l("Please enter a date as YYYY-MM-DD."), field=name)
    return day


@bp.app_template_filter("indicator_name")
def indicator_name(indicator) -> str:
    return indicator.name_zh if str(get_locale()) == "zh" else indicator.name_en


@bp.app_template_global("org_grade_info")
def org_grade_info(org_id: int):
    session = get_session()
    return {"current": standing.current_grade(session, org_id, now()),
            "history": standing.history(session, org_id)}


# --- public --------------------------------------------------------------------------------

NOTICES = Listing("grade-notices", _l("Grade notices"), (
    Column(_l("Organization"), lambda e: e.organization.name),
    Column(_l("Year"), lambda e: e.cycle.year),
    Column(_l("Total points"), lambda e: e.total),
    Column(_l("Proposed grade"), lambda e: grade_label(e.proposed_grade)),
    Column(_l("Notice ends"), lambda e: e.notice_ends_at),
))


@bp.route("/grades/notices")
@public
def notices():
    """公示 — proposed grades under public notice now."""
    rows = [e for e in get_session().scalars(select(GradeEvaluation).where(
        GradeEvaluation.state == EvaluationState.NOTICE).order_by(GradeEvaluation.id))
        if cycles.in_notice(e)]
    if (file := NOTICES.file(lambda: rows)) is not None:
        return file
    return render_template("grading/notices.html", rows=rows)


# --- civil affairs: agencies ----------------------------------------------------------------

@bp.route("/evaluations/agencies")
@permission_required(Permission.EVAL_AGENCIES_MANAGE)
def agency_list():
    session = get_session()
    rows = list(session.scalars(select(EvaluatorAgency).order_by(EvaluatorAgency.name)))
    return render_template(
        "grading/agencies.html", agencies=rows,
        evaluators={a.id: agencies.evaluators(session, a.id) for a in rows},
        relations={a.id: agencies.relations_of_agency(session, a.id) for a in rows})


@bp.route("/evaluations/agencies", methods=["POST"])
@permission_required(Permission.EVAL_AGENCIES_MANAGE)
def agency_add():
    return _act(lambda s: agencies.add_agency(s, _me(), request.form.get("name", "")),
                _("The agency has been registered."), url_for(".agency_list"))


@bp.route("/evaluations/agencies/<int:agency_id>/evaluators", methods=["POST"])
@permission_required(Permission.EVAL_AGENCIES_MANAGE)
def evaluator_add(agency_id: int):
    f = request.form
    return _act(lambda s: agencies.add_evaluator(
        s, _me(), agency_id, f.get("username", ""), f.get("display_name", ""),
        f.get("password", "")), _("The evaluator account has been created."),
        url_for(".agency_list"))


# --- civil affairs: cycles -------------------------------------------------------------------

@bp.route("/evaluations/cycles")
@permission_required(Permission.EVAL_GRADES_MANAGE)
def cycle_list():
    session = get_session()
    return render_template(
        "grading/cycles.html",
        cycles=list(session.scalars(select(GradeCycle).order_by(GradeCycle.year.desc()))),
        recusals=agencies.recusal_requests(session),
        organizations=list(session.scalars(select(Organization).where(
            Organization.status == OrgStatus.ACTIVE).order_by(Organization.name))),
        today=today_local())


@bp.route("/evaluations/cycles", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def cycle_open():
    def call(s):
        cycle = cycles.open_cycle(s, _me(), _int("year"), _date("reference_date", False),
                                  _int("notice_days"))
        request.opened_cycle = cycle.id
    response = _act(call, _("The evaluation cycle is open."), url_for(".cycle_list"))
    opened = getattr(request, "opened_cycle", None)
    return redirect(url_for(".cycle_detail", cycle_id=opened)) if opened else response


@bp.route("/evaluations/cycles/<int:cycle_id>")
@permission_required(Permission.EVAL_GRADES_MANAGE)
def cycle_detail(cycle_id: int):
    session = get_session()
    cycle = cycles.get_cycle(session, cycle_id)
    applied = {e.organization_id for e in cycle.evaluations}
    return render_template(
        "grading/cycle.html", cycle=cycle, eligibility=eligibility_list(session, cycle),
        applied=applied, scoring_started=cycles.scoring_started(session, cycle),
        agencies=list(session.scalars(select(EvaluatorAgency).order_by(EvaluatorAgency.name))),
        in_notice=cycles.in_notice, open_reexamination=cycles.open_reexamination)


@bp.route("/evaluations/cycles/<int:cycle_id>/settings", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def cycle_settings(cycle_id: int):
    f = request.form
    # A row short of a column (a hand-made form) gets "" there, which the service refuses
    # with its message, rather than being dropped silently.
    rows = list(zip_longest(f.getlist("name_zh"), f.getlist("name_en"), f.getlist("max_points"),
                            fillvalue=""))
    return _act(lambda s: cycles.configure(
        s, _me(), cycle_id, rows, {g: f.get(f"threshold_{g}", "") for g in range(1, 6)},
        _int("notice_days")), _("The indicator table and thresholds have been saved."),
        url_for(".cycle_detail", cycle_id=cycle_id))


@bp.route("/evaluations/cycles/<int:cycle_id>/notice", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def cycle_notice(cycle_id: int):
    return _act(lambda s: cycles.publish_notice(s, _me(), cycle_id),
                _("The proposed grades are now on public notice."),
                url_for(".cycle_detail", cycle_id=cycle_id))


@bp.route("/evaluations/cycles/<int:cycle_id>/announce", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def cycle_announce(cycle_id: int):
    return _act(lambda s: cycles.announce(s, _me(), cycle_id),
                _("The grades have been announced."),
                url_for(".cycle_detail", cycle_id=cycle_id))


@bp.route("/evaluations/grade-evaluations/<int:evaluation_id>/assign", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def assign(evaluation_id: int):
    evaluation = cycles.get_evaluation(get_session(), evaluation_id)
    return _act(lambda s: cycles.assign(s, _me(), evaluation_id, _int("agency_id")),
                _("The agency has been assigned."),
                url_for(".cycle_detail", cycle_id=evaluation.cycle_id))


@bp.route("/evaluations/reexaminations/<int:reexamination_id>/decision", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def reexamination_decision(reexamination_id: int):
    found = get_session().get(Reexamination, reexamination_id)
    if found is None:
        raise NotFound(_l("No such re-examination request."))
    return _act(lambda s: cycles.decide_reexamination(
        s, _me(), reexamination_id, request.form.get("decision") == "uphold",
        request.form.get("reason", "")), _("The re-examination has been decided."),
        url_for(".cycle_detail", cycle_id=found.evaluation.cycle_id))


@bp.route("/evaluations/recusals/<int:request_id>/decision", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def recusal_decision(request_id: int):
    return _act(lambda s: agencies.decide_recusal(
        s, _me(), request_id, request.form.get("decision") == "grant",
        request.form.get("reason", "")), _("The recusal request has been decided."),
        url_for(".cycle_list"))


@bp.route("/evaluations/grade-changes", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_MANAGE)
def grade_change():
    """Downgrade or revoke: the organization comes in the form (no script needed). Dated
    back (``effective`` before today) only as a correction (更正) with its reason."""
    f = request.form
    return _act(lambda s: standing.change_grade(
        s, _me(), _int("organization_id"), _int("grade"), f.get("reason", ""),
        _date("effective", False), correction=bool(f.get("correction")),
        correction_reason=f.get("correction_reason")),
        _("The grade has been changed."), url_for(".cycle_list"))


# --- evaluators -----------------------------------------------------------------------------

@bp.route("/evaluations/work")
@permission_required(Permission.EVAL_GRADES_SCORE)
def work():
    session = get_session()
    me = _me()
    assigned = list(session.scalars(select(GradeEvaluation).where(
        GradeEvaluation.agency_id == me.agency_id).order_by(GradeEvaluation.id.desc())))
    return render_template(
        "grading/work.html", assigned=assigned,
        relations=agencies.relations_of_agency(session, me.agency_id) if me.agency_id else [],
        organizations=list(session.scalars(select(Organization).where(
            Organization.status == OrgStatus.ACTIVE).order_by(Organization.name))))


@bp.route("/evaluations/relations", methods=["POST"])
@permission_required(Permission.EVAL_RELATIONS_DECLARE)
def relation_declare():
    f = request.form
    return _act(lambda s: agencies.declare_relation(
        s, _me(), _int("organization_id"), f.get("kind", ""),
        on_behalf_of_agency=f.get("scope") == "agency",
        work_ended_on=_date("work_ended_on", False), note=f.get("note")),
        _("The relation has been declared."), url_for(".work"))


@bp.route("/evaluations/grade-evaluations/<int:evaluation_id>/score", methods=["GET", "POST"])
@permission_required(Permission.EVAL_GRADES_SCORE)
def score(evaluation_id: int):
    session = get_session()
    evaluation = cycles.get_assigned(session, _me(), evaluation_id)
    if request.method == "POST":
        points = {i.id: request.form.get(f"indicator_{i.id}", "")
                  for i in evaluation.cycle.indicators}
        return _act(lambda s: cycles.score(s, _me(), evaluation_id, points),
                    _("The scores have been recorded."), url_for(".work"))
    return render_template("grading/score.html", evaluation=evaluation)


# --- organizations -------------------------------------------------------------------------

@bp.route("/my/standing")
@permission_required(Permission.EVAL_GRADES_APPLY)
def my_standing():
    session = get_session()
    org = session.get(Organization, _me().organization_id) if _me().organization_id else None
    if org is None:
        return render_template("grading/standing.html", org=None)
    open_cycles = list(session.scalars(select(GradeCycle).where(
        GradeCycle.year >= today_local().year).order_by(GradeCycle.year)))
    evaluations = list(session.scalars(select(GradeEvaluation).where(
        GradeEvaluation.organization_id == org.id).order_by(GradeEvaluation.id.desc())))
    return render_template(
        "grading/standing.html", org=org, s=standing.standing(session, org, now()),
        open_cycles=[c for c in open_cycles
                     if c.id not in {e.cycle_id for e in evaluations}],
        evaluations=evaluations, in_notice=cycles.in_notice,
        recusals=agencies.recusal_requests(session, org.id),
        evaluators=agencies.evaluators(session))


@bp.route("/my/grade-evaluations", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_APPLY)
def my_apply():
    return _act(lambda s: cycles.apply(s, _me(), _int("cycle_id")),
                _("Your application for grade evaluation has been received."),
                url_for(".my_standing"))


@bp.route("/my/grade-evaluations/<int:evaluation_id>/reexamination", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_APPLY)
def my_reexamination(evaluation_id: int):
    return _act(lambda s: cycles.request_reexamination(
        s, _me(), evaluation_id, request.form.get("reason", "")),
        _("Your re-examination request has been submitted."), url_for(".my_standing"))


@bp.route("/my/recusals", methods=["POST"])
@permission_required(Permission.EVAL_GRADES_APPLY)
def my_recusal():
    return _act(lambda s: agencies.request_recusal(
        s, _me(), _int("evaluator_user_id"), request.form.get("reason", "")),
        _("Your recusal request has been submitted."), url_for(".my_standing"))


__all__ = ["bp", "RecusalState", "ReexamState"]
