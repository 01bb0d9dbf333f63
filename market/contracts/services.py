"""Signing and ending contracts: the one door to their rules and ledger postings.

A contract is signed from the current award once the standstill is over and no
challenge is open, at the awarded price, with a payment schedule whose percentages sum
to 100 %. Signing commits the amount in the ledger in the same database transaction as
the contract row; termination releases what is still committed.

The written contract (书面合同): signing also states the service content and quantity,
quality standard, term, evaluation method and liabilities, generates the contract's PDF
(``pdf.render``) and keeps it as a document with its SHA-256 (in the audit log too). The
department signs within ``contract_sign_days`` of the award notice (政府采购法 第四十六条);
the term is at most ``contract_term_max_months``, or ``contract_term_long_max_months`` for
a service the department marks, with its reason, as meeting the conditions of 政府购买服务
管理办法 第二十四条. The organization then accepts (countersigns, 签章确认) that exact file,
also within the signing period; only then the contract is in effect (the first payment
waits for it, ``payments.payment_blocker``). Publication (合同公告, 政府采购法实施条例
第五十条: within two working days of signing) is automatic: the contract is published on
its public page at the moment it is accepted, and the page shows the date and the
deadline it met.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import funds, policy
from market.access.permissions import Permission
from market.auditlog.services import record
from market.clock import now, to_local, today_local
from market.accounts.services import check_password
from market.contracts import hooks, pdf
from market.contracts.access import is_contractor, managed_contract
from market.contracts.models import (Contract, ContractStatus, Milestone, MilestoneStatus,
                                     TerminationFault)
from market.credit import services as credit
from market.credit.models import CreditKind
from market.documents.models import Document, OwnerType
from market.documents.storage import PDF_ONLY, Upload, open_document, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.money import CENT
from market.orgs.status import ensure_can_transact
from market.tenders.scoring import services as evaluation
from market.tenders.access import get_tender
from market.tenders.scoring.award import current_award
from market.tenders.scoring.challenges import open_challenges
from market.tenders.calendar import end_of_working_day
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


@dataclass
class ContractTerms:
    """What the written contract states besides the parties, price and schedule."""

    service_content: str
    service_quantity: str
    quality_standard: str
    evaluation_method: str
    liabilities: str
    term_start: dt.date | None
    term_end: dt.date | None
    long_term: bool = False  # marked as meeting 第二十四条's conditions for a longer term
    long_term_reason: str = ""


def default_terms(tender: Tender, today: dt.date | None = None) -> ContractTerms:
    """A starting point: the tender's description, the quality and evaluation as the
    tender documents and the winning bid state them, the liabilities the platform uses,
    and the catalog's fiscal year as the term (from today if that is later)."""
    today = today or today_local()
    year = tender.catalog_item.catalog.fiscal_year
    start = max(today, dt.date(year, 1, 1))
    end = dt.date(year, 12, 31)
    if end < start:
        end = add_months(start, policy.value("contract_term_max_months")) - dt.timedelta(days=1)
    return ContractTerms(
        service_content=(f"{tender.title}\n{tender.description}".strip()),
        service_quantity=_("As the tender documents and the winning bid specify."),
        quality_standard=_("The service standards of the tender documents and the commitments "
                           "of the winning bid; deliverables are accepted by the purchaser."),
        evaluation_method=_("Third-party performance evaluation of the milestones marked for "
                            "it, by an agency assigned by civil affairs; a failed evaluation "
                            "withholds the payment it gates."),
        liabilities=_("A party that fails to perform bears liability under the Civil Code "
                      "and the Government Procurement Law: the provider redoes deliverables "
                      "that are not accepted; on serious breach the purchaser may terminate "
                      "the contract, unpaid milestones are cancelled and the remaining budget "
                      "is released; disputes are settled by negotiation, failing which by "
                      "the people's court where the purchaser is located."),
        term_start=start, term_end=end)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def check_term(terms: ContractTerms) -> None:
    """履行期限: at most ``contract_term_max_months``; up to ``contract_term_long_max_months``
    only for a service marked, with a reason, as meeting 第二十四条's conditions."""
    start, end = terms.term_start, terms.term_end
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise Invalid(_l("Give the contract term's first and last day."), field="term_end")
    if end < start:
        raise Invalid(_l("The contract term ends before it starts."), field="term_end")
    short, long = policy.value("contract_term_max_months"), policy.value(
        "contract_term_long_max_months")
    if end >= add_months(start, long):
        raise Invalid(_l("A contract term is at most %(months)s months, even for a service "
                         "marked as stable and continuous (MOF Order No. 102, art. 24).",
                         months=long), field="term_end")
    if end >= add_months(start, short):
        if not terms.long_term:
            raise Invalid(_l("A contract term is at most %(months)s months unless the service "
                             "is marked as meeting the conditions for a longer term (MOF Order "
                             "No. 102, art. 24), with the reason.", months=short),
                          field="term_end")
        if not (terms.long_term_reason or "").strip():
            raise Invalid(_l("Give the reason why the service meets the conditions for a term "
                             "over %(months)s months.", months=short), field="long_term_reason")
    for name in ("service_content", "quality_standard", "evaluation_method", "liabilities"):
        if not (getattr(terms, name) or "").strip():
            raise Invalid(_l("The written contract states the service content, the quality "
                             "standard, the evaluation method and the liabilities; fill in "
                             "each."), field=name)


def signing_deadline(tender: Tender) -> dt.date | None:
    """The last day the contract may be signed: ``contract_sign_days`` after the day of
    the award notice (政府采购法 第四十六条); None before an award."""
    if tender.awarded_at is None:
        return None
    return to_local(tender.awarded_at).date() + dt.timedelta(
        days=policy.value("contract_sign_days"))


def _late_message(deadline: dt.date):
    return _l("The contract had to be signed within %(days)s days of the award notice, by "
              "%(date)s (Government Procurement Law, art. 46); it can no longer be signed.",
              days=policy.value("contract_sign_days"), date=deadline.isoformat())


def publication_deadline(session: Session, contract: Contract) -> dt.datetime | None:
    """合同公告: the end of the ``contract_publish_working_days``-th working day after the
    contract was concluded (accepted by the organization); None before that."""
    if contract.accepted_at is None:
        return None
    return end_of_working_day(session, contract.accepted_at,
                              policy.value("contract_publish_working_days"))


def published_late(session: Session, contract: Contract) -> bool:
    deadline = publication_deadline(session, contract)
    return (deadline is not None and contract.published_at is not None
            and contract.published_at > deadline)


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
    deadline = signing_deadline(tender)
    if deadline is not None and today_local() > deadline:
        return _late_message(deadline)
    return None


def sign_contract(session: Session, actor, tender_id: int, rows: list[MilestoneData],
                  terms: ContractTerms | None = None) -> Contract:
    """Sign at the awarded price and commit the amount in the ledger, in one transaction;
    the written contract's PDF is generated and kept with its SHA-256. ``terms`` default to
    ``default_terms(tender)``."""
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
    terms = terms if terms is not None else default_terms(tender)
    check_term(terms)
    if not tender.final_evaluation_waiver and not planned[-1][0].needs_evaluation:
        # 政府购买服务管理办法 (MOF Order No. 102) asks a performance evaluation of
        # purchased services: the final tranche waits for it unless the tender says why not.
        raise Invalid(_l("The final tranche is paid only after a passing final performance "
                         "evaluation: mark the last milestone as needing an evaluation (the "
                         "tender gives no reason to do otherwise)."), field="milestones")
    contract = Contract(tender_id=tender.id, award_id=award.id, bid_id=bid.id,
                        organization_id=bid.organization_id, department_id=tender.department_id,
                        catalog_item_id=tender.catalog_item_id, amount=price,
                        status=ContractStatus.ACTIVE, signed_at=now(), signed_by_id=actor.id,
                        service_content=terms.service_content.strip()[:20000],
                        service_quantity=(terms.service_quantity or "").strip()[:5000] or None,
                        quality_standard=terms.quality_standard.strip()[:20000],
                        evaluation_method=terms.evaluation_method.strip()[:20000],
                        liabilities=terms.liabilities.strip()[:20000],
                        term_start=terms.term_start, term_end=terms.term_end,
                        long_term_reason=(terms.long_term_reason.strip()[:5000] or None)
                        if terms.long_term else None)
    session.add(contract)
    for number, (row, percent, amount) in enumerate(planned, start=1):
        contract.milestones.append(Milestone(
            number=number, title=row.title.strip()[:200], percent=percent, amount=amount,
            due_date=row.due_date, needs_evaluation=bool(row.needs_evaluation)))
    session.flush()
    funds.commit_contract(session, contract, by=actor)
    data = pdf.render(contract)
    document = store_document(session, Upload(f"{contract.number}.pdf", data),
                              owner_type=OwnerType.CONTRACT, owner_id=contract.id,
                              purpose="contract", actor=actor, allowed=PDF_ONLY)
    contract.pdf_document_id, contract.pdf_sha256 = document.id, document.sha256
    tender.status = TenderStatus.CONTRACTED
    record(session, actor, "contract", contract.id, "sign", None, ContractStatus.ACTIVE.value,
           f"tender {tender.id}, {price} yuan; {contract.number} sha256 {contract.pdf_sha256}"
           + (f"; term over one year: {contract.long_term_reason[:300]}"
              if contract.long_term_reason else ""))
    record(session, actor, "tender", tender.id, "contract", TenderStatus.AWARDED.value,
           TenderStatus.CONTRACTED.value, f"contract {contract.id}")
    return contract


def acceptance_blocker(contract: Contract):
    """Why the organization cannot accept (countersign) the contract now, or None."""
    if contract.accepted_at is not None:
        return _l("The contract has already been accepted.")
    if contract.status != ContractStatus.ACTIVE:
        return _l("The contract is no longer in progress.")
    if not contract.written:
        return _l("This contract has no generated written contract to accept.")
    deadline = signing_deadline(contract.tender)
    if deadline is not None and today_local() > deadline:
        return _late_message(deadline)
    return None


def accept_contract(session: Session, actor, contract_id: int, confirmed: bool,
                    password: str) -> Contract:
    """签章确认 — the organization countersigns the written contract: it confirms it has
    read this file (its SHA-256 is recorded) and re-enters its password. The contract then
    takes effect and is published on its public page (合同公告)."""
    contract = session.get(Contract, contract_id, with_for_update=True)
    if contract is None:
        raise NotFound(_l("No such contract."))
    if not is_contractor(actor, contract):
        raise Forbidden(_l("Only the contracted organization accepts the contract."))
    blocker = acceptance_blocker(contract)
    if blocker is not None:
        raise Conflict(blocker)
    if not confirmed:
        raise Invalid(_l("Confirm that you have read the contract and accept it on behalf of "
                         "the organization."), field="confirm")
    _, ok = check_password(session, actor.username, password or "")
    if not ok:
        raise Invalid(_l("The password is not correct."), field="password")
    stored = stored_sha256(session, contract)
    if stored is not None and stored != contract.pdf_sha256:
        raise Conflict(_l("The stored contract file does not match its recorded SHA-256; "
                          "it cannot be accepted. Tell the purchasing department."))
    contract.accepted_at, contract.accepted_by_id = now(), actor.id
    contract.published_at = contract.accepted_at
    record(session, actor, "contract", contract.id, "accept", "signed", "accepted",
           f"{contract.number} sha256 {contract.pdf_sha256}")
    record(session, actor, "contract", contract.id, "publish", None, "published",
           contract.number)
    return contract


def contract_pdf(session: Session, contract: Contract) -> bytes | None:
    """The stored PDF's bytes (None if the contract has none or the file is missing)."""
    doc = session.get(Document, contract.pdf_document_id) if contract.pdf_document_id else None
    if doc is None:
        return None
    try:
        with open_document(doc) as f:
            return f.read()
    except FileNotFoundError:
        return None


def stored_sha256(session: Session, contract: Contract) -> str | None:
    """The SHA-256 of the stored file as it is now (None if it cannot be read)."""
    data = contract_pdf(session, contract)
    return pdf.sha256(data) if data is not None else None


def verify_copy(contract: Contract, data: bytes) -> bool:
    """Whether ``data`` is exactly the contract that was signed (same SHA-256)."""
    return contract.pdf_sha256 is not None and pdf.sha256(data) == contract.pdf_sha256


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


def terminate_contract(session: Session, actor, contract_id: int, reason: str,
                       fault: str | None) -> Contract:
    """终止 — end the contract early: unpaid milestones are cancelled, the rest released.
    ``fault`` says whose fault it was (``TerminationFault``); the organization's fault is
    written to its credit record (public, as the termination is)."""
    contract = managed_contract(session, actor, contract_id)
    if contract.status != ContractStatus.ACTIVE:
        raise Conflict(_l("Only a contract in progress can be terminated."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give the reason for terminating the contract."), field="reason")
    try:
        fault = TerminationFault(fault)
    except ValueError:
        raise Invalid(_l("Say whose fault the termination is: the organization's, the "
                         "purchasing department's side, or force majeure."),
                      field="fault") from None
    released = funds.release_contract(session, contract, by=actor, reason=reason)
    for listener in hooks.termination_listeners():  # e.g. open evaluations end, fees released
        listener(session, actor, contract)
    for m in contract.milestones:
        if m.status != MilestoneStatus.PAID:
            m.status = MilestoneStatus.CANCELLED
    contract.status = ContractStatus.TERMINATED
    contract.closed_at, contract.termination_reason = now(), reason[:5000]
    contract.termination_fault = fault
    contract.released = released
    record(session, actor, "contract", contract.id, "terminate", ContractStatus.ACTIVE.value,
           ContractStatus.TERMINATED.value,
           f"released {released}; fault {fault.value}: {reason[:400]}")
    if fault == TerminationFault.ORGANIZATION:
        credit.record(session, actor, organization_id=contract.organization_id,
                      kind=CreditKind.CONTRACT_TERMINATED_FAULT, occurred_on=today_local(),
                      source_room="contracts", source_kind="contract", source_id=contract.id,
                      summary=f"{contract.number or contract.id}: {reason[:1000]}",
                      public=True, evidence_ref=contract.number)
    return contract

