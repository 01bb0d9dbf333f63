"""Drill-down into the journal: from an account to its transactions, from a transaction
to the documents and catalog item behind it."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Account, Posting, Transaction
from market.catalogs.models import CatalogItem


@dataclass
class AccountLine:
    txn: Transaction
    amount: Decimal


def account_history(session: Session, account: str, page: int, size: int
                    ) -> tuple[Account | None, list[AccountLine], int]:
    acct = session.scalar(select(Account).where(Account.name == account))
    if acct is None:
        return None, [], 0
    total = session.scalar(select(func.count(Posting.id)).where(Posting.account_id == acct.id)) or 0
    rows = session.execute(
        select(Transaction, Posting.amount)
        .join(Posting, Posting.transaction_id == Transaction.id)
        .where(Posting.account_id == acct.id)
        .order_by(Transaction.seq.desc())
        .offset((page - 1) * size).limit(size)).all()
    return acct, [AccountLine(t, a) for t, a in rows], total


@dataclass
class TransactionView:
    txn: Transaction
    postings: list[tuple[str, Decimal]]
    catalog_item: CatalogItem | None
    reversed_by: int | None


def transaction(session: Session, seq: int) -> TransactionView | None:
    txn = session.scalar(select(Transaction).where(Transaction.seq == seq))
    if txn is None:
        return None
    postings = [(name, amount) for name, amount in session.execute(
        select(Account.name, Posting.amount).join(Posting, Posting.account_id == Account.id)
        .where(Posting.transaction_id == txn.id).order_by(Posting.id))]
    code = (txn.meta or {}).get("catalog_item")
    item = session.scalar(select(CatalogItem).where(CatalogItem.code == code)) if code else None
    reversed_by = session.scalar(select(Transaction.seq).where(Transaction.reverses_seq == txn.seq))
    return TransactionView(txn, postings, item, reversed_by)
