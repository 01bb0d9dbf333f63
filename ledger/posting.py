"""Posting to the journal (记账): the one door through which money moves.

:func:`post` checks everything, then writes the transaction, its postings, the balance
rows and the chain head — all in the caller's database transaction. It never commits:
a service changes its domain state (a contract signed, a tranche paid) and calls
``post`` in the same unit of work, then commits once, so either both are stored or
neither. :func:`post_and_commit` is the convenience for callers with nothing else to
store. A refused call raises a :class:`~ledger.errors.LedgerError` and writes nothing.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Union

from sqlalchemy import exists, insert, select, update
from sqlalchemy.orm import Session

from ledger import inputs
from ledger.accounts import AccountSpec
from ledger.canonical import chain_hash, transaction_text
from ledger.chain import advance_head, check_date, lock_head, valid_date
from ledger.errors import (
    AccountConflict,
    AccountNotOpen,
    AlreadyReversed,
    CustodyViolation,
    EvaluationRequired,
    GuardViolation,
    InvalidAccountName,
    TooFewPostings,
    TransactionNotFound,
    UnbalancedTransaction,
)
from ledger.models import Account, Balance, Evaluation, Posting, Transaction
from ledger.rules import (GATE_KEY, REVERSES_KEY, custody_problem, is_gated_payment,
                          is_valid_account, pool_of)
from ledger.types import utcnow

A, B, T, P, E = (m.__table__ for m in (Account, Balance, Transaction, Posting, Evaluation))

AccountRef = Union[str, AccountSpec]


@dataclass(frozen=True)
class TransactionRef:
    """What a successful post returns: the row id, sequence number, date and chain hash."""

    id: int
    seq: int
    date: dt.date
    hash: str


@dataclass
class _Acct:
    name: str
    id: int | None  # None: opened by this transaction
    guarded: bool
    spec: AccountSpec | None = None


def _resolve(
    session: Session, refs: Iterable[AccountRef], date: dt.date
) -> tuple[dict[str, _Acct], dict[str, str]]:
    """Map every posting target to an account; specs are found by code or opened.

    Returns the accounts by name and, for specs, code -> the account's (stored) name.
    """
    refs = list(refs)
    names = {r for r in refs if isinstance(r, str)}
    specs = {r.code: r for r in refs if isinstance(r, AccountSpec)}
    wanted_names = names | {s.name for s in specs.values()}
    rows = session.execute(
        select(A.c.id, A.c.name, A.c.code, A.c.guarded, A.c.open_date).where(
            A.c.name.in_(sorted(wanted_names)) | A.c.code.in_(sorted(specs))
        )
    ).all()
    by_name = {r.name: r for r in rows}
    by_code = {r.code: r for r in rows}
    out: dict[str, _Acct] = {}
    code_names: dict[str, str] = {}
    for name in names:
        row = by_name.get(name)
        if row is None:
            raise AccountNotOpen(f"account {name} is not open", account=name)
        if row.open_date > date:
            raise AccountNotOpen(f"account {name} opens on {row.open_date}, after {date}",
                                 account=name)
        out[name] = _Acct(name, row.id, row.guarded)
    for code, spec in specs.items():
        row = by_code.get(code)
        if row is not None:
            if row.open_date > date:
                raise AccountNotOpen(f"account {row.name} opens on {row.open_date}",
                                     account=row.name)
            out[row.name] = _Acct(row.name, row.id, row.guarded)
            code_names[code] = row.name
            continue
        if not is_valid_account(spec.name):
            raise InvalidAccountName(f"invalid account name {spec.name!r}", account=spec.name)
        taken = by_name.get(spec.name)
        if taken is not None or (spec.name in out and out[spec.name].spec is not None):
            raise AccountConflict(
                f"account {spec.name} already exists with code "
                f"{taken.code if taken else '?'}, not {code}", account=spec.name, code=code,
            )
        out[spec.name] = _Acct(spec.name, None, spec.guarded, spec)
        code_names[code] = spec.name
    return out, code_names


def _lock_balances(session: Session, ids: list[int]) -> dict[tuple[int, str], Decimal]:
    """Lock the balance rows of these accounts, in account-name order, and read them."""
    if not ids:
        return {}
    rows = session.execute(
        select(B.c.account_id, B.c.pool, B.c.balance)
        .join(A, A.c.id == B.c.account_id)
        .where(B.c.account_id.in_(ids))
        .order_by(A.c.name, B.c.pool)
        .with_for_update(of=B)
    ).all()
    return {(r.account_id, r.pool): r.balance for r in rows}


def _open(session: Session, acct: _Acct, date: dt.date) -> int:
    spec = acct.spec
    assert spec is not None
    new_id = session.execute(
        insert(A).returning(A.c.id),
        dict(name=spec.name, code=spec.code, currency="CNY", open_date=date,
             guarded=spec.guarded, meta=dict(spec.meta), created_at=utcnow()),
    ).scalar_one()
    session.execute(insert(B), dict(account_id=new_id, pool="", balance=Decimal("0.00")))
    return new_id


def post(
    session: Session,
    date: dt.date,
    narration: str,
    postings: Sequence[tuple[AccountRef, Decimal]],
    *,
    links: Iterable[str] = (),
    meta: Mapping[str, Any] | None = None,
    documents: Iterable[str] = (),
) -> TransactionRef:
    """Record one balanced transaction; flush it into the session's transaction, don't commit.

    ``postings`` are ``(account, signed amount)``; an account is an open account's name or an
    :class:`AccountSpec`, opened (at ``date``) if its code is not known yet. Refuses, writing
    nothing, when: an amount is not a nonzero Decimal with 2 places; fewer than 2 postings;
    the sum is not exactly zero; an account is not open; a guarded account (or one of its
    pools) would go below zero; money enters or leaves a reservation other than
    Available -> Reserved -> Committed / Available of one item; it pays out of a gated commitment before a passing
    evaluation; ``date`` is before the last journal entry.

    Locks: the chain head (and the balance rows touched) stay locked until the caller's
    transaction ends, so commit or roll back promptly — also after a refusal.
    """
    return _post(session, date, narration, postings, links, meta, documents)


def _post(
    session: Session,
    date: dt.date,
    narration: str,
    postings: Sequence[tuple[AccountRef, Any]],
    links: Iterable[str],
    meta: Mapping[str, Any] | None,
    documents: Iterable[str],
    reverses: int | None = None,
) -> TransactionRef:
    # Checks that need no database come first.
    valid_date(date)
    narration = inputs.text(narration, what="narration")
    legs = [(ref, inputs.amount(value)) for ref, value in postings]
    if len(legs) < 2:
        raise TooFewPostings("a transaction needs at least two postings")
    total = sum((n for _, n in legs), Decimal("0.00"))
    if total != 0:
        raise UnbalancedTransaction(f"postings sum to {total}, not 0", residual=str(total))
    links = inputs.links(links)
    meta = inputs.meta(meta, documents)
    if reverses is not None:
        meta[REVERSES_KEY] = str(reverses)
    gate = meta.get(GATE_KEY)

    head = lock_head(session)
    check_date(head, date)
    if reverses is not None and session.execute(
        select(exists().where(T.c.reverses_seq == reverses))
    ).scalar():
        raise AlreadyReversed(f"transaction #{reverses} has already been reversed", seq=reverses)
    accts, code_names = _resolve(session, (ref for ref, _ in legs), date)

    named = [(ref if isinstance(ref, str) else code_names[ref.code], n) for ref, n in legs]
    problem = custody_problem(named, reversal=reverses is not None)
    if problem is not None:
        raise CustodyViolation(problem)
    deltas: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for name, n in named:
        deltas[(name, pool_of(name, gate))] += n
    existing = sorted({a.id for a in accts.values() if a.id is not None})
    current = _lock_balances(session, existing)
    for (name, pool), delta in sorted(deltas.items()):
        acct = accts[name]
        before = current.get((acct.id, pool), Decimal("0.00")) if acct.id else Decimal("0.00")
        if acct.guarded and before + delta < 0:
            where = f"{name} (pool {pool})" if pool else name
            raise GuardViolation(
                f"{where} holds {before:.2f}; taking {-delta:.2f} would leave it below zero",
                account=name, pool=pool, balance=str(before), change=str(delta),
            )
    # The gate follows the latest evaluation of its subject: a later fail closes it again.
    if is_gated_payment(named, gate) and not session.execute(
        select(E.c.passed).where(E.c.subject == gate).order_by(E.c.seq.desc()).limit(1)
    ).scalar():
        raise EvaluationRequired(
            f"payment out of a commitment gated by {gate!r} needs a passing evaluation first",
            gate=gate,
        )

    # Every check passed: write.
    for acct in accts.values():
        if acct.id is None:
            acct.id = _open(session, acct, date)
            current[(acct.id, "")] = Decimal("0.00")
    seq = head.seq + 1
    digest = chain_hash(head.hash, transaction_text(seq, date, narration, named, links, meta))
    txn_id = session.execute(
        insert(T).returning(T.c.id),
        dict(seq=seq, date=date, narration=narration, links=links, meta=meta,
             reverses_seq=reverses, prev_hash=head.hash, hash=digest, created_at=utcnow()),
    ).scalar_one()
    session.execute(insert(P), [
        dict(transaction_id=txn_id, account_id=accts[name].id, amount=n) for name, n in named
    ])
    for (name, pool), delta in sorted(deltas.items()):
        key = (accts[name].id, pool)
        if key in current:
            session.execute(
                update(B).where(B.c.account_id == key[0], B.c.pool == pool)
                .values(balance=current[key] + delta)
            )
        else:
            session.execute(insert(B), dict(account_id=key[0], pool=pool, balance=delta))
    advance_head(session, seq, digest, date)
    return TransactionRef(txn_id, seq, date, digest)


def post_and_commit(session: Session, *args: Any, **kwargs: Any) -> TransactionRef:
    """:func:`post`, then commit; on any error roll back and re-raise."""
    try:
        ref = post(session, *args, **kwargs)
        session.commit()
        return ref
    except BaseException:
        session.rollback()
        raise


def reverse(
    session: Session,
    seq: int,
    date: dt.date,
    narration: str | None = None,
    *,
    meta: Mapping[str, Any] | None = None,
    documents: Iterable[str] = (),
) -> TransactionRef:
    """Post the exact opposite of transaction ``seq`` (冲销); there is no update or delete.

    The reversal keeps the original's links and gate (so it moves the same pools), and
    carries ``reverses: "<seq>"``. A transaction can be reversed once.
    """
    orig = session.execute(select(T).where(T.c.seq == seq)).one_or_none()
    if orig is None:
        raise TransactionNotFound(f"no transaction #{seq}", seq=seq)
    legs = session.execute(
        select(A.c.name, P.c.amount).join(A, A.c.id == P.c.account_id)
        .where(P.c.transaction_id == orig.id).order_by(P.c.id)
    ).all()
    extra = dict(meta or {})
    if GATE_KEY in orig.meta:
        extra[GATE_KEY] = orig.meta[GATE_KEY]
    narration = narration or f"冲销 reversal of #{seq}: {orig.narration}"
    return _post(session, date, narration, [(name, -n) for name, n in legs],
                 orig.links, extra, documents, reverses=seq)


def open_account(session: Session, spec: AccountSpec, date: dt.date) -> str:
    """Open ``spec`` at ``date`` unless its code is already open; return the account name.

    Posting to an :class:`AccountSpec` opens it anyway; this is for charts of accounts
    that should exist before their first posting. Does not commit.
    """
    lock_head(session)
    accts, code_names = _resolve(session, [spec], date)
    acct = accts[code_names[spec.code]]
    if acct.id is None:
        _open(session, acct, date)
    return acct.name
