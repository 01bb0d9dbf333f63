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

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from ledger.accounts import (
    BudgetLine,
    Unit,
    appropriation_account,
    available_account,
    committed_account,
    expense_account,
    lapsed_account,
)
from ledger.bulk import BulkJournal
from ledger.canonical import GENESIS
from ledger.models import ChainHead, LedgerBase

H = ChainHead.__table__
DEPTS = [Unit(c, n) for c, n in [("MZJ", "民政局"), ("WJW", "卫生健康委员会"), ("JYJ", "教育局"),
                                 ("CLJ", "残疾人联合会"), ("SFJ", "司法局"), ("WLJ", "文化广电和旅游局"),
                                 ("RSJ", "人力资源和社会保障局"), ("TW", "团市委")]]
ITEMS = [Unit(f"I{i:02d}", n) for i, n in enumerate(
    ["社区居家养老", "青少年社工服务", "残障康复", "心理咨询", "法律援助", "文化惠民", "就业培训",
     "志愿服务", "社区治理", "公益创投"])]
PER_CONTRACT = 6
def create_schema(engine: Engine) -> None:
    LedgerBase.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(H).values(id=1, last_seq=0, last_hash=GENESIS))


def _year(s: BulkJournal, fy: int, entries: int, rng: random.Random, next_contract: int) -> int:
    lines = [BudgetLine(fy, d, i) for d in DEPTS for i in ITEMS]
    contracts = max(1, (entries - 2 * len(lines)) // PER_CONTRACT)
    amounts = [Decimal(rng.randint(100_000, 9_999_999)).scaleb(-2) for _ in range(contracts)]
    need: dict[int, Decimal] = defaultdict(Decimal)
    for k, amount in enumerate(amounts):
        need[k % len(lines)] += amount
    jan1 = dt.date(fy, 1, 1)
    for i, line in enumerate(lines):
        n = need[i] + Decimal(rng.randint(100_000, 5_000_000)).scaleb(-2)
        s.post(jan1, f"预算批复 appropriation FY{fy} {line.dept.name} {line.item.name}",
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
        s.post(day, f"合同承诺 commitment {code}", [(com, first), (avail, -first)], links=[code],
               meta={"documents": f"{code}.pdf"})
        s.post(day, f"合同承诺 commitment {code} final tranche", [(com, rest), (avail, -rest)],
               links=[code], meta={"gate": gate})
        s.post(day, f"拨付 payment {code} advance", [(exp, first), (com, -first)], links=[code])
        s.record_evaluation(day, gate, True, Decimal(rng.randint(6000, 10000)).scaleb(-2),
                            meta={"documents": f"eval-{code}"})
        s.post(day, f"拨付 payment {code} final", [(exp, final), (com, -final)], links=[code],
               meta={"gate": gate})
        s.post(day, f"释放 release {code}", [(avail, rest - final), (com, final - rest)],
               links=[code], meta={"gate": gate})
    dec31 = dt.date(fy, 12, 31)
    for line in lines:
        left = s.balance(available_account(line))
        if left > 0:
            s.post(dec31, f"结余收回 lapse FY{fy} {line.dept.name} {line.item.name}",
                   [(lapsed_account(fy, line.dept), left), (available_account(line), -left)])
    return next_contract + contracts


def seed(engine: Engine, n: int, *, rng_seed: int = 2026,
         progress: Callable[[int], None] | None = None) -> int:
    """Seed about ``n`` journal entries into an empty, migrated ledger; return the count."""
    years = 1 if n <= 20_000 else max(2, -(-n // 250_000))
    rng = random.Random(rng_seed)
    s = BulkJournal(engine)
    next_contract = 1
    for y in range(years):
        next_contract = _year(s, 2026 + y, -(-n // years), rng, next_contract)
        if progress:
            progress(s.seq)
    s.finish()
    return s.seq
