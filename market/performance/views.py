"""Performance-evaluation work: the department requests, civil affairs or the department
assigns an agency (with an optional fee); the agency's evaluator reports on the contract
page, where this room adds its part to each milestone (``milestone_part``)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.core.inputs import parse_db_int
from market.access.guards import permission_required, role_required
from market.access.permissions import Permission, Role
from market.contracts.hooks import MilestonePart
from market.db import get_session, unit_of_work
from market.documents.storage import upload_from
from market.performance import services as performance
from market.performance.forms import EvaluationForm
from market.performance.labels import REQUEST_STATUS_LABELS
from market.performance.models import RequestStatus

# No URL prefix: the work pages live under /performance-evaluations, and the evaluator's
# report is posted on the contract's milestone URL, as the contract page shows it.
PREFIX = "/performance-evaluations"
bp = Blueprint("performance", __name__)

WORKERS = (Role.DEPARTMENT, Role.CIVIL_AFFAIRS, Role.EVALUATOR)


@bp.app_context_processor
def _labels():
    return {"evaluation_request_label": lambda s: REQUEST_STATUS_LABELS[s]}


@bp.route(f"{PREFIX}/")
@role_required(*WORKERS)
def index():
    session = get_session()
    requests = performance.work_for(session, current_user)
    return render_template(
        "performance/index.html", requests=requests,
        agencies=performance.agencies(session),
        fee_items={r.id: performance.fee_items(session, r.contract) for r in requests
                   if performance.may_assign(current_user, r.contract)},
        may_assign=lambda r: performance.may_assign(current_user, r.contract))


@bp.route(f"{PREFIX}/request/<int:contract_id>/<int:number>", methods=["POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def request_evaluation(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        performance.request_evaluation(session, current_user, contract_id, number)
    flash(_("Performance evaluation requested."), "success")
    return redirect(url_for("contracts.detail", contract_id=contract_id))


@bp.route(f"{PREFIX}/<int:request_id>/assign", methods=["POST"])
@permission_required(Permission.EVALUATIONS_ASSIGN)
def assign(request_id: int):
    session = get_session()
    agency_id = parse_db_int(request.form.get("agency_id") or "0") or 0
    fee_item_id = parse_db_int(request.form.get("fee_item_id") or "0") or None
    with unit_of_work(session):
        req = performance.assign_agency(session, current_user, request_id, agency_id,
                                        request.form.get("fee"), fee_item_id)
    flash(_("Evaluator agency assigned."), "success")
    return redirect(url_for("contracts.detail", contract_id=req.contract_id))


@bp.route("/contracts/<int:contract_id>/milestones/<int:number>/evaluation", methods=["POST"])
@permission_required(Permission.CONTRACTS_EVALUATE)
def evaluate(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        performance.record_performance_evaluation(
            session, current_user, contract_id, number,
            request.form.get("passed") in ("y", "on", "1"), request.form.get("score"),
            upload_from(request.files.get("report")), request.form.get("report_text"))
    flash(_("Evaluation recorded in the ledger."), "success")
    return redirect(url_for("contracts.detail", contract_id=contract_id))


def _milestone_context(session, user, contract) -> dict:
    """What ``performance/_milestone.html`` needs on the contract page."""
    return dict(
        eval_requests=performance.requests_for(session, contract),
        request_blocker=performance.request_blocker,
        may_assign=performance.may_assign(user, contract),
        can_evaluate=lambda m, req: (
            user.is_authenticated and user.can(Permission.CONTRACTS_EVALUATE)
            and req is not None and req.status == RequestStatus.ASSIGNED
            and req.agency_id == user.agency_id
            and m.status.value in ("submitted", "accepted")),
        evaluation_form=EvaluationForm(formdata=None))


milestone_part = MilestonePart("performance/_milestone.html", _milestone_context)
