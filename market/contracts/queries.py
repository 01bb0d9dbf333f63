"""Read-side queries for contract pages and work queues."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus
from market.clock import now
from market.tenders.models import Tender, TenderStatus
from market.tenders.outcomes import Outcome, State


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


def bid_next_steps(session: Session, organization_id: int, outcomes: dict[int, Outcome]) -> None:
    """"My bids": what a won bid's organization does next under its contract — countersign
    it, submit the next deliverable report, wait for the department or for payment — for
    every won bid at once (one query). ``outcomes``: ``market.tenders.outcomes.Outcome`` by
    bid id, refined in place (a step the contracts feature registers)."""
    won = {o.tender_id: o for o in outcomes.values()
           if o.state in (State.WON, State.CONTRACTED)}
    if not won:
        return
    rows = session.execute(
        select(Contract.id, Contract.tender_id, Contract.status, Contract.accepted_at,
               Milestone.number, Milestone.title, Milestone.status)
        .outerjoin(Milestone, Milestone.contract_id == Contract.id)
        .where(Contract.organization_id == organization_id, Contract.tender_id.in_(list(won)))
        .order_by(Contract.id, Milestone.number))
    decided: set[int] = set()
    for contract_id, tender_id, status, accepted_at, number, title, m_status in rows:
        out = won[tender_id]
        if tender_id in decided:
            continue
        out.state = State.CONTRACTED
        detail = url_for("contracts.detail", contract_id=contract_id)
        out.action, out.action_url = None, detail
        if status == ContractStatus.TERMINATED:
            out.action = _l("The contract was terminated")
        elif status == ContractStatus.COMPLETED:
            out.action = _l("Completed: every tranche is paid")
        elif accepted_at is None:
            out.action = _l("Sign the contract (countersign it to put it in effect)")
            out.action_url = url_for("contracts.accept_contract", contract_id=contract_id)
        elif m_status in (MilestoneStatus.PAID, MilestoneStatus.CANCELLED):
            continue  # look at the next milestone
        elif m_status == MilestoneStatus.PENDING:
            out.action = _l("Submit the deliverable report for tranche %(n)s: %(title)s",
                            n=number, title=title)
        elif m_status == MilestoneStatus.SUBMITTED:
            out.action = _l("Wait for the department to accept tranche %(n)s", n=number)
        elif m_status == MilestoneStatus.ACCEPTED:
            out.action = _l("Wait for the payment of tranche %(n)s", n=number)
        decided.add(tender_id)


# --- to-do counts on the home pages (market.home.todos) ----------------------------------

def _milestones(status: MilestoneStatus):
    return (select(func.count(Milestone.id)).join(Contract)
            .where(Contract.status == ContractStatus.ACTIVE, Milestone.status == status))


def contracts_to_sign(session: Session, user) -> int:
    """A department's awarded tenders whose standstill is over and no contract signed."""
    return session.scalar(select(func.count(Tender.id)).where(
        Tender.department_id == (user.department_id or 0),
        Tender.status == TenderStatus.AWARDED, Tender.standstill_ends_at <= now())) or 0


def deliverables_to_accept(session: Session, user) -> int:
    return session.scalar(_milestones(MilestoneStatus.SUBMITTED).where(
        Contract.department_id == (user.department_id or 0))) or 0


def payments_to_approve(session: Session, user) -> int:
    return session.scalar(_milestones(MilestoneStatus.ACCEPTED)) or 0


def contracts_to_countersign(session: Session, user) -> int:
    """An organization's contracts signed by the department and not yet countersigned."""
    return session.scalar(select(func.count(Contract.id)).where(
        Contract.organization_id == (user.organization_id or 0),
        Contract.status == ContractStatus.ACTIVE, Contract.accepted_at.is_(None))) or 0


def deliverables_to_submit(session: Session, user) -> int:
    """An organization's tranches in force waiting for its deliverable report."""
    return session.scalar(_milestones(MilestoneStatus.PENDING).where(
        Contract.organization_id == (user.organization_id or 0),
        Contract.accepted_at.is_not(None))) or 0
