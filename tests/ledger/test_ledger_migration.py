"""The ledger's Alembic branch builds exactly the tables the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

import ledger.models
from ledger.canonical import GENESIS
from ledger.models import ChainHead


def test_models_match_the_migration(ledger_engine):
    with ledger_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parent: kind != "table" or name.startswith(
                "ledger_"),
            "include_object": ledger.models.include_for(conn.dialect.name),
        })
        diff = compare_metadata(context, ledger.models.metadata)
    assert diff == []


def test_chain_head_starts_at_genesis(db):
    head = db.scalars(select(ChainHead)).one()
    assert (head.id, head.last_seq, head.last_hash, head.last_date) == (1, 0, GENESIS, None)


def test_ledger_imports_neither_flask_nor_market():
    import subprocess
    import sys

    code = ("import sys, ledger.posting, ledger.operations, ledger.export, ledger.verify, "
            "ledger.cli, ledger.beancount_plugin; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'market')); "
            "print(bad); sys.exit(1 if bad else 0)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
