"""Helpers for the ledger tests: sample budget lines, snapshots, sealing beancount text."""
from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ledger.accounts import BudgetLine, Unit
from ledger.canonical import GENESIS, canonical_text, chain_hash, record_from_entry
from ledger.models import Account, Balance, ChainHead, Evaluation, Posting, Transaction

os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

MZJ = Unit("MZJ", "民政局")
WJW = Unit("WJW", "卫生健康委员会")
ELDER = BudgetLine(2026, MZJ, Unit("SQ01", "社区居家养老"))
YOUTH = BudgetLine(2026, MZJ, Unit("QS02", "青少年 社工服务"))
HEALTH = BudgetLine(2026, WJW, Unit("JK01", "健康讲座"))
LINES = (ELDER, YOUTH, HEALTH)
CONTRACTS = tuple(Unit(f"contract-{i}", f"合同{i}") for i in range(1, 5))
TABLES = (Posting, Transaction, Evaluation, Balance, Account)


def D(value: str | int) -> Decimal:
    return Decimal(str(value))


def wipe(engine: Engine) -> None:
    """Remove every ledger row (Core DELETE: the ORM guard only protects ORM flushes)."""
    with engine.begin() as conn:
        for model in TABLES:
            conn.execute(delete(model.__table__))
        conn.execute(delete(ChainHead.__table__))
        conn.execute(insert(ChainHead.__table__).values(id=1, last_seq=0, last_hash=GENESIS))


def snapshot(session: Session) -> tuple[Any, ...]:
    """Everything a refused call must leave untouched."""
    counts = tuple(session.execute(select(func.count()).select_from(m.__table__)).scalar()
                   for m in TABLES)
    head = tuple(session.execute(select(ChainHead.__table__)).one())
    rows = tuple(sorted(session.execute(select(Balance.__table__)).all()))
    return counts, head, rows


def seal(text: str) -> str:
    """Replace each ``hash: "*"`` in ``text`` by the real chain hash of its entry.

    Lets a test write a readable journal by hand and still pass the chain check.
    """
    from beancount.parser import parser

    entries, errors, _ = parser.parse_string(text)
    assert not errors, errors
    lines = text.split("\n")
    prev = GENESIS
    journal = sorted((int(e.meta["seq"]), e) for e in entries if "seq" in e.meta)
    for _, entry in journal:
        digest = chain_hash(prev, canonical_text(**record_from_entry(entry)))
        for i in range(entry.meta["lineno"], len(lines)):
            if lines[i].strip() == 'hash: "*"':
                lines[i] = lines[i].replace('"*"', f'"{digest}"')
                break
        prev = digest
    return "\n".join(lines)


def load_text(text: str) -> tuple[list, list]:
    from beancount import loader

    entries, errors, _ = loader.load_string(text)
    return entries, errors


def messages(errors: list) -> list[str]:
    return [e.message for e in errors]


def load_export(folder: str | Path) -> tuple[list, list]:
    from ledger.verify import load_ledger

    entries, errors, _ = load_ledger(Path(folder) / "main.beancount")
    return entries, errors


def replace_in_entry(path: Path, seq: int, old: str, new: str) -> None:
    """Change the first ``old`` to ``new`` inside the entry with ``seq: <seq>``."""
    text = path.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks):
        if re.search(rf"^  seq: {seq}$", block, re.M):
            assert old in block, (old, block)
            blocks[i] = block.replace(old, new, 1)
            path.write_text("\n\n".join(blocks), encoding="utf-8")
            return
    raise AssertionError(f"no entry #{seq} in {path}")
