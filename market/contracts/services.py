"""Signing and ending contracts: the one door to their rules and ledger postings.

A contract is signed from the current award once the standstill is over and no
challenge is open, at the awarded price, with a payment schedule whose percentages sum
to 100 %. Signing commits the amount in the ledger in the same database transaction as
the contract row; termination releases what is still committed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import funds, policy
from market.access.permissions import Permission
from market.auditlog.services import record
from market.clock import now, to_local, today_local
from market.contracts import hooks
from market.contracts.access import managed_contract
from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus
from market.errors import Conflict, Forbidden, Invalid
from market.money import CENT
from market.orgs.status import ensure_can_transact
from market.tenders.scoring import services as evaluation
from market.tenders.access import get_tender
from market.tenders.scoring.award import current_award
from market.tenders.scoring.challenges import open_challenges
from market.tenders.models import Tender, TenderStatus

HUNDRED = Decimal("100")


@dataclass
class MilestoneData:
    title: str
    percent: object
    due_date: dt.date | None
    needs_evaluation: bool = False


def _percent(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError):
        raise Invalid(_l("Enter each milestone's share as a percentage."),
                      field="milestones") from None
    if not value.is_finite() or value <= 0 or value > HUNDRED or value != value.quantize(CENT):
        raise Invalid(_l("A milestone's share is more than 0 and at most 100 %, with at most "
                         "two decimals."), field="milestones")
    return value


def schedule(amount: Decimal, rows: list[MilestoneData]) -> list[tuple[MilestoneData, Decimal,
                                                                        Decimal]]:
    """(row, percent, amount) per milestone: amounts to the fen, the remainder on the last."""
    rows = [r for r in rows if (r.title or "").strip() or str(r.percent or "").strip()]
    if not rows:
        raise Invalid(_l("Add at least one milestone."), field="milestones")
    limit = policy.value("contract_max_milestones")
    if len(rows) > limit:
        raise Invalid(_l("At most %(n)s milestones.", n=limit), field="milestones")
    percents = [_percent(r.percent) for r in rows]
    total = sum(percents, Decimal("0"))
    if total != HUNDRED:
        shown = f"{total.normalize():f}"
        raise Invalid(_l("The milestones' shares must add up to 100 %% (now %(t)s %%).",
                         t=shown), field="milestones")
    previous = None
    for r in rows:
        if not (r.title or "").strip():
            raise Invalid(_l("Every milestone needs a title."), field="milestones")
        if not isinstance(r.due_date, dt.date):
            raise Invalid(_l("Every milestone needs a due date."), field="milestones")
        if previous is not None and r.due_date < previous:
            raise Invalid(_l("Milestones are listed in the order they fall due."),
                          field="milestones")
        previous = r.due_date
    amounts = [(amount * p / HUNDRED).quantize(CENT, rounding=ROUND_DOWN) for p in percents[:-1]]
    amounts.append(amount - sum(amounts, Decimal("0.00")))
    if any(a <= 0 for a in amounts):
        raise Invalid(_l("Every milestone must be worth at least one fen."), field="milestones")
    return list(zip(rows, percents, amounts, strict=True))


def contract_for_tender(session: Session, tender: Tender) -> Contract | None:
    return session.scalar(select(Contract).where(Contract.tender_id == tender.id))


def signing_blocker(session: Session, tender: Tender):
    """Why the contract cannot be signed now (a message), or None."""
    if tender.status != TenderStatus.AWARDED:
        return _l("Only an awarded tender can be contracted.")
    if not tender.standstill_over:
        return _l("The standstill period runs until %(t)s; sign after it.",
                  t=to_local(tender.standstill_ends_at).strftime("%Y-%m-%d %H:%M"))
    if open_challenges(session, tender):
        return _l("A challenge to the award is open; answer it before signing.")
    return None


def sign_contract(session: Session, actor, tender_id: int, rows: list[MilestoneData]
                  ) -> Contract:
    """Sign at the awarded price and commit the amount in the ledger, in one transaction."""
    if not actor.can(Permission.CONTRACTS_MANAGE):
        raise Forbidden(_l("Only the purchasing department signs contracts."))
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    blocker = signing_blocker(session, tender)
    if blocker is not None:
        raise Conflict(blocker)
    award = current_award(session, tender)
    bid = award.bid
    ensure_can_transact(bid.organization, community_project=tender.allow_filed)
    price = evaluation.bid_prices(session, tender)[bid.id]
    planned = schedule(price, rows)
    if not tender.final_evaluation_waiver and not planned[-1][0].needs_evaluation:
        # 政府购买服务管理办法 (MOF Order No. 102) asks a performance evaluation of
        # purchased services: the final tranche waits for it unless the tender says why not.
        raise Invalid(_l("The final tranche is paid only after a passing final performance "
                         "evaluation: mark the last milestone as needing an evaluation (the "
                         "tender gives no reason to do otherwise)."), field="milestones")
    contract = Contract(tender_id=tender.id, award_id=award.id, bid_id=bid.id,
                        organization_id=bid.organization_id, department_id=tender.department_id,
                        catalog_item_id=tender.catalog_item_id, amount=price,
                        status=ContractStatus.ACTIVE, signed_at=now(), signed_by_id=actor.id)
    session.add(contract)
    for number, (row, percent, amount) in enumerate(planned, start=1):
        contract.milestones.append(Milestone(
            number=number, title=row.title.strip()[:200], percent=percent, amount=amount,
            due_date=row.due_date, needs_evaluation=bool(row.needs_evaluation)))
    session.flush()
    funds.commit_contract(session, contract, by=actor)
    tender.status = TenderStatus.CONTRACTED
    record(session, actor, "contract", contract.id, "sign", None, ContractStatus.ACTIVE.value,
           f"tender {tender.id}, {price} yuan")
    record(session, actor, "tender", tender.id, "contract", TenderStatus.AWARDED.value,
           TenderStatus.CONTRACTED.value, f"contract {contract.id}")
    return contract


def default_schedule(tender_start: dt.date | None = None) -> list[MilestoneData]:
    """A starting point for the form: 30 / 40 / 30 % at +30 / +180 / +330 days (policy
    payment_*), the last one gated by an evaluation."""
    start = tender_start or today_local()

    def row(title, part: str, gated: bool = False) -> MilestoneData:
        return MilestoneData(str(title), str(policy.value(f"payment_{part}_percent")),
                             start + dt.timedelta(days=policy.value(f"payment_{part}_days")),
                             gated)

    return [row(_l("Advance on signing"), "advance"), row(_l("Mid-term delivery"), "midterm"),
            row(_l("Final delivery"), "final", True)]


def terminate_contract(session: Session, actor, contract_id: int, reason: str) -> Contract:
    """终止 — end the contract early: unpaid milestones are cancelled, the rest released."""
    contract = managed_contract(session, actor, contract_id)
    if contract.status != ContractStatus.ACTIVE:
        raise Conflict(_l("Only a contract in progress can be terminated."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give the reason for terminating the contract."), field="reason")
    released = funds.release_contract(session, contract, by=actor, reason=reason)
    for listener in hooks.termination_listeners():  # e.g. open evaluations end, fees released
        listener(session, actor, contract)
    for m in contract.milestones:
        if m.status != MilestoneStatus.PAID:
            m.status = MilestoneStatus.CANCELLED
    contract.status = ContractStatus.TERMINATED
    contract.closed_at, contract.termination_reason = now(), reason[:5000]
    contract.released = released
    record(session, actor, "contract", contract.id, "terminate", ContractStatus.ACTIVE.value,
           ContractStatus.TERMINATED.value, f"released {released}: {reason[:400]}")
    return contract

