"""Pages of a round's decision and its grants (立项决定, 资助项目, 分期拨付): civil affairs'
decision page, the grant page (tranches, reports, evaluations, ledger entries), the
organization's grants and finance's payable tranches. The routes join the grants
blueprint (``views.bp``); views are thin: parse, call one service, redirect."""
from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.access.guards import login_required, permission_required
from market.access.permissions import Permission
from market.clock import now, today_local
from market.core.forms import form_page
from market.db import get_session
from market.grants import funding, queries, services
from market.grants.forms import ConfirmForm
from market.grants.funding_forms import (AssignForm, DecisionForm, GrantEvaluationForm,
                                         ReportForm, SignForm)
from market.grants.funding_models import EVALUATED_STAGES
from market.grants.labels import (grant_status_label, ledger_entry_label, stage_label,
                                   tranche_label, tranche_status_label)
from market.grants.views import APPLY, MANAGE, bp
from market.performance.services import agencies

PAY = Permission.PAYMENTS_APPROVE


def register() -> None:
    """The routes below joined the grants blueprint when this module was imported."""


# --- the decision (civil affairs) ------------------------------------------------------------

@bp.route("/rounds/<int:round_id>/decision", methods=["GET", "POST"])
@permission_required(MANAGE)
def decision(round_id: int):
    session = get_session()
    grant_round = services.get_round(session, round_id)
    if not funding.may_decide(current_user, grant_round):
        abort(404)
    applications = funding.eligible_applications(session, grant_round)
    form = DecisionForm()
    if not form.is_submitted():
        form.fill(applications)
    by_id = {a.id: a for a in applications}
    return form_page(
        form, lambda s: funding.decide_round(s, current_user, round_id, form.lines()),
        render=lambda: render_template(
            "grants/decision.html", round=grant_round, form=form, by_id=by_id,
            decisions=funding.decisions(session, grant_round),
            blocker=funding.decision_blocker(session, grant_round, now()),
            share=funding.reserved_share(grant_round),
            grants=queries.round_grants(session, grant_round)),
        done=_("The decision was recorded and the grants reserved in the ledger."),
        then=url_for(".decision", round_id=round_id))


# --- a grant ---------------------------------------------------------------------------------

@bp.route("/projects/<int:grant_id>")
@login_required
def grant(grant_id: int):
    return _grant_page(grant_id)


def _grant_page(grant_id: int, key: str | None = None, stage: str | None = None,
                failed=None):
    """The grant page; ``failed`` is the form (of kind ``key``, for ``stage``) that was
    refused, shown again with its errors."""
    session = get_session()
    found = funding.get_grant(session, current_user, grant_id)
    manager = funding.may_decide(current_user, found.round)
    own = current_user.organization_id == found.organization_id
    context = dict(
        confirm=ConfirmForm(formdata=None),
        sign=SignForm(formdata=None, signed_on=today_local()),
        reports={s: ReportForm(formdata=None, prefix=s) for s in EVALUATED_STAGES},
        assign={s: AssignForm(formdata=None, prefix=f"assign-{s}",
                              agencies=agencies(session) if manager else ())
                for s in EVALUATED_STAGES},
        evaluate={s: GrantEvaluationForm(formdata=None, prefix=f"evaluation-{s}")
                  for s in EVALUATED_STAGES})
    if failed is not None:
        if stage is None:
            context[key] = failed
        else:
            context[key][stage] = failed
    return render_template(
        "grants/grant.html", grant=found, round=found.round, manager=manager, own=own,
        decision=funding.decision_for(session, found.application),
        committed=queries.grant_committed(session, found),
        entries=queries.grant_ledger_entries(session, found),
        blocker=lambda t: funding.tranche_blocker(found, t),
        report_blocker=lambda s: funding.report_blocker(found, s),
        evaluation_blocker=lambda s: funding.evaluation_blocker(found, s),
        open_evaluation=lambda s: funding.open_evaluation(found, s),
        stages=EVALUATED_STAGES, **context)


def _back(grant_id: int) -> str:
    return url_for(".grant", grant_id=grant_id)


@bp.route("/projects/<int:grant_id>/sign", methods=["POST"])
@permission_required(MANAGE)
def sign(grant_id: int):
    form = SignForm()
    return form_page(
        form, lambda s: funding.sign_agreement(s, current_user, grant_id, form.signed_on.data),
        render=lambda: _grant_page(grant_id, "sign", None, form),
        done=_("The grant agreement was recorded; the grant is committed in the ledger."),
        then=_back(grant_id))


@bp.route("/projects/<int:grant_id>/accept", methods=["POST"])
@permission_required(APPLY)
def accept(grant_id: int):
    form = ConfirmForm()
    return form_page(
        form, lambda s: funding.accept_agreement(s, current_user, grant_id),
        render=lambda: _grant_page(grant_id, "confirm", None, form),
        done=_("Your organization confirmed the grant agreement."), then=_back(grant_id))


def _stage(stage: str) -> str:
    if stage not in EVALUATED_STAGES:
        abort(404)
    return stage


@bp.route("/projects/<int:grant_id>/reports/<stage>", methods=["POST"])
@permission_required(APPLY)
def report(grant_id: int, stage: str):
    form = ReportForm(prefix=_stage(stage))
    return form_page(
        form, lambda s: funding.submit_report(s, current_user, grant_id, stage,
                                              form.text.data, form.upload()),
        render=lambda: _grant_page(grant_id, "reports", stage, form),
        done=_("The report was submitted."), then=_back(grant_id))


@bp.route("/projects/<int:grant_id>/evaluations/<stage>/assign", methods=["POST"])
@permission_required(Permission.EVALUATIONS_ASSIGN)
def assign_evaluation(grant_id: int, stage: str):
    session = get_session()
    form = AssignForm(prefix=f"assign-{_stage(stage)}", agencies=agencies(session))
    return form_page(
        form, lambda s: funding.assign_evaluation(s, current_user, grant_id, stage,
                                                  form.agency_id.data),
        render=lambda: _grant_page(grant_id, "assign", stage, form),
        done=_("The evaluator agency was assigned."), then=_back(grant_id))


@bp.route("/projects/<int:grant_id>/evaluations/<stage>", methods=["POST"])
@permission_required(Permission.CONTRACTS_EVALUATE)
def record_evaluation(grant_id: int, stage: str):
    form = GrantEvaluationForm(prefix=f"evaluation-{_stage(stage)}")
    return form_page(
        form, lambda s: funding.record_evaluation(
            s, current_user, grant_id, stage, form.passed.data == "pass", form.score.data,
            form.report.data, form.upload()),
        render=lambda: _grant_page(grant_id, "evaluate", stage, form),
        done=_("The evaluation was recorded in the ledger."), then=_back(grant_id))


@bp.route("/projects/<int:grant_id>/tranches/<int:number>/pay", methods=["POST"])
@permission_required(PAY)
def pay_tranche(grant_id: int, number: int):
    form = ConfirmForm()
    return form_page(
        form, lambda s: funding.pay_tranche(s, current_user, grant_id, number),
        render=lambda: _grant_page(grant_id, "confirm", None, form),
        done=_("The tranche was paid and posted to the ledger."), then=_back(grant_id))


# --- lists -----------------------------------------------------------------------------------

@bp.route("/my-grants")
@permission_required(APPLY)
def my_grants():
    session = get_session()
    return render_template("grants/my_grants.html",
                           grants=queries.organization_grants(session,
                                                              current_user.organization_id))


@bp.route("/payable")
@permission_required(PAY)
def payable():
    return render_template("grants/payable.html",
                           rows=funding.payable_tranches(get_session()),
                           confirm=ConfirmForm(formdata=None))


@bp.app_context_processor
def _funding_helpers():
    def decision_of(application):
        return funding.decision_for(get_session(), application)

    def grant_of(application):
        return queries.application_grant(get_session(), application)

    def mine():
        if not (current_user.is_authenticated and current_user.can(APPLY)):
            return []
        return queries.organization_grants(get_session(), current_user.organization_id)

    return {"grant_decision_of": decision_of, "grant_of": grant_of, "grants_of_mine": mine,
            "grant_status": grant_status_label, "grant_stage": stage_label, "grant_tranche_rule": tranche_label,
            "tranche_status": tranche_status_label, "grant_ledger_entry": ledger_entry_label}
