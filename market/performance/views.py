"""Performance-evaluation work: the department requests, civil affairs or the department
assigns an agency (with an optional fee); the agency's evaluator reports on the contract
page (contracts.evaluate)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market import nav
from market.accounts.access import permission_required, role_required
from market.accounts.permissions import Permission, Role
from market.db import get_session, unit_of_work
from market.performance import services as performance
from market.performance.models import REQUEST_STATUS_LABELS

bp = Blueprint("performance", __name__, url_prefix="/performance-evaluations")

WORKERS = (Role.DEPARTMENT, Role.CIVIL_AFFAIRS, Role.EVALUATOR)
nav.register(nav.NavItem("performance.index", _l("Performance evaluations"), order=31,
                         roles=frozenset(WORKERS)))


@bp.app_context_processor
def _labels():
    return {"evaluation_request_label": lambda s: REQUEST_STATUS_LABELS[s]}


@bp.route("/")
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


@bp.route("/request/<int:contract_id>/<int:number>", methods=["POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def request_evaluation(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        performance.request_evaluation(session, current_user, contract_id, number)
    flash(_("Performance evaluation requested."), "success")
    return redirect(url_for("contracts.detail", contract_id=contract_id))


@bp.route("/<int:request_id>/assign", methods=["POST"])
@permission_required(Permission.EVALUATIONS_ASSIGN)
def assign(request_id: int):
    session = get_session()
    try:
        agency_id = int(request.form.get("agency_id") or 0)
        fee_item_id = int(request.form.get("fee_item_id") or 0) or None
    except ValueError:
        agency_id, fee_item_id = 0, None
    with unit_of_work(session):
        req = performance.assign_agency(session, current_user, request_id, agency_id,
                                        request.form.get("fee"), fee_item_id)
    flash(_("Evaluator agency assigned."), "success")
    return redirect(url_for("contracts.detail", contract_id=req.contract_id))
