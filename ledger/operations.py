"""Budget operations as thin functions over :func:`ledger.posting.post`.

=============  ==========================================  ===================================
operation      debit                                       credit
=============  ==========================================  ===================================
appropriate    ``<Item>:Available``                        ``Equity:Appropriation:FY:<Dept>``
reserve        ``<Item>:Reserved:<Tender>``                ``<Item>:Available``
unreserve      ``<Item>:Available``                        ``<Item>:Reserved:<Tender>``
commit         ``<Item>:Committed:<Contract>``             ``<Item>:Available`` (or, with
                                                           ``reservation``, ``Reserved:<T>``)
pay            ``Expenses:PublicServices|Grants:...``      ``<Item>:Committed:<Contract>``
release        ``<Item>:Available``                        ``<Item>:Committed:<Contract>``
lapse          ``Equity:Lapsed:FY:<Dept>``                 ``<Item>:Available``
amend (+/-)    ``<Item>:Available`` / ``Appropriation``    ``Appropriation`` / ``Available``
=============  ==========================================  ===================================

Like ``post``, none of them commits. Each also posts to a :class:`ledger.bulk.BulkJournal`
given in place of the session (seeding: the same entries, written in batches).

``gate`` (an evaluation subject such as ``contract-42/final``) marks a tranche of a
commitment as evaluation-gated; ``pay`` and ``release`` name the same gate to move that
tranche's money.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from ledger import inputs
from ledger.accounts import (
    SERVICES,
    BudgetLine,
    Unit,
    appropriation_account,
    available_account,
    committed_account,
    expense_account,
    item_prefix,
    lapsed_account,
    reserved_account,
)
from ledger.balances import balance, balances
from ledger.bulk import BulkJournal
from ledger.errors import AmendBelowCommitted, GuardViolation, InvalidAmount
from ledger.posting import TransactionRef, post
from ledger.rules import GATE_KEY


def _label(line: BudgetLine) -> str:
    return f"FY{line.fy} {line.dept.name or line.dept.code} {line.item.name or line.item.code}"


def _post(session: Session, date: dt.date, narration: str, legs: list, links: Iterable[str],
          documents: Iterable[str], meta: Mapping[str, Any] | None,
          gate: str | None = None) -> TransactionRef:
    extra = dict(meta or {})
    if gate is not None:
        extra[GATE_KEY] = inputs.ident(gate, what="gate")
    if isinstance(session, BulkJournal):
        return session.post(date, narration, legs, links=links, meta=extra, documents=documents)
    return post(session, date, narration, legs, links=links, meta=extra, documents=documents)


def _contract_links(contract: Unit, links: Iterable[str]) -> list[str]:
    return [contract.code, *([links] if isinstance(links, str) else links)]


def appropriate(session: Session, date: dt.date, line: BudgetLine, amount: Decimal, *,
                narration: str | None = None, links: Iterable[str] = (),
                documents: Iterable[str] = (), meta: Mapping[str, Any] | None = None,
                ) -> TransactionRef:
    """Finance approves a catalog item's budget (预算批复): money enters the ledger."""
    n = inputs.positive(amount)
    return _post(session, date, narration or f"预算批复 appropriation {_label(line)}",
                 [(available_account(line), n), (appropriation_account(line.fy, line.dept), -n)],
                 links, documents, meta)


def reserve(session: Session, date: dt.date, line: BudgetLine, tender: Unit, amount: Decimal,
            *, narration: str | None = None, links: Iterable[str] = (),
            documents: Iterable[str] = (), meta: Mapping[str, Any] | None = None,
            ) -> TransactionRef:
    """A tender is published (预留/冻结): its ceiling is held out of what is available.

    Refused (``insufficient_funds``) when the item has less available than ``amount``.
    """
    n = inputs.positive(amount)
    return _post(session, date, narration or f"预留 reservation {tender.code} {_label(line)}",
                 [(reserved_account(line, tender), n), (available_account(line), -n)],
                 _contract_links(tender, links), documents, meta)


def unreserve(session: Session, date: dt.date, line: BudgetLine, tender: Unit, amount: Decimal,
              *, narration: str | None = None, links: Iterable[str] = (),
              documents: Iterable[str] = (), meta: Mapping[str, Any] | None = None,
              ) -> TransactionRef:
    """A reservation goes back to available (释放预留): the tender was cancelled or failed,
    its ceiling lowered, or it was awarded below the ceiling."""
    n = inputs.positive(amount)
    return _post(session, date, narration or f"释放预留 unreservation {tender.code} {_label(line)}",
                 [(available_account(line), n), (reserved_account(line, tender), -n)],
                 _contract_links(tender, links), documents, meta)


def commit(session: Session, date: dt.date, line: BudgetLine, contract: Unit, amount: Decimal,
           *, gate: str | None = None, reservation: Unit | None = None,
           narration: str | None = None, links: Iterable[str] = (),
           documents: Iterable[str] = (), meta: Mapping[str, Any] | None = None,
           ) -> TransactionRef:
    """A contract is signed or a grant awarded (合同签订/资助立项): budget is committed.

    With ``gate``, this tranche can only be paid after a passing evaluation of ``gate``.
    With ``reservation`` (the tender), the money comes out of that tender's reservation
    instead of the item's available budget.
    """
    n = inputs.positive(amount)
    source = (available_account(line) if reservation is None
              else reserved_account(line, reservation))
    return _post(session, date, narration or f"合同承诺 commitment {contract.code} {_label(line)}",
                 [(committed_account(line, contract), n), (source, -n)],
                 _contract_links(contract, links), documents, meta, gate)


def pay(session: Session, date: dt.date, line: BudgetLine, contract: Unit, amount: Decimal,
        *, gate: str | None = None, expense: str = SERVICES, narration: str | None = None,
        links: Iterable[str] = (), documents: Iterable[str] = (),
        meta: Mapping[str, Any] | None = None) -> TransactionRef:
    """A tranche is paid (拨付): committed money becomes an expense.

    ``gate`` names the gated tranche paid from; refused before a passing evaluation.
    ``expense`` is ``"PublicServices"`` (service contracts) or ``"Grants"``.
    """
    n = inputs.positive(amount)
    return _post(session, date, narration or f"拨付 payment {contract.code} {_label(line)}",
                 [(expense_account(line, expense), n), (committed_account(line, contract), -n)],
                 _contract_links(contract, links), documents, meta, gate)


def release(session: Session, date: dt.date, line: BudgetLine, contract: Unit,
            amount: Decimal, *, gate: str | None = None, narration: str | None = None,
            links: Iterable[str] = (), documents: Iterable[str] = (),
            meta: Mapping[str, Any] | None = None) -> TransactionRef:
    """A contract ends under budget or is terminated (结余释放): commitment back to available."""
    n = inputs.positive(amount)
    return _post(session, date, narration or f"释放 release {contract.code} {_label(line)}",
                 [(available_account(line), n), (committed_account(line, contract), -n)],
                 _contract_links(contract, links), documents, meta, gate)


def lapse(session: Session, date: dt.date, line: BudgetLine, amount: Decimal | None = None,
          *, narration: str | None = None, links: Iterable[str] = (),
          documents: Iterable[str] = (), meta: Mapping[str, Any] | None = None,
          ) -> TransactionRef:
    """The fiscal year closes (结余收回): what is still available lapses.

    ``amount=None`` lapses the whole available balance (refused if there is none).
    """
    if amount is None:
        amount = balance(session, available_account(line).name)
        if amount <= 0:
            raise InvalidAmount(f"nothing available to lapse on {_label(line)}")
    n = inputs.positive(amount)
    return _post(session, date, narration or f"结余收回 lapse {_label(line)}",
                 [(lapsed_account(line.fy, line.dept), n), (available_account(line), -n)],
                 links, documents, meta)


def amend(session: Session, date: dt.date, line: BudgetLine, delta: Decimal, *,
          narration: str | None = None, links: Iterable[str] = (),
          documents: Iterable[str] = (), meta: Mapping[str, Any] | None = None,
          ) -> TransactionRef:
    """Raise (``delta > 0``) or lower (``delta < 0``) a line's budget (预算调整).

    Lowering can only take what is neither committed nor reserved: refused with
    ``below_committed``.
    """
    d = inputs.amount(delta, what="delta")
    avail, appr = available_account(line), appropriation_account(line.fy, line.dept)
    try:
        return _post(session, date, narration or f"预算调整 amendment {d:+} {_label(line)}",
                     [(avail, d), (appr, -d)], links, documents, meta)
    except GuardViolation as exc:
        held = balances(session, item_prefix(line))
        committed = sum((v for k, v in held.items() if ":Committed:" in k), Decimal("0.00"))
        reserved = sum((v for k, v in held.items() if ":Reserved:" in k), Decimal("0.00"))
        raise AmendBelowCommitted(
            f"cannot lower {_label(line)} by {-d:.2f}: only {exc.details.get('balance')} is "
            f"available, {committed:.2f} is committed, {reserved:.2f} is reserved",
            available=exc.details.get("balance"), committed=str(committed),
            reserved=str(reserved),
        ) from exc
