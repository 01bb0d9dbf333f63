"""A milestone from deliverables to payment (交付 → 验收 → 评估 → 拨付).

The organization submits deliverables (text and documents); the department accepts or
rejects them with reasons; a gated milestone then waits for a passing third-party
performance evaluation; finance approves the payment, which posts to the ledger. The
service refuses what the ledger would refuse, and the ledger refuses it again.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import funds, policy
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.clock import now
from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus, Submission
from market.contracts.access import is_contractor, is_department
from market.documents.models import OwnerType
from market.documents.storage import Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound


def get_milestone(session: Session, contract_id: int, number: int, *, lock: bool = False
                  ) -> tuple[Contract, Milestone]:
    contract = session.get(Contract, contract_id, with_for_update=lock)
    milestone = None
    if contract is not None:
        milestone = session.scalar(select(Milestone).where(
            Milestone.contract_id == contract.id, Milestone.number == number))
    if milestone is None:
        raise NotFound(_l("No such milestone."))
    return contract, milestone


def ensure_active(contract: Contract) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise Conflict(_l("The contract is no longer in progress."))


def submit_deliverables(session: Session, actor, contract_id: int, number: int, text: str,
                        uploads: list[Upload] = ()) -> Submission:
    contract, milestone = get_milestone(session, contract_id, number, lock=True)
    if not is_contractor(actor, contract):
        raise Forbidden(_l("Only the contracted organization submits deliverables."))
    ensure_active(contract)
    if milestone.status != MilestoneStatus.PENDING:
        raise Conflict(_l("Deliverables for this milestone were already submitted."))
    text = (text or "").strip()
    if not text:
        raise Invalid(_l("Describe what was delivered."), field="text")
    uploads = [u for u in uploads or [] if u is not None]
    limit = policy.value("deliverable_max_files")
    if len(uploads) > limit:
        raise Invalid(_l("Attach at most %(n)s files.", n=limit), field="documents")
    submission = Submission(milestone_id=milestone.id, text=text[:20000],
                            submitted_by_id=actor.id)
    session.add(submission)
    session.flush()
    submission.document_ids = [
        store_document(session, u, owner_type=OwnerType.DELIVERABLE, owner_id=submission.id,
                       purpose="deliverable", actor=actor).id for u in uploads]
    milestone.status = MilestoneStatus.SUBMITTED
    record(session, actor, "milestone", milestone.id, "submit", MilestoneStatus.PENDING.value,
           MilestoneStatus.SUBMITTED.value, f"contract {contract.id} m{number}")
    return submission


def decide_deliverables(session: Session, actor, contract_id: int, number: int,
                        accept: bool, reason: str = "") -> Submission:
    """验收 — accept, or reject with reasons (the organization submits again)."""
    contract, milestone = get_milestone(session, contract_id, number, lock=True)
    if not is_department(actor, contract):
        raise Forbidden(_l("Only the purchasing department of this contract may do this."))
    ensure_active(contract)
    if milestone.status != MilestoneStatus.SUBMITTED:
        raise Conflict(_l("There are no submitted deliverables to decide on."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise Invalid(_l("Give the reasons for rejecting the deliverables."), field="reason")
    submission = milestone.submissions[-1]
    submission.accepted, submission.reason = accept, reason[:5000] or None
    submission.decided_at, submission.decided_by_id = now(), actor.id
    milestone.status = MilestoneStatus.ACCEPTED if accept else MilestoneStatus.PENDING
    record(session, actor, "milestone", milestone.id, "accept" if accept else "reject",
           MilestoneStatus.SUBMITTED.value, milestone.status.value, reason[:500] or None)
    return submission


def payment_blocker(contract: Contract, milestone: Milestone):
    """Why finance cannot pay this milestone now (a message), or None."""
    if contract.status != ContractStatus.ACTIVE:
        return _l("The contract is no longer in progress.")
    if contract.written and not contract.in_effect:  # services.accept_contract (签章确认)
        return _l("The organization has not yet accepted (countersigned) the written "
                  "contract; nothing is paid before it takes effect.")
    if milestone.status == MilestoneStatus.PAID:
        return _l("This milestone has already been paid.")
    if milestone.status != MilestoneStatus.ACCEPTED:
        return _l("The department has not accepted this milestone's deliverables yet.")
    if milestone.needs_evaluation and not milestone.evaluation_passed:
        return _l("This payment needs a passing third-party evaluation first.")
    if contract.paid + milestone.amount > contract.amount:
        return _l("This payment would exceed the contract amount.")
    return None


def approve_payment(session: Session, actor, contract_id: int, number: int) -> Milestone:
    """Finance approves a milestone's payment; it posts to the ledger (拨付)."""
    if not actor.can(Permission.PAYMENTS_APPROVE):
        raise Forbidden(_l("Only the finance bureau approves payments."))
    contract, milestone = get_milestone(session, contract_id, number, lock=True)
    blocker = payment_blocker(contract, milestone)
    if blocker is not None:
        raise Conflict(blocker)
    documents = [d for s in milestone.submissions if s.accepted for d in s.document_ids]
    milestone.ledger_txn_id = funds.pay_milestone(session, contract, milestone, by=actor,
                                                  documents=documents)
    milestone.status, milestone.paid_at, milestone.paid_by_id = MilestoneStatus.PAID, now(), \
        actor.id
    record(session, actor, "milestone", milestone.id, "pay", MilestoneStatus.ACCEPTED.value,
           MilestoneStatus.PAID.value, f"contract {contract.id} m{number} {milestone.amount}")
    if all(m.status == MilestoneStatus.PAID for m in contract.milestones):
        _complete(session, actor, contract)
    return milestone


def _complete(session: Session, actor, contract: Contract) -> None:
    leftover = funds.release_contract(session, contract, by=actor, reason="completed")
    contract.status, contract.closed_at = ContractStatus.COMPLETED, now()
    contract.released = leftover
    record(session, actor, "contract", contract.id, "complete", ContractStatus.ACTIVE.value,
           ContractStatus.COMPLETED.value, f"paid {contract.paid}")


def may_read_document(session: Session, user, doc) -> bool:
    """Deliverables: the parties, finance, evaluators, auditors (document policy for
    ``OwnerType.DELIVERABLE``, registered by the contracts feature)."""
    submission = session.get(Submission, doc.owner_id)
    milestone = session.get(Milestone, submission.milestone_id) if submission else None
    return may_read_milestone_documents(user, milestone)


def may_read_milestone_documents(user, milestone: Milestone | None) -> bool:
    """Documents about a milestone (deliverables, evaluation reports): finance, evaluators,
    civil affairs and auditors, and the contract's department and organization."""
    if user.role in (Role.AUDITOR, Role.FINANCE, Role.EVALUATOR, Role.CIVIL_AFFAIRS):
        return True
    if milestone is None:
        return False
    contract = milestone.contract
    return is_department(user, contract) or user.organization_id == contract.organization_id
