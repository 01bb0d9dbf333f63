"""Property: random budget lives never break the ledger's promises.

Hypothesis drives random sequences of appropriate / commit / pay / release / amend /
lapse / evaluate / reverse through the ledger functions. After every step: no guarded
account (or pool) is negative, a refused step changed nothing, and the balance rows equal
an independent model. Every few steps and at the end, the export loads in beancount with
the plugin and no error, and beancount's balances equal the balance rows.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ledger import errors, operations as ops
from ledger.accounts import (
    appropriation_account,
    available_account,
    committed_account,
    expense_account,
    lapsed_account,
)
from ledger.evaluations import record_evaluation
from ledger.export import export
from ledger.models import Account, Balance
from ledger.posting import reverse
from ledger.rules import is_gated_payment, pool_of
from ledger.verify import beancount_balances, load_ledger
from tests.ledger.support import CONTRACTS, LINES, snapshot, wipe

START = dt.date(2026, 1, 1)
CHECK_EVERY = 12

def money(lo: int, hi: int) -> st.SearchStrategy[Decimal]:
    return st.integers(lo, hi).map(lambda c: Decimal(c).scaleb(-2))


cents = money(1, 60_000)  # up to 600.00
fraction = st.integers(1, 125).map(lambda p: Decimal(p).scaleb(-2))
line_i = st.integers(0, 1)
# (line, contract, gated): few slots, so commitments, payments and releases meet.
SLOTS = ((0, 0, False), (0, 0, True), (1, 1, False), (0, 1, True))
slot = st.sampled_from(SLOTS)
step = st.one_of(
    st.tuples(st.just("appropriate"), line_i, money(100, 500_000)),
    # Commitments, payments and releases take a fraction (up to 125 %) of what their
    # source holds, so that both the accepted and the refused paths are exercised often.
    *[st.builds(lambda sl, f, k=kind: (k, *sl[:2], f, sl[2]), slot, fraction)
      for kind in ("commit", "commit", "pay", "pay", "release")],
    st.tuples(st.just("amend"), line_i,
              st.integers(-100_000, 100_000).filter(bool).map(lambda c: Decimal(c).scaleb(-2))),
    st.tuples(st.just("lapse"), line_i, st.one_of(st.none(), cents)),
    st.builds(lambda sl, ok: ("evaluate", sl[0], sl[1], ok), slot, st.booleans()),
    st.tuples(st.just("reverse"), st.integers(0, 1000)),
    st.tuples(st.just("advance"), st.integers(1, 60)),
)


def gate_of(li: int, ci: int) -> str:
    return f"L{li}-{CONTRACTS[ci].code}/final"


class Model:
    """An independent, in-memory account of what the ledger should hold."""

    def __init__(self) -> None:
        self.pools: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        self.passed: set[str] = set()
        self.posted: list[tuple[int, list[tuple[str, Decimal]], str | None]] = []
        self.reversed: set[int] = set()

    def legs(self, s: tuple) -> tuple[list[tuple[str, Decimal]], str | None] | None:
        kind = s[0]
        if kind in ("appropriate", "amend"):
            line, n = LINES[s[1]], s[2]
            return [(available_account(line).name, n),
                    (appropriation_account(line.fy, line.dept).name, -n)], None
        if kind == "lapse":
            line = LINES[s[1]]
            avail = available_account(line).name
            n = s[2] if s[2] is not None else self.pools[(avail, "")]
            return ([(lapsed_account(line.fy, line.dept).name, n), (avail, -n)], None) \
                if n > 0 else None
        line, contract = LINES[s[1]], CONTRACTS[s[2]]
        gate = gate_of(s[1], s[2]) if s[4] else None
        com = committed_account(line, contract).name
        src = {"commit": available_account(line).name, "pay": expense_account(line).name,
               "release": available_account(line).name}[kind]
        n = self.amount(s)
        n = n if kind == "commit" else -n
        return [(com, n), (src, -n)], gate

    def amount(self, s: tuple) -> Decimal:
        """A commit/pay/release step's amount: its fraction of what the source holds."""
        line, contract = LINES[s[1]], CONTRACTS[s[2]]
        gate = gate_of(s[1], s[2]) if s[4] else None
        if s[0] == "commit":
            basis = self.pools[(available_account(line).name, "")]
        else:
            name = committed_account(line, contract).name
            basis = self.pools[(name, pool_of(name, gate))]
        return max((basis * s[3]).quantize(Decimal("0.01")), Decimal("0.01"))

    def accepts(self, legs: list[tuple[str, Decimal]], gate: str | None) -> bool:
        after = defaultdict(Decimal)
        for account, n in legs:
            after[(account, pool_of(account, gate))] += n
        if any(k[0].startswith("Assets:Budget:") and self.pools[k] + d < 0
               for k, d in after.items()):
            return False
        return not (is_gated_payment(legs, gate) and gate not in self.passed)

    def apply(self, seq: int, legs: list[tuple[str, Decimal]], gate: str | None) -> None:
        for account, n in legs:
            self.pools[(account, pool_of(account, gate))] += n
        self.posted.append((seq, legs, gate))


def run_step(db, model: Model, s: tuple, day: dt.date) -> bool:
    """Run one step through the ledger functions; return whether the model expected success."""
    kind = s[0]
    if kind == "evaluate":
        record_evaluation(db, day, gate_of(s[1], s[2]), s[3], Decimal("80"))
        # The gate follows the latest evaluation of its subject: a later fail closes it.
        if s[3]:
            model.passed.add(gate_of(s[1], s[2]))
        else:
            model.passed.discard(gate_of(s[1], s[2]))
        return True
    if kind == "reverse":
        if not model.posted:
            return True
        seq, legs, gate = model.posted[s[1] % len(model.posted)]
        expected = seq not in model.reversed and model.accepts([(a, -n) for a, n in legs], gate)
        try:
            ref = reverse(db, seq, day)
        except errors.LedgerError:
            return not expected
        model.reversed.add(seq)
        model.apply(ref.seq, [(a, -n) for a, n in legs], gate)
        return expected
    planned = model.legs(s)
    expected = planned is not None and model.accepts(*planned)
    amount = model.amount(s) if kind in ("commit", "pay", "release") else None
    line = LINES[s[1]]
    try:
        if kind == "appropriate":
            ref = ops.appropriate(db, day, line, s[2])
        elif kind == "amend":
            ref = ops.amend(db, day, line, s[2])
        elif kind == "lapse":
            ref = ops.lapse(db, day, line, s[2])
        else:
            fn = {"commit": ops.commit, "pay": ops.pay, "release": ops.release}[kind]
            ref = fn(db, day, line, CONTRACTS[s[2]], amount,
                     gate=gate_of(s[1], s[2]) if s[4] else None)
    except errors.LedgerError:
        return not expected
    assert planned is not None
    model.apply(ref.seq, *planned)
    return expected


def db_pools(db) -> dict[tuple[str, str], Decimal]:
    rows = db.execute(select(Account.name, Balance.pool, Balance.balance)
                      .join(Balance, Balance.account_id == Account.id)).all()
    return {(name, pool): bal for name, pool, bal in rows if bal != 0}


def check_export(db) -> None:
    with tempfile.TemporaryDirectory() as folder:
        result = export(db, folder)
        entries, errs, _ = load_ledger(result.main)
        assert errs == [], [e.message for e in errs]
    ours = defaultdict(Decimal)
    for (name, _), bal in db_pools(db).items():
        ours[name] += bal
    theirs = {k: v for k, v in beancount_balances(entries).items() if v != 0}
    assert theirs == {k: v for k, v in ours.items() if v != 0}


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=10, max_size=50))
def test_random_budget_lives_keep_the_ledger_sound(db, ledger_engine, steps):
    db.rollback()
    wipe(ledger_engine)
    model = Model()
    day = START
    for i, s in enumerate(steps):
        if s[0] == "advance":
            day += dt.timedelta(days=s[1])
            continue
        before = snapshot(db)
        seq_before = before[1][1]
        agreed = run_step(db, model, s, day)
        after = snapshot(db)
        if after[1][1] == seq_before:  # refused
            event(f"refused {s[0]}")
            db.rollback()
            assert snapshot(db) == before and after == before, f"refused step {s} wrote"
        else:
            event(f"accepted {s[0]}")
            db.commit()
        assert agreed, f"ledger and model disagree on step {i}: {s}"
        pools = db_pools(db)
        assert all(v >= 0 for (name, _), v in pools.items() if name.startswith("Assets:Budget:"))
        assert pools == {k: v for k, v in model.pools.items() if v != 0}
        if (i + 1) % CHECK_EVERY == 0:
            check_export(db)
    check_export(db)
