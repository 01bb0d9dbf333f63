"""Ledger test fixtures: a migrated database per test (SQLite) or per session (PostgreSQL).

SQLite (default): the schema is built once through the migrations into a template file,
copied for each test. PostgreSQL (``TEST_DATABASE_URL=postgresql+psycopg://...``): a
fresh database is created for the session through the ``postgres`` database, migrated,
wiped of ledger rows before each test, and dropped at the end.
"""
from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from market.db import make_engine, upgrade_database
from tests.ledger.support import wipe

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")
os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory):
    if ON_POSTGRES:
        base = make_url(TEST_DATABASE_URL)
        name = f"ledger_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
        try:
            upgrade_database(url)
            yield url
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        path = tmp_path_factory.mktemp("ledger-template") / "template.sqlite3"
        upgrade_database(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture
def ledger_url(ledger_template, tmp_path):
    if ON_POSTGRES:
        engine = create_engine(ledger_template)
        wipe(engine)
        engine.dispose()
        return ledger_template
    path = tmp_path / "ledger.sqlite3"
    shutil.copyfile(ledger_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def ledger_engine(ledger_url):
    engine = make_engine(ledger_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(ledger_engine):
    """A session on the ledger test database (the caller commits, as services do)."""
    session = Session(ledger_engine, expire_on_commit=False)
    yield session
    session.rollback()
    session.close()
