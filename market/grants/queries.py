"""Reads of venture philanthropy for the pages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ledger.accounts import committed_account, reserved_account
from ledger.models import Account, Evaluation, Posting, Transaction
from market import funds
from market.grants.funding_models import EVALUATED_STAGES, Grant
from market.grants.models import GrantApplication, GrantRound, RoundStatus


def public_rounds() -> Select:
    return (select(GrantRound).where(GrantRound.status == RoundStatus.PUBLISHED)
            .order_by(GrantRound.opens_at.desc(), GrantRound.id.desc()))


def department_rounds(department_id: int | None) -> Select:
    return (select(GrantRound).where(GrantRound.department_id == (department_id or 0))
            .order_by(GrantRound.created_at.desc(), GrantRound.id.desc()))


def organization_applications(session: Session, organization_id: int | None
                              ) -> list[GrantApplication]:
    if not organization_id:
        return []
    return list(session.scalars(
        select(GrantApplication).where(GrantApplication.organization_id == organization_id)
        .order_by(GrantApplication.created_at.desc(), GrantApplication.id.desc())))


def round_applications(session: Session, grant_round: GrantRound, organization_id: int
                       ) -> list[GrantApplication]:
    return list(session.scalars(
        select(GrantApplication).where(GrantApplication.round_id == grant_round.id,
                                       GrantApplication.organization_id == organization_id)
        .order_by(GrantApplication.id)))


# --- decisions and grants ---------------------------------------------------------------------

def round_grants(session: Session, grant_round: GrantRound) -> list[Grant]:
    return list(session.scalars(select(Grant).where(Grant.round_id == grant_round.id)
                                .order_by(Grant.id)))


def organization_grants(session: Session, organization_id: int | None) -> list[Grant]:
    if not organization_id:
        return []
    return list(session.scalars(select(Grant).where(Grant.organization_id == organization_id)
                                .order_by(Grant.approved_at.desc(), Grant.id.desc())))


def grant_committed(session: Session, grant: Grant) -> Decimal:
    """What the ledger still holds for the grant: reserved plus committed."""
    return funds.grant_reserved(session, grant) + sum(
        funds.grant_committed(session, grant).values(), Decimal("0.00"))


@dataclass(frozen=True)
class LedgerEntry:
    """A journal entry about a grant: ``kind`` is reserve, commit, unreserve, pay, release,
    or evaluation (``passed`` set); ``amount`` what moved on the grant's accounts."""

    seq: int
    date: dt.date
    kind: str
    amount: Decimal | None = None
    passed: bool | None = None


def _kind(legs: dict[str, Decimal]) -> str:
    committed, reserved = legs.get("committed", 0), legs.get("reserved", 0)
    if committed > 0:
        return "commit"
    if committed < 0:
        return "pay" if legs.get("expense") else "release"
    return "reserve" if reserved > 0 else "unreserve"


def grant_ledger_entries(session: Session, grant: Grant) -> list[LedgerEntry]:
    """The transactions on the grant's reservation and commitment, and the evaluations of
    its stages, in journal order."""
    line, unit = funds.budget_line(grant.round.item), funds.grant_unit(grant)
    codes = {reserved_account(line, unit).code: "reserved",
             committed_account(line, unit).code: "committed"}
    mine = (select(Posting.transaction_id).join(Account, Account.id == Posting.account_id)
            .where(Account.code.in_(list(codes))))
    legs: dict[tuple[int, dt.date], dict[str, Decimal]] = {}
    for seq, date, code, name, amount in session.execute(
            select(Transaction.seq, Transaction.date, Account.code, Account.name,
                   Posting.amount)
            .join(Posting, Posting.transaction_id == Transaction.id)
            .join(Account, Account.id == Posting.account_id)
            .where(Transaction.id.in_(mine))):
        key = codes.get(code) or ("expense" if name.startswith("Expenses:") else "other")
        row = legs.setdefault((seq, date), {})
        row[key] = row.get(key, Decimal("0.00")) + amount
    entries = {seq: LedgerEntry(seq, date, _kind(row),
                                abs(row.get("committed") or row.get("reserved") or 0))
               for (seq, date), row in legs.items()}
    for e in session.scalars(select(Evaluation).where(
            Evaluation.subject.in_([grant.gate(s) for s in EVALUATED_STAGES]))):
        entries[e.seq] = LedgerEntry(e.seq, e.date, "evaluation", None, e.passed)
    return [entries[k] for k in sorted(entries)]


def application_grant(session: Session, application: GrantApplication) -> Grant | None:
    return session.scalar(select(Grant).where(Grant.application_id == application.id))
