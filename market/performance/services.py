"""绩效评价 — performance evaluations of contract milestones by a third-party agency.

The purchasing department requests an evaluation of a gated milestone once its
deliverables are submitted or accepted; civil affairs or the department assigns an
evaluator agency with no conflict of interest with the contracted organization, with an
optional fee from the department's own "evaluation" catalog item of the same fiscal year
(committed in the ledger at assignment, paid when the report is submitted). Only an
evaluator of the assigned agency records the result (``record_performance_evaluation``).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from market import funds
from market.accounts.models import EvaluatorAgency
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus, ServiceCategory
from market.clock import now, today_local
from market.contracts import payments
from market.contracts.access import is_department
from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus
from market.credit import services as credit
from market.credit.models import CreditKind
from market.documents.models import OwnerType
from market.documents.storage import Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.grading import recusal
from market.money import CENT, parse_money
from market.performance.models import (OPEN, EvaluationRequest,
                                       PerformanceEvaluation, RequestStatus)


def conflict_reason(session: Session, agency_id: int, evaluator_user_id: int | None,
                    organization_id: int, at: dt.datetime) -> str | None:
    """Why the agency (or one of its evaluators) may not evaluate the organization."""
    return recusal.conflict_reason(session, agency_id, evaluator_user_id, organization_id, at)


def _milestone(session: Session, contract_id: int, number: int) -> tuple[Contract, Milestone]:
    contract = session.get(Contract, contract_id, with_for_update=True)
    milestone = None if contract is None else session.scalar(select(Milestone).where(
        Milestone.contract_id == contract.id, Milestone.number == number))
    if milestone is None:
        raise NotFound(_l("No such milestone."))
    return contract, milestone


def open_request(session: Session, milestone: Milestone) -> EvaluationRequest | None:
    return session.scalar(select(EvaluationRequest).where(
        EvaluationRequest.milestone_id == milestone.id, EvaluationRequest.status.in_(OPEN))
        .order_by(EvaluationRequest.id.desc()).limit(1))


def requests_for(session: Session, contract: Contract) -> dict[int, EvaluationRequest]:
    """milestone id → its latest request."""
    out: dict[int, EvaluationRequest] = {}
    for r in session.scalars(select(EvaluationRequest).where(
            EvaluationRequest.contract_id == contract.id).order_by(EvaluationRequest.id)):
        out[r.milestone_id] = r
    return out


def request_blocker(milestone: Milestone, current: EvaluationRequest | None):
    """Why an evaluation cannot be requested for the milestone now, or None."""
    if milestone.contract.status != ContractStatus.ACTIVE:
        return _l("The contract is no longer in progress.")
    if not milestone.needs_evaluation:
        return _l("This milestone does not need a performance evaluation.")
    if milestone.status not in (MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED):
        return _l("An evaluation is requested once the deliverables are submitted.")
    # A passed milestone not yet paid may be evaluated again: the latest evaluation decides.
    if current is not None:
        return _l("An evaluation of this milestone is already under way.")
    return None


def request_evaluation(session: Session, actor, contract_id: int, number: int
                       ) -> EvaluationRequest:
    """The purchasing department asks for a milestone's performance evaluation."""
    contract, milestone = _milestone(session, contract_id, number)
    if not is_department(actor, contract):
        raise Forbidden(_l("Only the purchasing department of this contract may do this."))
    blocker = request_blocker(milestone, open_request(session, milestone))
    if blocker is not None:
        raise Conflict(blocker)
    req = EvaluationRequest(contract_id=contract.id, milestone_id=milestone.id,
                            status=RequestStatus.REQUESTED, requested_at=now(),
                            requested_by_id=actor.id)
    session.add(req)
    session.flush()
    record(session, actor, "evaluation_request", req.id, "request", None,
           RequestStatus.REQUESTED.value, f"contract {contract.id} m{number}")
    return req


def may_assign(actor, contract: Contract) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.can(
            Permission.EVALUATIONS_ASSIGN):
        return False
    return actor.role == Role.CIVIL_AFFAIRS or is_department(actor, contract)


def _fee(raw) -> Decimal | None:
    """The agency's fee; blank or zero means none."""
    if raw is None or str(raw).strip() == "":
        return None
    value = parse_money(raw, field="fee", allow_zero=True)
    return value if value > 0 else None


def fee_items(session: Session, contract: Contract) -> list[CatalogItem]:
    """The department's approved "evaluation" items of the contract's fiscal year."""
    catalog = contract.catalog_item.catalog
    return list(session.scalars(
        select(CatalogItem).join(Catalog, CatalogItem.catalog_id == Catalog.id)
        .where(Catalog.department_id == contract.department_id,
               Catalog.fiscal_year == catalog.fiscal_year,
               Catalog.status == CatalogStatus.APPROVED,
               CatalogItem.service_category == ServiceCategory.EVALUATION)
        .order_by(CatalogItem.id)))


def assign_agency(session: Session, actor, request_id: int, agency_id: int, fee=None,
                  fee_item_id: int | None = None) -> EvaluationRequest:
    """Assign an agency with no conflict; a fee is committed in the ledger at once."""
    req = session.get(EvaluationRequest, request_id, with_for_update=True)
    if req is None:
        raise NotFound(_l("No such evaluation request."))
    contract = req.contract
    if not may_assign(actor, contract):
        raise Forbidden(_l("Only civil affairs or the purchasing department assigns the "
                           "evaluator agency."))
    if req.status != RequestStatus.REQUESTED or contract.status != ContractStatus.ACTIVE:
        raise Conflict(_l("This evaluation request is not waiting for an agency."))
    agency = session.get(EvaluatorAgency, agency_id) if agency_id else None
    if agency is None:
        raise Invalid(_l("Choose an evaluator agency."), field="agency_id")
    conflict = conflict_reason(session, agency.id, None, contract.organization_id, now())
    if conflict is not None:
        raise Conflict(_l("This agency has a conflict of interest with the organization: "
                          "%(reason)s", reason=conflict))
    amount = _fee(fee)
    item = None
    if amount is not None:
        item = next((i for i in fee_items(session, contract) if i.id == fee_item_id), None)
        if item is None:
            raise Invalid(_l("A fee is paid from the department's approved evaluation item "
                             "of the same fiscal year; choose one."), field="fee_item_id")
    req.status, req.agency_id = RequestStatus.ASSIGNED, agency.id
    req.assigned_at, req.assigned_by_id = now(), actor.id
    req.fee, req.fee_item_id = amount, item.id if item else None
    session.flush()
    if item is not None:
        req.fee_commit_txn_id = funds.commit_evaluation_fee(session, req, item, by=actor)
    record(session, actor, "evaluation_request", req.id, "assign",
           RequestStatus.REQUESTED.value, RequestStatus.ASSIGNED.value,
           f"{agency.name}" + (f", fee {amount}" if amount else ""))
    return req


def assignment_for(session: Session, actor, contract: Contract, milestone: Milestone
                   ) -> EvaluationRequest:
    """The open assignment the actor may report on: an evaluator of the assigned agency,
    with no conflict of interest. Raises otherwise."""
    req = open_request(session, milestone)
    if req is None or req.status != RequestStatus.ASSIGNED:
        raise Conflict(_l("No evaluator agency is assigned to evaluate this milestone."))
    if actor.role != Role.EVALUATOR or actor.agency_id != req.agency_id:
        raise Forbidden(_l("Only an evaluator of the assigned agency records this "
                           "evaluation."))
    conflict = conflict_reason(session, req.agency_id, actor.id, contract.organization_id,
                               now())
    if conflict is not None:
        raise Conflict(_l("You have a conflict of interest with the organization: "
                          "%(reason)s", reason=conflict))
    return req


def complete(session: Session, actor, req: EvaluationRequest,
             evaluation: PerformanceEvaluation, report: str | None, documents=()) -> None:
    """The report is in: close the assignment and pay the agency's fee, if any."""
    req.status, req.evaluation_id = RequestStatus.REPORTED, evaluation.id
    req.report = (report or "").strip()[:20000] or None
    if req.fee is not None:
        req.fee_payment_txn_id = funds.pay_evaluation_fee(session, req, by=actor,
                                                          documents=documents)
    record(session, actor, "evaluation_request", req.id, "report",
           RequestStatus.ASSIGNED.value, RequestStatus.REPORTED.value,
           "passed" if evaluation.passed else "failed")


def parse_score(raw) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise Invalid(_l("Enter the score as a number from 0 to 100."), field="score") from None
    if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(CENT):
        raise Invalid(_l("Enter the score as a number from 0 to 100."), field="score")
    return value


def record_performance_evaluation(session: Session, actor, contract_id: int, milestone: int,
                                  passed: bool, score=None, report_document: Upload | None = None,
                                  report: str | None = None) -> PerformanceEvaluation:
    """A third-party evaluation of a milestone, by an evaluator of the agency assigned to it
    (``assignment_for``); written to the ledger, where a pass opens the milestone's gate
    (``contracts.payments.payment_blocker``). Submitting the report pays the agency's fee,
    if one was set."""
    if not actor.can(Permission.CONTRACTS_EVALUATE):
        raise Forbidden(_l("Only a third-party evaluator records performance evaluations."))
    contract, row = payments.get_milestone(session, contract_id, milestone, lock=True)
    payments.ensure_active(contract)
    if row.status in (MilestoneStatus.PAID, MilestoneStatus.CANCELLED):
        raise Conflict(_l("This milestone is closed."))
    if row.status == MilestoneStatus.PENDING:
        raise Conflict(_l("The milestone is evaluated after its deliverables are submitted."))
    assignment = assignment_for(session, actor, contract, row)
    value = parse_score(score)
    if not isinstance(passed, bool):
        raise Invalid(_l("Say whether the evaluation passed."), field="passed")
    evaluation = PerformanceEvaluation(milestone_id=row.id, passed=passed, score=value,
                                       recorded_by_id=actor.id, ledger_evaluation_id=0)
    row.evaluations.append(evaluation)  # so the gate sees it within the same transaction
    session.flush()
    documents = []
    if report_document is not None:
        doc = store_document(session, report_document, owner_type=OwnerType.PERFORMANCE_EVALUATION,
                             owner_id=evaluation.id, purpose="evaluation_report", actor=actor)
        evaluation.report_document_id = doc.id
        documents = [doc.id]
    evaluation.ledger_evaluation_id = funds.record_contract_evaluation(
        session, row, passed, value, by=actor, documents=documents)
    complete(session, actor, assignment, evaluation, report, documents)
    record(session, actor, "milestone", row.id, "evaluate", None,
           "passed" if passed else "failed", f"contract {contract.id} m{milestone} {value or ''}")
    if not passed:  # 绩效评价不合格 — into the organization's credit record (not public:
        # the report is not, and a later evaluation may pass the milestone)
        credit.record(session, actor, organization_id=contract.organization_id,
                      kind=CreditKind.FAILED_PERFORMANCE_EVALUATION, occurred_on=today_local(),
                      source_room="performance", source_kind="evaluation",
                      source_id=evaluation.id,
                      summary=f"{contract.number} · {milestone}. {row.title}"
                              + (f" · {value}" if value is not None else ""),
                      evidence_document_id=evaluation.report_document_id, public=False)
    return evaluation


def may_read_report(session: Session, user, doc) -> bool:
    """Evaluation reports: as the milestone's other documents (document policy for
    ``OwnerType.PERFORMANCE_EVALUATION``, registered by the performance feature)."""
    evaluation = session.get(PerformanceEvaluation, doc.owner_id)
    milestone = session.get(Milestone, evaluation.milestone_id) if evaluation else None
    return payments.may_read_milestone_documents(user, milestone)


def cancel_open(session: Session, actor, contract: Contract) -> None:
    """The contract ended: open requests are cancelled and committed fees released."""
    for req in session.scalars(select(EvaluationRequest).where(
            EvaluationRequest.contract_id == contract.id,
            EvaluationRequest.status.in_(OPEN))):
        if req.fee is not None and req.fee_commit_txn_id is not None:
            funds.release_evaluation_fee(session, req, by=actor)
        record(session, actor, "evaluation_request", req.id, "cancel", req.status.value,
               RequestStatus.CANCELLED.value, None)
        req.status = RequestStatus.CANCELLED


def agencies(session: Session) -> list[EvaluatorAgency]:
    return list(session.scalars(select(EvaluatorAgency).order_by(EvaluatorAgency.name)))


def work_for(session: Session, user) -> list[EvaluationRequest]:
    """What the user has to do: evaluators their agency's assignments; the department its
    contracts' requests; civil affairs every request waiting for an agency."""
    stmt = select(EvaluationRequest).where(EvaluationRequest.status.in_(OPEN))
    if user.role == Role.EVALUATOR:
        stmt = stmt.where(EvaluationRequest.agency_id == user.agency_id,
                          EvaluationRequest.status == RequestStatus.ASSIGNED)
    elif user.role == Role.DEPARTMENT:
        stmt = stmt.join(Contract, Contract.id == EvaluationRequest.contract_id).where(
            Contract.department_id == user.department_id)
    elif user.role != Role.CIVIL_AFFAIRS:
        return []
    return list(session.scalars(stmt.order_by(EvaluationRequest.id)))



# --- to-do counts on the home pages (market.home.todos) ----------------------------------

def evaluations_to_request(session: Session, user) -> int:
    """A department's gated tranches with deliverables in, no open or reported request and
    no passing evaluation: a performance evaluation is due to be requested."""
    asked = select(EvaluationRequest.milestone_id).where(
        EvaluationRequest.status != RequestStatus.CANCELLED)
    passed = select(PerformanceEvaluation.milestone_id).where(
        PerformanceEvaluation.passed.is_(True))
    return session.scalar(
        select(func.count(Milestone.id)).join(Contract)
        .where(Contract.department_id == (user.department_id or 0),
               Contract.status == ContractStatus.ACTIVE, Milestone.needs_evaluation.is_(True),
               Milestone.status.in_([MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED]),
               Milestone.id.not_in(asked), Milestone.id.not_in(passed))) or 0


def requests_to_assign(session: Session, user) -> int:
    """Civil affairs: evaluation requests waiting for an agency."""
    return session.scalar(select(func.count(EvaluationRequest.id)).where(
        EvaluationRequest.status == RequestStatus.REQUESTED)) or 0


def evaluations_due(session: Session, user) -> int:
    """An evaluator: requests assigned to its agency and not reported yet."""
    return session.scalar(select(func.count(EvaluationRequest.id)).where(
        EvaluationRequest.agency_id == (user.agency_id or 0),
        EvaluationRequest.status == RequestStatus.ASSIGNED)) or 0
