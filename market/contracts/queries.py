"""Read-side queries for contract pages and work queues."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus


def public_contracts():
    return select(Contract).order_by(Contract.id.desc())


def department_contracts(department_id: int):
    return select(Contract).where(Contract.department_id == department_id) \
        .order_by(Contract.id.desc())


def organization_contracts(organization_id: int):
    return select(Contract).where(Contract.organization_id == organization_id) \
        .order_by(Contract.id.desc())


def _active_milestones(status: MilestoneStatus):
    return (select(Milestone).join(Contract)
            .where(Contract.status == ContractStatus.ACTIVE, Milestone.status == status)
            .order_by(Milestone.due_date, Milestone.id))


def awaiting_payment(session: Session) -> list[Milestone]:
    """Finance's queue: accepted milestones (gated ones show whether they may be paid)."""
    return list(session.scalars(_active_milestones(MilestoneStatus.ACCEPTED)))


def awaiting_evaluation(session: Session) -> list[Milestone]:
    """Evaluators' queue: gated milestones with deliverables in and no passing evaluation."""
    rows = session.scalars(
        select(Milestone).join(Contract)
        .where(Contract.status == ContractStatus.ACTIVE, Milestone.needs_evaluation.is_(True),
               Milestone.status.in_([MilestoneStatus.SUBMITTED, MilestoneStatus.ACCEPTED]))
        .order_by(Milestone.due_date, Milestone.id))
    return [m for m in rows if not m.evaluation_passed]


def awaiting_decision(session: Session, department_id: int) -> list[Milestone]:
    return list(session.scalars(_active_milestones(MilestoneStatus.SUBMITTED)
                                .where(Contract.department_id == department_id)))


def contract_numbers(session: Session, ids) -> dict[int, str]:
    """contract id -> its number (合同编号, ``Contract.number``, as the written contract and
    the public page print it), for pages that refer to contracts by id or ledger code."""
    ids = {int(i) for i in ids}
    if not ids:
        return {}
    return {c.id: c.number for c in session.scalars(
        select(Contract).where(Contract.id.in_(ids)).options(selectinload(Contract.tender)))}
