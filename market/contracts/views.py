"""Contract pages: public list and detail; signing; deliverables, acceptance, payment."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market import funds
from market.access.guards import login_required, permission_required, public
from market.access.permissions import Permission, Role
from market.contracts import access, hooks, payments, queries, services
from market.contracts.forms import (ROWS, AcceptForm, ConfirmForm, DecisionForm,
                                    DeliverablesForm, TerminateForm, VerifyForm, contract_terms,
                                    schedule_rows)
from market.contracts.labels import (CONTRACT_STATUS_LABELS, FAULT_LABELS,
                                     MILESTONE_STATUS_LABELS)
from market.clock import today_local
from market.core.forms import form_page
from market.core.listing import Column, Listing
from market.core.pagination import page_number, paginate
from market.db import get_session, unit_of_work
from market.documents.access import can_read
from market.documents.models import Document
from market.documents.storage import upload_from
from market.money import format_money
from market.tenders.access import get_tender
from market.tenders.scoring.award import current_award

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


@bp.app_context_processor
def _labels():
    return {"contract_status_label": lambda s: CONTRACT_STATUS_LABELS[s],
            "milestone_status_label": lambda s: MILESTONE_STATUS_LABELS[s],
            "contract_fault_label": lambda f: FAULT_LABELS[f]}


CONTRACTS = Listing("contracts", _l("Contracts"), (
    Column(_l("Contract"), lambda c: c.code),
    Column(_l("Tender"), lambda c: f"{c.tender.reference} {c.tender.title}"),
    Column(_l("Organization"), lambda c: c.organization.name),
    Column(_l("Amount (yuan)"), lambda c: c.amount, money=True),
    Column(_l("Paid (yuan)"), lambda c: c.paid, money=True),
    Column(_l("State"), lambda c: str(CONTRACT_STATUS_LABELS[c.status])),
))


@bp.route("/")
@public
def index():
    session = get_session()
    if (file := CONTRACTS.file(queries.public_contracts())) is not None:
        return file
    page = paginate(session, queries.public_contracts(), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("contracts/index.html", page=page)


@bp.route("/<int:contract_id>")
@public
def detail(contract_id: int):
    session = get_session()
    contract = access.get_contract(session, contract_id)
    doc_ids = {d for m in contract.milestones for s in m.submissions for d in s.document_ids}
    doc_ids |= {e.report_document_id for m in contract.milestones for e in m.evaluations
                if e.report_document_id}
    docs = {d.id: d for d in (session.get(Document, i) for i in doc_ids)
            if d is not None and can_read(session, current_user, d)}
    parts = hooks.milestone_parts()  # what the rooms above contracts add to each milestone
    extra = {}
    for part in parts:
        extra.update(part.context(session, current_user, contract))
    return render_template(
        "contracts/detail.html", contract=contract, docs=docs,
        pools=funds.committed_pools(session, contract),
        is_department=access.is_department(current_user, contract),
        is_contractor=access.is_contractor(current_user, contract),
        milestone_parts=[p.template for p in parts], **extra,
        can_pay=current_user.is_authenticated and current_user.can(Permission.PAYMENTS_APPROVE),
        payment_blocker=payments.payment_blocker,
        may_read_pdf=access.may_read_pdf(current_user, contract),
        publication_deadline=services.publication_deadline(session, contract),
        published_late=services.published_late(session, contract),
        signing_deadline=services.signing_deadline(contract.tender),
        acceptance_blocker=services.acceptance_blocker(contract), deliverables=DeliverablesForm(formdata=None),
        decision=DecisionForm(formdata=None), reason_form=TerminateForm(formdata=None),
        confirm=ConfirmForm(formdata=None))


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
    form = ConfirmForm()  # the schedule's rows are read from the same POST
    rows = schedule_rows(request.form) if form.is_submitted() else services.default_schedule()
    terms = services.default_terms(tender)
    if form.is_submitted():
        terms = contract_terms(request.form, terms)
    elif rows and rows[-1].due_date:  # the form's default term covers its default schedule
        terms.term_start, terms.term_end = today_local(), rows[-1].due_date
    return form_page(
        form, lambda s: services.sign_contract(s, current_user, tender_id, rows, terms),
        done=lambda contract: _("Contract signed: %(amount)s yuan committed in the ledger.",
                                amount=format_money(contract.amount, unit=False)),
        then=lambda contract: url_for(".detail", contract_id=contract.id),
        render=lambda: render_template(
            "contracts/sign.html", tender=tender, award=current_award(session, tender),
            rows=rows, row_count=ROWS, form=form, terms=terms,
            signing_deadline=services.signing_deadline(tender),
            blocker=services.signing_blocker(session, tender)))


@bp.route("/<int:contract_id>/accept", methods=["GET", "POST"])
@permission_required(Permission.CONTRACTS_DELIVER)
def accept_contract(contract_id: int):
    """签章确认 — the organization reads the written contract and accepts it."""
    session = get_session()
    contract = access.get_contract(session, contract_id)
    if not access.is_contractor(current_user, contract):
        abort(404)
    form = AcceptForm()
    return form_page(
        form, lambda s: services.accept_contract(s, current_user, contract_id,
                                                 form.confirm.data, form.password.data),
        done=_("Contract accepted: it is in effect and published on its public page."),
        then=url_for(".detail", contract_id=contract_id),
        render=lambda: render_template(
            "contracts/accept.html", contract=contract, form=form,
            blocker=services.acceptance_blocker(contract),
            signing_deadline=services.signing_deadline(contract.tender)))


def _readable(session, contract_id: int):
    contract = access.get_contract(session, contract_id)
    if not contract.written or not access.may_read_pdf(current_user, contract):
        abort(404)
    return contract


@bp.route("/<int:contract_id>/contract.pdf")
@public
def contract_pdf(contract_id: int):
    """The written contract: the parties, finance, civil affairs and auditors; everyone
    once it is published."""
    session = get_session()
    contract = _readable(session, contract_id)
    data = services.contract_pdf(session, contract)
    if data is None:
        abort(404)
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{contract.number}.pdf"',
        "X-Content-SHA256": contract.pdf_sha256})


@bp.route("/<int:contract_id>/verify", methods=["GET", "POST"])
@public
def verify(contract_id: int):
    """Recompute the SHA-256 of the stored file, and of a copy someone holds, against the
    one recorded at signing."""
    session = get_session()
    contract = _readable(session, contract_id)
    form = VerifyForm()
    copy_matches, copy_hash, status = None, None, 200
    if form.validate_on_submit():
        upload = upload_from(form.file.data)
        if upload is None or not upload.data:
            form.file.errors = [_("Choose the file to check.")]
            status = 400
        else:
            copy_hash = services.pdf.sha256(upload.data)
            copy_matches = services.verify_copy(contract, upload.data)
    elif form.is_submitted():
        status = 400
    stored = services.stored_sha256(session, contract)
    return render_template("contracts/verify.html", contract=contract, form=form,
                           stored_hash=stored, stored_matches=stored == contract.pdf_sha256,
                           copy_hash=copy_hash, copy_matches=copy_matches), status


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


@bp.route("/<int:contract_id>/milestones/<int:number>/pay", methods=["POST"])
@permission_required(Permission.PAYMENTS_APPROVE)
def pay(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        milestone = payments.approve_payment(session, current_user, contract_id, number)
    return _done(contract_id, _("Payment of %(amount)s yuan approved and posted to the ledger.",
                                amount=format_money(milestone.amount, unit=False)))


@bp.route("/<int:contract_id>/terminate", methods=["POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def terminate(contract_id: int):
    session = get_session()
    with unit_of_work(session):
        contract = services.terminate_contract(session, current_user, contract_id,
                                               request.form.get("reason", ""),
                                               request.form.get("fault"))
    return _done(contract_id, _("Contract terminated: %(amount)s yuan released to the budget.",
                                amount=format_money(contract.released, unit=False)))
