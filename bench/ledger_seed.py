"""Seed a ledger database fast with N consistent journal entries (bulk Core inserts).

Every row is what ``ledger.posting.post`` would have written — same account names and
codes, canonical hashes chained from GENESIS, exact balance rows and chain head — so the
result exports, bean-checks and verifies cleanly. Budget life per fiscal year: each of
80 lines (8 departments x 10 items) is appropriated on 1 January; contracts then go
through commit / gated commit / pay / evaluation / gated pay / gated release; what is
left lapses on 31 December.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, text, update
from sqlalchemy.engine import Engine

from ledger.accounts import (
    AccountSpec,
    BudgetLine,
    Unit,
    appropriation_account,
    available_account,
    committed_account,
    expense_account,
    lapsed_account,
)
from ledger.canonical import GENESIS, chain_hash, evaluation_text, transaction_text
from ledger.models import Account, Balance, ChainHead, Evaluation, LedgerBase, Posting, Transaction
from ledger.types import utcnow

A, B, H, E, P, T = (m.__table__ for m in (Account, Balance, ChainHead, Evaluation, Posting,
                                          Transaction))
DEPTS = [Unit(c, n) for c, n in [("MZJ", "民政局"), ("WJW", "卫生健康委员会"), ("JYJ", "教育局"),
                                 ("CLJ", "残疾人联合会"), ("SFJ", "司法局"), ("WLJ", "文化广电和旅游局"),
                                 ("RSJ", "人力资源和社会保障局"), ("TW", "团市委")]]
ITEMS = [Unit(f"I{i:02d}", n) for i, n in enumerate(
    ["社区居家养老", "青少年社工服务", "残障康复", "心理咨询", "法律援助", "文化惠民", "就业培训",
     "志愿服务", "社区治理", "公益创投"])]
PER_CONTRACT = 6
BATCH = 20_000


class Seeder:
    def __init__(self, engine: Engine, now: dt.datetime | None = None) -> None:
        self.engine = engine
        self.now = now or utcnow()
        self.ids: dict[str, tuple[int, str]] = {}
        self.balances: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        self.seq, self.prev, self.date = 0, GENESIS, None
        self.txn_id = self.posting_id = self.eval_id = 0
        self.rows: dict[Any, list[dict]] = {A: [], T: [], P: [], E: []}

    def _account(self, spec: AccountSpec, date: dt.date) -> tuple[int, str]:
        found = self.ids.get(spec.code)
        if found is None:
            found = (len(self.ids) + 1, spec.name)
            self.ids[spec.code] = found
            self.rows[A].append(dict(id=found[0], name=spec.name, code=spec.code, currency="CNY",
                                     open_date=date, guarded=spec.guarded, meta=dict(spec.meta),
                                     created_at=self.now))
        return found

    def txn(self, date: dt.date, narration: str, legs: list[tuple[AccountSpec, Decimal]],
            links: list[str] = (), meta: dict[str, str] | None = None) -> None:
        meta = meta or {}
        resolved = [(self._account(spec, date), n) for spec, n in legs]
        named = [(name, n) for (_, name), n in resolved]
        self.seq += 1
        self.txn_id += 1
        digest = chain_hash(self.prev, transaction_text(self.seq, date, narration, named,
                                                        sorted(links), meta))
        self.rows[T].append(dict(id=self.txn_id, seq=self.seq, date=date, narration=narration,
                                 links=sorted(links), meta=meta, reverses_seq=None,
                                 prev_hash=self.prev, hash=digest, created_at=self.now))
        gate = meta.get("gate", "")
        for (acct_id, name), n in resolved:
            self.posting_id += 1
            self.rows[P].append(dict(id=self.posting_id, transaction_id=self.txn_id,
                                     account_id=acct_id, amount=n))
            pool = gate if gate and ":Committed:" in name else ""
            self.balances[(acct_id, pool)] += n
        self.prev, self.date = digest, date
        self._maybe_flush()

    def evaluation(self, date: dt.date, subject: str, passed: bool, score: Decimal,
                   meta: dict[str, str]) -> None:
        self.seq += 1
        self.eval_id += 1
        digest = chain_hash(self.prev, evaluation_text(self.seq, date, subject, passed, score,
                                                       meta))
        self.rows[E].append(dict(id=self.eval_id, seq=self.seq, date=date, subject=subject,
                                 passed=passed, score=score, meta=meta, prev_hash=self.prev,
                                 hash=digest, created_at=self.now))
        self.prev, self.date = digest, date
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.rows[P]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with self.engine.begin() as conn:
            for table in (A, T, P, E):  # accounts and transactions before postings (FKs)
                if self.rows[table]:
                    conn.execute(insert(table), self.rows[table])
                    self.rows[table] = []

    def finish(self) -> None:
        self.flush()
        with self.engine.begin() as conn:
            keys = list(self.balances)
            for i in range(0, len(keys), BATCH):
                conn.execute(insert(B), [dict(account_id=k[0], pool=k[1], balance=self.balances[k])
                                         for k in keys[i:i + BATCH]])
            conn.execute(update(H).where(H.c.id == 1).values(
                last_seq=self.seq, last_hash=self.prev, last_date=self.date))
            if conn.dialect.name == "postgresql":
                for table in ("ledger_accounts", "ledger_transactions", "ledger_postings",
                              "ledger_evaluations"):
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"GREATEST((SELECT max(id) FROM {table}), 1))"))


def create_schema(engine: Engine) -> None:
    LedgerBase.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(H).values(id=1, last_seq=0, last_hash=GENESIS))


def _year(s: Seeder, fy: int, entries: int, rng: random.Random, next_contract: int) -> int:
    lines = [BudgetLine(fy, d, i) for d in DEPTS for i in ITEMS]
    contracts = max(1, (entries - 2 * len(lines)) // PER_CONTRACT)
    amounts = [Decimal(rng.randint(100_000, 9_999_999)).scaleb(-2) for _ in range(contracts)]
    need: dict[int, Decimal] = defaultdict(Decimal)
    for k, amount in enumerate(amounts):
        need[k % len(lines)] += amount
    jan1 = dt.date(fy, 1, 1)
    for i, line in enumerate(lines):
        n = need[i] + Decimal(rng.randint(100_000, 5_000_000)).scaleb(-2)
        s.txn(jan1, f"预算批复 appropriation FY{fy} {line.dept.name} {line.item.name}",
              [(available_account(line), n), (appropriation_account(fy, line.dept), -n)],
              meta={"documents": f"pifu-{fy}-{line.dept.code}-{line.item.code}"})
    cent = Decimal("0.01")
    for k, amount in enumerate(amounts):
        line = lines[k % len(lines)]
        day = jan1 + dt.timedelta(days=1 + k * 363 // contracts)
        c = Unit(f"HT-{next_contract + k}", None)
        code, gate = c.code, f"{c.code}/final"
        first = (amount * Decimal("0.6")).quantize(cent)
        rest = amount - first
        final = (rest * Decimal("0.75")).quantize(cent)
        avail, com = available_account(line), committed_account(line, c)
        exp = expense_account(line)
        s.txn(day, f"合同承诺 commitment {code}", [(com, first), (avail, -first)], [code],
              {"documents": f"{code}.pdf"})
        s.txn(day, f"合同承诺 commitment {code} final tranche", [(com, rest), (avail, -rest)],
              [code], {"gate": gate})
        s.txn(day, f"拨付 payment {code} advance", [(exp, first), (com, -first)], [code])
        s.evaluation(day, gate, True, Decimal(rng.randint(6000, 10000)).scaleb(-2),
                     {"documents": f"eval-{code}"})
        s.txn(day, f"拨付 payment {code} final", [(exp, final), (com, -final)], [code],
              {"gate": gate})
        s.txn(day, f"释放 release {code}", [(avail, rest - final), (com, final - rest)], [code],
              {"gate": gate})
    dec31 = dt.date(fy, 12, 31)
    for i, line in enumerate(lines):
        left = s.balances[(s.ids[available_account(line).code][0], "")]
        if left > 0:
            s.txn(dec31, f"结余收回 lapse FY{fy} {line.dept.name} {line.item.name}",
                  [(lapsed_account(fy, line.dept), left), (available_account(line), -left)])
    return next_contract + contracts


def seed(engine: Engine, n: int, *, rng_seed: int = 2026,
         progress: Callable[[int], None] | None = None) -> int:
    """Seed about ``n`` journal entries into an empty, migrated ledger; return the count."""
    years = 1 if n <= 20_000 else max(2, -(-n // 250_000))
    rng = random.Random(rng_seed)
    s = Seeder(engine)
    next_contract = 1
    for y in range(years):
        next_contract = _year(s, 2026 + y, -(-n // years), rng, next_contract)
        if progress:
            progress(s.seq)
    s.finish()
    return s.seq
