"""The ONLY place where domain events become ledger postings.

Each function takes the session of the service that calls it, so the domain change and
its postings commit (or roll back) together. Ledger refusals come back as translated
domain errors; nothing is written when one is raised.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger import operations
from ledger.accounts import (GRANTS, BudgetLine, Unit, available_account, committed_account,
                             expense_account, item_prefix, reserved_account)
from ledger.balances import balance, balances, pools
from ledger.evaluations import record_evaluation
from ledger.errors import (AmendBelowCommitted, DateOutOfOrder, EvaluationRequired,
                           GuardViolation, LedgerError)
from ledger.models import Account
from market.clock import today_local
from market.errors import Conflict, Invalid
from market.money import format_money


def budget_line(item) -> BudgetLine:
    """The ledger's view of a catalog item: fiscal year, department, item (codes + names)."""
    dept = item.catalog.department
    return BudgetLine(fy=item.catalog.fiscal_year, dept=Unit(dept.code, dept.name_zh),
                      item=Unit(item.code, item.title))


def _refusal(error: LedgerError):
    if isinstance(error, AmendBelowCommitted):
        return Conflict(_l("The budget cannot be lowered below what is already committed or "
                           "reserved by published tenders (available: %(a)s yuan).",
                           a=error.details.get("available", "?")),
                        field="new_budget")
    if isinstance(error, GuardViolation):
        return Conflict(_l("Not enough budget is available for this."))
    if isinstance(error, EvaluationRequired):
        return Conflict(_l("This payment needs a passing third-party evaluation first."))
    if isinstance(error, DateOutOfOrder):
        return Conflict(_l("The ledger already has later entries; check the system clock."))
    return Invalid(_l("The ledger refused this posting: %(reason)s", reason=error.message))


def appropriate(session: Session, item, *, approved_by) -> int:
    """Finance approved the item's budget (预算批复)."""
    try:
        ref = operations.appropriate(
            session, today_local(), budget_line(item), item.budget,
            links=[f"catalog-{item.catalog_id}"],
            meta={"catalog_item": item.code, "approved_by": approved_by.username})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def amend(session: Session, item, delta: Decimal, *, reason: str, by) -> int:
    """Finance raised (delta > 0) or lowered an approved item's budget (预算调整)."""
    try:
        ref = operations.amend(
            session, today_local(), budget_line(item), delta,
            links=[f"catalog-{item.catalog_id}"],
            meta={"catalog_item": item.code, "amended_by": by.username, "reason": reason[:200]})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def lapse(session: Session, item, *, by) -> Decimal:
    """At fiscal-year close, what is still available on the item lapses (结余收回)."""
    line = budget_line(item)
    available = balance(session, available_account(line).name)
    if available <= 0:
        return Decimal("0.00")
    try:
        operations.lapse(session, today_local(), line, available,
                         links=[f"catalog-{item.catalog_id}"],
                         meta={"catalog_item": item.code, "closed_by": by.username})
    except LedgerError as e:
        raise _refusal(e) from e
    return available


@dataclass(frozen=True)
class ItemFunds:
    """Where one catalog item's budget stands in the ledger (资金情况), in yuan."""

    budget: Decimal
    available: Decimal  # 可用 — neither reserved nor committed
    reserved: Decimal  # 预留 — held by published tenders (their ceilings, or award prices)
    committed: Decimal  # 已承诺 — signed contracts and grants, not yet paid
    paid: Decimal  # 已支付


def item_funds(session: Session, item) -> ItemFunds:
    """The item's budget split into available, reserved, committed and paid."""
    line = budget_line(item)
    rows = balances(session, item_prefix(line))
    zero = Decimal("0.00")
    reserved = sum((v for k, v in rows.items() if ":Reserved:" in k), zero)
    committed = sum((v for k, v in rows.items() if ":Committed:" in k), zero)
    paid = sum((balance(session, expense_account(line, kind).name)
                for kind in ("PublicServices", "Grants")), zero)
    return ItemFunds(item.budget, rows.get(available_account(line).name, zero), reserved,
                     committed, paid)


# --- tenders (招标): reserve at publication, settle at award, release on cancellation ---

def tender_unit(tender) -> Unit:
    return Unit(f"tender-{tender.id}", tender.reference)


def _reservation(tender) -> tuple[BudgetLine, Unit, str]:
    line, unit = budget_line(tender.catalog_item), tender_unit(tender)
    return line, unit, reserved_account(line, unit).code


def has_reservation(session: Session, tender) -> bool:
    """Whether the tender ever reserved budget. Tenders published before reservations
    existed have none: their award leaves the ledger alone and their contract is committed
    straight from the available budget, as it was then."""
    code = _reservation(tender)[2]
    return session.scalar(select(Account.id).where(Account.code == code)) is not None


def reserved(session: Session, tender) -> Decimal:
    """What the tender holds reserved now (0 when it has no reservation)."""
    line, unit, _ = _reservation(tender)
    return balance(session, reserved_account(line, unit).name)


def _meta(tender, by, reason: str | None = None) -> dict[str, str]:
    meta = {"tender": tender.reference, "by": getattr(by, "username", None) or "platform"}
    if reason:
        meta["reason"] = reason[:200]
    return meta


def reserve_tender(session: Session, tender, *, by) -> int:
    """Publication (发布): the tender's ceiling moves from available to reserved; refused
    (nothing written) when less than the ceiling is still available on the item."""
    line, unit, _ = _reservation(tender)
    try:
        ref = operations.reserve(session, today_local(), line, unit, tender.ceiling_price,
                                 links=[f"catalog-{tender.catalog_item.catalog_id}"],
                                 meta=_meta(tender, by))
    except GuardViolation as e:
        held = e.details.get("balance")
        shown = format_money(Decimal(held), unit=False) if held else "?"
        raise Conflict(_l("The budget still available on the catalog item (%(a)s yuan) is "
                          "less than the ceiling price; another tender may have reserved it.",
                          a=shown), field="ceiling_price") from e
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def settle_reservation(session: Session, tender, target: Decimal, *, by, reason: str
                       ) -> Decimal:
    """Bring the tender's reservation to ``target`` (award: the awarded price; a lowered
    or raised ceiling; cancellation or failure: 0). Returns the change (+ reserved more,
    - given back). A tender without a reservation (published before reservations) is left
    alone. Raising is refused when the item's available budget is short."""
    if not has_reservation(session, tender):
        return Decimal("0.00")
    line, unit, _ = _reservation(tender)
    delta = target - reserved(session, tender)
    if not delta:
        return delta
    links = [f"catalog-{tender.catalog_item.catalog_id}"]
    try:
        if delta > 0:
            operations.reserve(session, today_local(), line, unit, delta, links=links,
                               meta=_meta(tender, by, reason))
        else:
            operations.unreserve(session, today_local(), line, unit, -delta, links=links,
                                 meta=_meta(tender, by, reason))
    except LedgerError as e:
        raise _refusal(e) from e
    return delta


# --- contracts (合同): commit at signing, pay per milestone, release on termination ---

def contract_unit(contract) -> Unit:
    return Unit(contract.code)


def _contract_links(contract) -> list[str]:
    return [f"tender-{contract.tender_id}"]


def committed_pools(session: Session, contract) -> dict[str, Decimal]:
    """What is still committed to the contract, per pool ("" ungated, else the gate)."""
    account = committed_account(budget_line(contract.catalog_item), contract_unit(contract))
    return {pool: amount for pool, amount in pools(session, account.name).items() if amount}


def commit_contract(session: Session, contract, *, by) -> list[int]:
    """The contract is signed (合同签订): its amount moves from available to committed.

    Ungated milestones are committed together; each evaluation-gated milestone separately
    with its own gate, so its money waits in its own pool for a passing evaluation. The
    money comes out of the tender's reservation (what the award left reserved; anything
    still reserved beyond the contract amount goes back to available); a tender published
    before reservations existed commits straight from available, as before.
    """
    line, unit = budget_line(contract.catalog_item), contract_unit(contract)
    tender = contract.tender
    source = tender_unit(tender) if reserved(session, tender) > 0 else None
    ungated = sum((m.amount for m in contract.milestones if not m.needs_evaluation),
                  Decimal("0.00"))
    tranches = [(None, ungated, None)] if ungated else []
    tranches += [(m.gate, m.amount, m.number) for m in contract.milestones if m.needs_evaluation]
    refs = []
    try:
        for gate, amount, number in tranches:
            meta = {"organization": contract.organization.name[:100],
                    "signed_by": by.username}
            if number is not None:
                meta["milestone"] = str(number)
            refs.append(operations.commit(session, today_local(), line, unit, amount, gate=gate,
                                          reservation=source,
                                          links=_contract_links(contract), meta=meta).id)
        if source is not None and reserved(session, tender) > 0:
            operations.unreserve(session, today_local(), line, source,
                                 reserved(session, tender),
                                 links=[f"catalog-{tender.catalog_item.catalog_id}"],
                                 meta=_meta(tender, by, "contract signed"))
    except LedgerError as e:
        raise _refusal(e) from e
    return refs


def pay_milestone(session: Session, contract, milestone, *, by, documents=()) -> int:
    """Finance approved a milestone's payment (拨付): committed money becomes an expense."""
    try:
        ref = operations.pay(
            session, today_local(), budget_line(contract.catalog_item), contract_unit(contract),
            milestone.amount, gate=milestone.gate, links=_contract_links(contract),
            documents=[str(d) for d in documents],
            meta={"milestone": str(milestone.number), "approved_by": by.username})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def release_contract(session: Session, contract, *, by, reason: str) -> Decimal:
    """A terminated (or under-spent) contract gives back what is still committed (结余释放)."""
    line, unit = budget_line(contract.catalog_item), contract_unit(contract)
    released = Decimal("0.00")
    try:
        for pool, amount in sorted(committed_pools(session, contract).items()):
            operations.release(session, today_local(), line, unit, amount, gate=pool or None,
                               links=_contract_links(contract),
                               meta={"released_by": by.username, "reason": reason[:200]})
            released += amount
    except LedgerError as e:
        raise _refusal(e) from e
    return released


def record_contract_evaluation(session: Session, milestone, passed: bool, score, *, by,
                               documents=()) -> int:
    """A third-party performance evaluation (绩效评估) of a milestone, in the ledger."""
    subject = f"contract-{milestone.contract_id}/m{milestone.number}"
    try:
        ref = record_evaluation(session, today_local(), subject, passed, score,
                                documents=[str(d) for d in documents],
                                meta={"recorded_by": by.username})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


# --- evaluation fees (评估费): committed at assignment, paid when the report is in ---

def _fee_unit(request) -> Unit:
    return Unit(request.code)


def _fee_links(request) -> list[str]:
    return [f"contract-{request.contract_id}"]


def commit_evaluation_fee(session: Session, request, item, *, by) -> int:
    """An agency is assigned with a fee: it is committed on the department's evaluation item;
    refused (nothing written) when the item's available budget is short."""
    try:
        ref = operations.commit(
            session, today_local(), budget_line(item), _fee_unit(request), request.fee,
            links=_fee_links(request),
            meta={"agency": request.agency.name[:100], "assigned_by": by.username,
                  "milestone": str(request.milestone.number)})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def pay_evaluation_fee(session: Session, request, *, by, documents=()) -> int:
    """The agency's report is submitted: its fee is paid."""
    try:
        ref = operations.pay(
            session, today_local(), budget_line(request.fee_item), _fee_unit(request),
            request.fee, links=_fee_links(request), documents=[str(d) for d in documents],
            meta={"agency": request.agency.name[:100], "reported_by": by.username})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def release_evaluation_fee(session: Session, request, *, by) -> int:
    """The evaluation was cancelled before its report: the committed fee goes back."""
    try:
        ref = operations.release(
            session, today_local(), budget_line(request.fee_item), _fee_unit(request),
            request.fee, links=_fee_links(request), meta={"released_by": by.username})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


# --- incubation rewards (以奖代补): committed and paid at once, after a passing evaluation ---

def _reward_links(reward) -> list[str]:
    return [f"incubation-base-{reward.base_id}", f"incubation-{reward.base_id}-{reward.year}"]


def pay_reward(session: Session, reward, *, by, documents=()) -> tuple[int, int]:
    """Civil affairs pays a base's reward for a passing year: the amount is committed on the
    civil-affairs budget line, then paid as a grant (Committed → Paid), linked to the base
    and the year. Refused (nothing written) when the line's available budget is short."""
    line, unit = budget_line(reward.catalog_item), Unit(reward.code)
    meta = {"incubation_base": reward.base.name[:100], "year": str(reward.year),
            "approved_by": by.username}
    try:
        committed = operations.commit(session, today_local(), line, unit, reward.amount,
                                      links=_reward_links(reward), meta=meta)
        paid = operations.pay(session, today_local(), line, unit, reward.amount,
                              expense=GRANTS, links=_reward_links(reward),
                              documents=[str(d) for d in documents], meta=meta)
    except LedgerError as e:
        raise _refusal(e) from e
    return committed.id, paid.id


# --- grants (公益创投资助): reserve at approval, commit at signing, pay tranches, release ---

def grant_unit(grant) -> Unit:
    return Unit(grant.code)


def _grant_line(grant) -> BudgetLine:
    return budget_line(grant.round.item)


def _grant_links(grant) -> list[str]:
    return [f"grant-round-{grant.round_id}", f"grant-application-{grant.application_id}"]


def _grant_meta(grant, by, **extra: str) -> dict[str, str]:
    meta = {"grant_round": str(grant.round_id), "application": str(grant.application_id),
            "organization": grant.organization.name[:100],
            "by": getattr(by, "username", None) or "platform"}
    meta.update({k: v[:200] for k, v in extra.items() if v})
    return meta


def grant_reserved(session: Session, grant) -> Decimal:
    return balance(session, reserved_account(_grant_line(grant), grant_unit(grant)).name)


def grant_committed(session: Session, grant) -> dict[str, Decimal]:
    """What is still committed to the grant, per pool ("" ungated, else the stage's gate)."""
    account = committed_account(_grant_line(grant), grant_unit(grant))
    return {pool: amount for pool, amount in pools(session, account.name).items() if amount}


def reserve_grant(session: Session, grant, *, by) -> int:
    """立项 — the approved grant's amount moves from the item's available budget to its own
    reservation; refused (nothing written) when the item has less available."""
    try:
        ref = operations.reserve(session, today_local(), _grant_line(grant), grant_unit(grant),
                                 grant.amount, links=_grant_links(grant),
                                 narration=f"公益创投立项 grant approved {grant.code}",
                                 meta=_grant_meta(grant, by))
    except GuardViolation as e:
        held = e.details.get("balance")
        shown = format_money(Decimal(held), unit=False) if held else "?"
        raise Conflict(_l("The budget still available on the round's catalog item (%(a)s "
                          "yuan) is less than the grants approved; nothing was decided.",
                          a=shown)) from e
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def commit_grant(session: Session, grant, *, by, documents=()) -> dict[int, int]:
    """资助协议签订 — the grant agreement is signed: each tranche is committed out of the
    grant's reservation; the mid-term and final tranches each wait in their own pool,
    gated by a passing evaluation of their stage. Returns tranche number -> transaction."""
    line, unit = _grant_line(grant), grant_unit(grant)
    refs = {}
    try:
        for tranche in grant.tranches:
            gate = grant.gate(tranche.stage) if tranche.gated else None
            refs[tranche.number] = operations.commit(
                session, today_local(), line, unit, tranche.amount, gate=gate, reservation=unit,
                narration=f"资助协议 grant agreement {grant.code} tranche {tranche.number}",
                links=_grant_links(grant), documents=[str(d) for d in documents],
                meta=_grant_meta(grant, by, tranche=str(tranche.number))).id
        left = grant_reserved(session, grant)
        if left > 0:
            operations.unreserve(session, today_local(), line, unit, left,
                                 links=_grant_links(grant),
                                 meta=_grant_meta(grant, by, reason="agreement signed"))
    except LedgerError as e:
        raise _refusal(e) from e
    return refs


def pay_grant_tranche(session: Session, grant, tranche, *, by, documents=()) -> int:
    """分期拨付 — finance pays a tranche: committed money becomes a grant expense. A gated
    tranche is refused by the ledger before a passing evaluation of its stage."""
    try:
        ref = operations.pay(
            session, today_local(), _grant_line(grant), grant_unit(grant), tranche.amount,
            gate=grant.gate(tranche.stage) if tranche.gated else None, expense=GRANTS,
            narration=f"公益创投拨付 grant tranche {grant.code} #{tranche.number}",
            links=_grant_links(grant), documents=[str(d) for d in documents],
            meta=_grant_meta(grant, by, tranche=str(tranche.number)))
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def release_grant(session: Session, grant, *, by, reason: str) -> Decimal:
    """A stopped grant gives back what is still reserved or committed to it (释放回资金池)."""
    line, unit = _grant_line(grant), grant_unit(grant)
    released = Decimal("0.00")
    try:
        for pool, amount in sorted(grant_committed(session, grant).items()):
            operations.release(session, today_local(), line, unit, amount, gate=pool or None,
                               narration=f"公益创投释放 grant released {grant.code}",
                               links=_grant_links(grant),
                               meta=_grant_meta(grant, by, reason=reason))
            released += amount
        left = grant_reserved(session, grant)
        if left > 0:
            operations.unreserve(session, today_local(), line, unit, left,
                                 links=_grant_links(grant),
                                 meta=_grant_meta(grant, by, reason=reason))
            released += left
    except LedgerError as e:
        raise _refusal(e) from e
    return released


def record_grant_evaluation(session: Session, grant, stage: str, passed: bool, score, *, by,
                            documents=()) -> int:
    """A third-party performance evaluation of a grant's stage, in the ledger: the same
    ``custom "evaluation"`` entry as a contract milestone's, naming the stage's gate."""
    try:
        ref = record_evaluation(session, today_local(), grant.gate(stage), passed, score,
                                documents=[str(d) for d in documents],
                                meta={"recorded_by": by.username,
                                      "grant_round": str(grant.round_id)})
    except LedgerError as e:
        raise _refusal(e) from e
    return ref.id


def available(session: Session, item) -> Decimal:
    """What is still available (not committed) on a catalog item's budget line."""
    return balance(session, available_account(budget_line(item)).name)
