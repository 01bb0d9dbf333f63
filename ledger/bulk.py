"""A bulk journal: the same entries ``post`` and ``record_evaluation`` write, checked by the
same rules, written in batches of Core inserts — for seeding large ledgers (benchmarks, the
scale seeder), never for the platform's own postings.

``BulkJournal`` stands in for the session of :mod:`ledger.operations` (``operations.reserve(
journal, ...)`` posts to it), so a seeded entry has exactly the narration, accounts, links
and metadata the platform would give it. It keeps accounts, balances, the latest evaluation
of each gate and the chain head in memory, continuing from what the database already holds,
and refuses what ``post`` refuses (unbalanced, below zero on a guarded account or pool,
custody, a gated payment before a passing evaluation, out of date order) before anything of
that entry is kept. ``flush`` writes what is pending; ``finish`` also writes balances and
the head. One writer at a time: nothing here locks. Given an ``Engine``, each write commits
on its own; given a ``Connection``, it writes in that connection's transaction (the caller
commits, with its other rows).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from ledger import inputs
from ledger.accounts import AccountSpec
from ledger.canonical import GENESIS, chain_hash, evaluation_text, transaction_text
from ledger.errors import (AccountNotOpen, CustodyViolation, DateOutOfOrder, EvaluationRequired,
                           GuardViolation, InvalidAmount, TooFewPostings, UnbalancedTransaction)
from ledger.models import Account, Balance, ChainHead, Evaluation, Posting, Transaction
from ledger.rules import GATE_KEY, custody_problem, is_gated_payment, pool_of
from ledger.types import utcnow

A, B, H, E, P, T = (m.__table__ for m in (Account, Balance, ChainHead, Evaluation, Posting,
                                          Transaction))
BATCH = 20_000
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class Ref:
    """What ``post`` and ``record_evaluation`` return: id, seq, date and hash."""

    __slots__ = ("id", "seq", "date", "hash")

    def __init__(self, id_: int, seq: int, date: dt.date, hash_: str) -> None:
        self.id, self.seq, self.date, self.hash = id_, seq, date, hash_


class BulkJournal:
    def __init__(self, bind: Engine | Connection, now: dt.datetime | None = None) -> None:
        self.bind = bind
        self.now = now or utcnow()
        self.accounts: dict[str, tuple[int, str, bool]] = {}  # code -> (id, name, guarded)
        self.by_name: dict[str, tuple[int, bool]] = {}  # name -> (id, guarded)
        self.balances: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        self.touched: set[tuple[int, str]] = set()
        self.existing_balances: set[tuple[int, str]] = set()
        self.gates: dict[str, bool] = {}  # subject -> passed, latest evaluation
        self.rows: dict[Any, list[dict]] = {A: [], T: [], P: [], E: []}
        with self._connection(write=False) as conn:
            self._load(conn)

    def _load(self, conn: Connection) -> None:
        for r in conn.execute(select(A.c.id, A.c.code, A.c.name, A.c.guarded)):
            self.accounts[r.code] = (r.id, r.name, r.guarded)
            self.by_name[r.name] = (r.id, r.guarded)
        for r in conn.execute(select(B.c.account_id, B.c.pool, B.c.balance)):
            self.balances[(r.account_id, r.pool)] = r.balance
            self.existing_balances.add((r.account_id, r.pool))
        for r in conn.execute(select(E.c.subject, E.c.passed).order_by(E.c.seq)):
            self.gates[r.subject] = r.passed
        head = conn.execute(select(H.c.last_seq, H.c.last_hash, H.c.last_date)
                            .where(H.c.id == 1)).one_or_none()
        self.has_head = head is not None
        self.seq, self.prev, self.date = (head if head is not None else (0, GENESIS, None))
        self.next_id = {table: (conn.execute(select(table.c.id).order_by(table.c.id.desc())
                                             .limit(1)).scalar() or 0)
                        for table in (A, T, P, E)}

    def _connection(self, write: bool = True):
        if isinstance(self.bind, Connection):
            return nullcontext(self.bind)
        return self.bind.begin() if write else self.bind.connect()

    def _id(self, table) -> int:
        self.next_id[table] += 1
        return self.next_id[table]

    def _check_date(self, date: dt.date) -> None:
        if self.date is not None and date < self.date:
            raise DateOutOfOrder(f"date {date} is before the last journal entry ({self.date})",
                                 date=date.isoformat(), last_date=self.date.isoformat(),
                                 last_seq=self.seq)

    # --- what ledger.posting.post does ------------------------------------------------------

    def post(self, date: dt.date, narration: str, postings: Iterable[tuple[Any, Decimal]], *,
             links: Iterable[str] = (), meta: Mapping[str, Any] | None = None,
             documents: Iterable[str] = ()) -> Ref:
        narration = inputs.text(narration, what="narration")
        legs = [(ref, inputs.amount(value)) for ref, value in postings]
        if len(legs) < 2:
            raise TooFewPostings("a transaction needs at least two postings")
        total = sum((n for _, n in legs), ZERO)
        if total != 0:
            raise UnbalancedTransaction(f"postings sum to {total}, not 0", residual=str(total))
        links = inputs.links(links)
        meta = inputs.meta(meta, documents)
        gate = meta.get(GATE_KEY)
        self._check_date(date)
        opened: list[AccountSpec] = []
        named: list[tuple[str, Decimal]] = []
        for ref, n in legs:
            if isinstance(ref, AccountSpec):
                found = self.accounts.get(ref.code)
                if found is None:
                    opened.append(ref)
                    named.append((ref.name, n))
                else:
                    named.append((found[1], n))
            elif ref in self.by_name:
                named.append((ref, n))
            else:
                raise AccountNotOpen(f"account {ref} is not open", account=ref)
        problem = custody_problem(named, reversal=False)
        if problem is not None:
            raise CustodyViolation(problem)
        guarded = {s.name: s.guarded for s in opened}
        ids = {name: self.by_name[name] for name, _ in named if name in self.by_name}
        deltas: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for name, n in named:
            deltas[(name, pool_of(name, gate))] += n
        for (name, pool), delta in deltas.items():
            acct_id, is_guarded = ids.get(name, (None, guarded.get(name, False)))
            before = self.balances.get((acct_id, pool), ZERO) if acct_id else ZERO
            if is_guarded and before + delta < 0:
                raise GuardViolation(f"{name} holds {before:.2f}; taking {-delta:.2f} would "
                                     "leave it below zero", account=name, pool=pool,
                                     balance=str(before), change=str(delta))
        if is_gated_payment(named, gate) and not self.gates.get(gate):
            raise EvaluationRequired(f"payment gated by {gate!r} needs a passing evaluation",
                                     gate=gate)
        # Every check passed: keep it.
        for spec in opened:
            if spec.code in self.accounts:  # the same new account twice in one entry
                continue
            acct_id = self._id(A)
            self.accounts[spec.code] = (acct_id, spec.name, spec.guarded)
            self.by_name[spec.name] = (acct_id, spec.guarded)
            self.rows[A].append(dict(id=acct_id, name=spec.name, code=spec.code, currency="CNY",
                                     open_date=date, guarded=spec.guarded,
                                     meta=dict(spec.meta), created_at=self.now))
            self.touched.add((acct_id, ""))
        self.seq += 1
        txn_id = self._id(T)
        digest = chain_hash(self.prev, transaction_text(self.seq, date, narration, named,
                                                        links, meta))
        self.rows[T].append(dict(id=txn_id, seq=self.seq, date=date, narration=narration,
                                 links=links, meta=meta, reverses_seq=None, prev_hash=self.prev,
                                 hash=digest, created_at=self.now))
        for name, n in named:
            self.rows[P].append(dict(id=self._id(P), transaction_id=txn_id,
                                     account_id=self.by_name[name][0], amount=n))
        for (name, pool), delta in deltas.items():
            key = (self.by_name[name][0], pool)
            self.balances[key] += delta
            self.touched.add(key)
        self.prev, self.date = digest, date
        self._maybe_flush()
        return Ref(txn_id, self.seq, date, digest)

    # --- what ledger.evaluations.record_evaluation does -------------------------------------

    def record_evaluation(self, date: dt.date, subject: str, passed: bool,
                          score: Decimal | None = None, *, documents: Iterable[str] = (),
                          meta: Mapping[str, Any] | None = None) -> Ref:
        subject = inputs.ident(subject, what="evaluation subject")
        if score is not None:
            score = Decimal(score)
            if score.quantize(CENT) != score:
                raise InvalidAmount(f"score {score} must have at most two decimals")
            score = score.quantize(CENT)
        clean = inputs.meta(meta, documents)
        self._check_date(date)
        self.seq += 1
        eval_id = self._id(E)
        digest = chain_hash(self.prev, evaluation_text(self.seq, date, subject, passed, score,
                                                       clean))
        self.rows[E].append(dict(id=eval_id, seq=self.seq, date=date, subject=subject,
                                 passed=passed, score=score, meta=clean, prev_hash=self.prev,
                                 hash=digest, created_at=self.now))
        self.gates[subject] = passed
        self.prev, self.date = digest, date
        self._maybe_flush()
        return Ref(eval_id, self.seq, date, digest)

    def balance(self, spec: AccountSpec, pool: str = "") -> Decimal:
        found = self.accounts.get(spec.code)
        return self.balances.get((found[0], pool), ZERO) if found else ZERO

    # --- writing ------------------------------------------------------------------------------

    def _maybe_flush(self) -> None:
        if len(self.rows[P]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with self._connection() as conn:
            for table in (A, T, P, E):  # accounts and transactions before postings (FKs)
                if self.rows[table]:
                    conn.execute(insert(table), self.rows[table])
                    self.rows[table] = []

    def finish(self) -> int:
        """Write what is pending, the balances touched and the chain head; the last seq."""
        self.flush()
        with self._connection() as conn:
            keys = sorted(self.touched)
            stale = [k for k in keys if k in self.existing_balances]
            for account_id, pool in stale:
                conn.execute(delete(B).where(B.c.account_id == account_id, B.c.pool == pool))
            for i in range(0, len(keys), BATCH):
                conn.execute(insert(B), [dict(account_id=k[0], pool=k[1],
                                              balance=self.balances[k])
                                         for k in keys[i:i + BATCH]])
            values = dict(last_seq=self.seq, last_hash=self.prev, last_date=self.date)
            if self.has_head:
                conn.execute(update(H).where(H.c.id == 1).values(**values))
            else:
                conn.execute(insert(H).values(id=1, **values))
            if conn.dialect.name == "postgresql":
                for table in ("ledger_accounts", "ledger_transactions", "ledger_postings",
                              "ledger_evaluations"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"GREATEST((SELECT max(id) FROM {table}), 1))"))
        self.existing_balances |= set(self.touched)
        self.touched = set()
        return self.seq
