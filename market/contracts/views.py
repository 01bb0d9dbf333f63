"""Contract pages: public list and detail; signing; deliverables, evaluation, payment."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market import funds, nav
from market.accounts.access import login_required, permission_required, public
from market.accounts.permissions import Permission, Role
from market.contracts import payments, queries, services
from market.contracts.forms import (ROWS, ConfirmForm, DecisionForm, DeliverablesForm,
                                    EvaluationForm, ReasonForm, schedule_rows)
from market.contracts.models import CONTRACT_STATUS_LABELS, MILESTONE_STATUS_LABELS
from market.core.pagination import page_number, paginate
from market.db import get_session, unit_of_work
from market.documents.access import can_read
from market.documents.models import Document
from market.documents.storage import upload_from
from market.errors import DomainError
from market.performance import services as performance
from market.performance.models import RequestStatus
from market.home.views import register_panel
from market.tenders.access import get_tender
from market.tenders.award import current_award

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

nav.register(nav.NavItem("contracts.index", _l("Contracts"), public=True, order=14),
             nav.NavItem("contracts.work", _l("Contract work"), order=30,
                         roles=frozenset({Role.DEPARTMENT, Role.ORGANIZATION, Role.FINANCE,
                                          Role.EVALUATOR})))
for _role in ("finance", "evaluator", "organization"):
    register_panel(_role, "contracts/_panel.html", order=60)


@bp.app_context_processor
def _labels():
    return {"contract_status_label": lambda s: CONTRACT_STATUS_LABELS[s],
            "milestone_status_label": lambda s: MILESTONE_STATUS_LABELS[s]}


@bp.route("/")
@public
def index():
    session = get_session()
    page = paginate(session, queries.public_contracts(), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("contracts/index.html", page=page)


@bp.route("/<int:contract_id>")
@public
def detail(contract_id: int):
    session = get_session()
    contract = services.get_contract(session, contract_id)
    doc_ids = {d for m in contract.milestones for s in m.submissions for d in s.document_ids}
    doc_ids |= {e.report_document_id for m in contract.milestones for e in m.evaluations
                if e.report_document_id}
    docs = {d.id: d for d in (session.get(Document, i) for i in doc_ids)
            if d is not None and can_read(session, current_user, d)}
    eval_requests = performance.requests_for(session, contract)
    return render_template(
        "contracts/detail.html", contract=contract, docs=docs,
        pools=funds.committed_pools(session, contract),
        is_department=services.is_department(current_user, contract),
        is_contractor=services.is_contractor(current_user, contract),
        eval_requests=eval_requests, request_blocker=performance.request_blocker,
        may_assign=performance.may_assign(current_user, contract),
        can_evaluate=lambda m, req: (
            current_user.is_authenticated and current_user.can(Permission.CONTRACTS_EVALUATE)
            and req is not None and req.status == RequestStatus.ASSIGNED
            and req.agency_id == current_user.agency_id
            and m.status.value in ("submitted", "accepted")),
        can_pay=current_user.is_authenticated and current_user.can(Permission.PAYMENTS_APPROVE),
        payment_blocker=payments.payment_blocker, deliverables=DeliverablesForm(formdata=None),
        decision=DecisionForm(formdata=None), reason_form=ReasonForm(formdata=None),
        evaluation_form=EvaluationForm(formdata=None), confirm=ConfirmForm(formdata=None))


@bp.route("/work")
@login_required
def work():
    session = get_session()
    user = current_user
    contracts, milestones = [], []
    if user.role == Role.DEPARTMENT and user.department_id:
        contracts = list(session.scalars(queries.department_contracts(user.department_id)))
        milestones = queries.awaiting_decision(session, user.department_id)
    elif user.role == Role.ORGANIZATION and user.organization_id:
        contracts = list(session.scalars(queries.organization_contracts(user.organization_id)))
    elif user.can(Permission.PAYMENTS_APPROVE):
        milestones = queries.awaiting_payment(session)
    elif user.can(Permission.CONTRACTS_EVALUATE):
        milestones = queries.awaiting_evaluation(session)
    return render_template("contracts/work.html", contracts=contracts, milestones=milestones)


@bp.route("/sign/<int:tender_id>", methods=["GET", "POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def sign(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id, manage=True)
    rows, error, status = services.default_schedule(), None, 200
    if request.method == "POST":
        rows = schedule_rows(request.form)
        try:
            with unit_of_work(session):
                contract = services.sign_contract(session, current_user, tender_id, rows)
        except DomainError as e:
            error, status = str(e.message), int(e.status)
            session.expire_all()
        else:
            flash(_("Contract signed: %(amount)s yuan committed in the ledger.",
                    amount=_yuan(contract.amount)), "success")
            return redirect(url_for(".detail", contract_id=contract.id))
    award = current_award(session, tender)
    return render_template("contracts/sign.html", tender=tender, award=award, rows=rows,
                           row_count=ROWS, error=error, form=ConfirmForm(formdata=None),
                           blocker=services.signing_blocker(session, tender)), status


def _yuan(value) -> str:
    return "{:,.2f}".format(value)


def _done(contract_id: int, message: str):
    flash(message, "success")
    return redirect(url_for(".detail", contract_id=contract_id))


@bp.route("/<int:contract_id>/milestones/<int:number>/deliverables", methods=["POST"])
@permission_required(Permission.CONTRACTS_DELIVER)
def deliver(contract_id: int, number: int):
    session = get_session()
    uploads = [upload_from(f) for f in request.files.getlist("documents")]
    with unit_of_work(session):
        payments.submit_deliverables(session, current_user, contract_id, number,
                                     request.form.get("text", ""), uploads)
    return _done(contract_id, _("Deliverables submitted to the department."))


@bp.route("/<int:contract_id>/milestones/<int:number>/accept", methods=["POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def accept(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        payments.decide_deliverables(session, current_user, contract_id, number, True,
                                     request.form.get("reason", ""))
    return _done(contract_id, _("Deliverables accepted."))


@bp.route("/<int:contract_id>/milestones/<int:number>/reject", methods=["POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def reject(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        payments.decide_deliverables(session, current_user, contract_id, number, False,
                                     request.form.get("reason", ""))
    return _done(contract_id, _("Deliverables rejected; the organization was told why."))


@bp.route("/<int:contract_id>/milestones/<int:number>/evaluation", methods=["POST"])
@permission_required(Permission.CONTRACTS_EVALUATE)
def evaluate(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        payments.record_performance_evaluation(
            session, current_user, contract_id, number,
            request.form.get("passed") in ("y", "on", "1"), request.form.get("score"),
            upload_from(request.files.get("report")), request.form.get("report_text"))
    return _done(contract_id, _("Evaluation recorded in the ledger."))


@bp.route("/<int:contract_id>/milestones/<int:number>/pay", methods=["POST"])
@permission_required(Permission.PAYMENTS_APPROVE)
def pay(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        milestone = payments.approve_payment(session, current_user, contract_id, number)
    return _done(contract_id, _("Payment of %(amount)s yuan approved and posted to the ledger.",
                                amount=_yuan(milestone.amount)))


@bp.route("/<int:contract_id>/terminate", methods=["POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def terminate(contract_id: int):
    session = get_session()
    with unit_of_work(session):
        contract = services.terminate_contract(session, current_user, contract_id,
                                               request.form.get("reason", ""))
    return _done(contract_id, _("Contract terminated: %(amount)s yuan released to the budget.",
                                amount=_yuan(contract.released)))
