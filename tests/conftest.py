"""Shared fixtures: a migrated database per test, the app, a client, a session the
factories write through (tests/factories.py), the demo seed, logins, the clock.

SQLite (default): the schema is built once through the migrations into a template file,
then copied for each test. PostgreSQL (TEST_DATABASE_URL=postgresql+psycopg://...): a
fresh database is created and migrated for the session, and every table is truncated
after each test.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
import warnings

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from market import create_app
from market.clock import set_clock
from market.db import upgrade_database
from market.i18n import compile_catalogs
from tests import factories
from tests.probes import csrf_token  # noqa: F401  (kept importable from here)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if ON_POSTGRES else 'SQLite'}"


@pytest.fixture(scope="session", autouse=True)
def _catalogs():
    compile_catalogs()


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory):
    if ON_POSTGRES:
        base = make_url(TEST_DATABASE_URL)
        name = f"mkt_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
        upgrade_database(url)
        yield url
        engine_cleanup = create_engine(url)
        engine_cleanup.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        upgrade_database(f"sqlite:///{path}")
        yield str(path)


def _truncate_all(url: str) -> None:
    """Empty every table and restart every id sequence after a test (PostgreSQL).

    DELETE with triggers off (``session_replication_role = replica``: no foreign-key
    checks, no append-only guards) is about ten times faster than TRUNCATE of every table,
    which rewrites each table's files (measured: 25–30 ms against 265–280 ms a test on
    the 73 tables). Without the superuser right that setting needs, TRUNCATE it is."""
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"))]
        sequences = [r[0] for r in conn.execute(text(
            "SELECT sequence_name FROM information_schema.sequences "
            "WHERE sequence_schema = 'public'"))]
        conn.rollback()
        try:
            with conn.begin():
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))
                for sequence in sequences:
                    conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        except ProgrammingError:  # not a superuser
            with conn.begin():
                quoted = ", ".join(f'"{t}"' for t in tables)
                conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    engine.dispose()


def _end_open_transactions(url: str) -> list[str]:
    """Terminate the connections a test left idle inside a transaction; return their queries.

    Such a connection holds its locks until it is collected, and one once held up the
    suite's cleanup for forty minutes; ending it lets the cleanup run, and the warning
    names the test that left it."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")).all()
        for pid, _ in rows:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    engine.dispose()
    return [query for _, query in rows]


@pytest.fixture
def database_url(_template_db, tmp_path):
    if ON_POSTGRES:
        yield _template_db
        left_open = _end_open_transactions(_template_db)
        _truncate_all(_template_db)
        if left_open:
            warnings.warn("the test left connections idle in a transaction: "
                          + "; ".join(q[:160] for q in left_open))
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(_template_db, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "LEDGER_EXPORT_FOLDER": str(tmp_path / "ledger-export"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
    })
    yield app
    app.extensions["db_engine"].dispose()
    set_clock(None)


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """A session on the test database, outside any request; the factories write through it."""
    s = Session(app.extensions["db_engine"], expire_on_commit=False)
    factories.bind(s)
    yield s
    factories.bind(None)
    s.rollback()
    s.close()


@pytest.fixture
def demo(app, session):
    """The demo seed: departments, towns, agencies and one user per role."""
    from market.demo import seed

    logins = seed(session)
    session.commit()
    return logins


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username, password="demo-pass-2026", follow=False):
        return self.client.post("/login", data={"username": username, "password": password},
                                follow_redirects=follow)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def awarded(app, demo, session, clock):
    """(item, tender, bidders): a fresh FY2028 item's tender scored and awarded to A
    (``factories.awarded_tender``); the standstill and the challenge window run."""
    item = factories.budget_item(session)
    tender, bidders = factories.awarded_tender(session, clock, item)
    return item, tender, bidders


@pytest.fixture
def registry(app, session, demo):
    """The registry driven through its pages (tests/factories.py ``Registry``)."""
    return factories.Registry(app, session)


class Clock:
    """An injectable clock that stands still until a test moves it."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def travel(self, to: dt.datetime) -> None:
        self.now = to

    def advance(self, **delta) -> None:
        self.now = self.now + dt.timedelta(**delta)


@pytest.fixture
def clock(app):
    """The platform clock, frozen at 01:00 UTC tomorrow (the app fixture restores it)."""
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(
        hour=1, minute=0, second=0, microsecond=0)
    c = Clock(start)
    set_clock(c)
    return c


@pytest.fixture
def travel():
    """travel(y, m, d, h): set the platform clock to that UTC moment."""

    def _to(*args):
        moment = dt.datetime(*args, tzinfo=dt.timezone.utc)
        set_clock(lambda: moment)
        return moment

    return _to


def pytest_terminal_summary(terminalreporter):
    """The figures the probes (tests/probes) record: pages crawled, cases tried."""
    lines = []
    for report in terminalreporter.stats.get("passed", []) + \
            terminalreporter.stats.get("failed", []) + terminalreporter.stats.get("xfailed", []):
        if report.when != "call":
            continue
        for name, value in report.user_properties:
            if name == "probe":
                lines.append(f"{report.nodeid.split('::')[-1]}: {value}")
    if lines:
        terminalreporter.section("probes")
        for line in sorted(lines):
            terminalreporter.write_line(line)
