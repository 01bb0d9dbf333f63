"""The read replica (只读副本, ``DATABASE_REPLICA_URL``), tested on one server with two URLs.

SQLite: the replica is a copy of the primary's file taken after the demo seed, and the
primary then changes, so a page shows which database answered it. PostgreSQL
(TEST_DATABASE_URL): the replica URL is the same database under another
``application_name``; statements are counted per engine.
"""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from market import create_app
from market.config import replica_url_from_env
from market.db import READ_PRIMARY_COOKIE, reads_replica
from market.orgs.models import Organization
from tests.conftest import ON_POSTGRES

NAME = "昆山市阳光社工服务中心"
RENAMED = "昆山市阳光社工服务中心（主库改名）"
# The pages that only read, declared so (market/db.py reads_replica).
READ_ONLY_PAGES = {
    "tenders.index", "tenders.detail", "catalogs.index", "catalogs.detail",
    "orgs.public_list", "orgs.public_profile", "disclosure.portal",
    "disclosure.announcements", "disclosure.intention", "disclosure.payments",
    "disclosure.cleared", "disclosure.search", "ocds.index", "ocds.releases", "ocds.record",
    "ocds.year", "ocds_api.api_releases", "ocds_api.api_record", "ocds_api.api_year",
    "auditor.execution", "auditor.account", "auditor.transaction",
}
only_sqlite = pytest.mark.skipif(ON_POSTGRES, reason="two SQLite files hold different data")


class Counter:
    """Statements one engine executed."""

    def __init__(self, engine):
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def take(self) -> int:
        n, self.statements = len(self.statements), []
        return n


def _replica_url(database_url: str, tmp_path) -> str:
    """A second URL: a copy of the primary's SQLite file (made now, with everything the
    primary holds), or the same PostgreSQL database under another application name."""
    if ON_POSTGRES:
        url = make_url(database_url).update_query_dict({"application_name": "market-replica"})
        return url.render_as_string(hide_password=False)
    replica = tmp_path / "replica.sqlite3"
    with sqlite3.connect(make_url(database_url).database) as src, \
            sqlite3.connect(replica) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{replica}"


@pytest.fixture(scope="module")
def _seeded_sqlite(_template_db, tmp_path_factory):
    """SQLite: the demo seeded once for this module (each test copies the file)."""
    if ON_POSTGRES:
        yield None
        return
    from market.demo import seed

    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
    shutil.copyfile(_template_db, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                      "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
    with Session(app.extensions["db_engine"]) as s:
        seed(s)
        s.commit()
    app.extensions["db_engine"].dispose()
    yield path


@pytest.fixture
def database_url(database_url, _seeded_sqlite):
    """The test's database, holding the demo seed."""
    if _seeded_sqlite is not None:
        shutil.copyfile(_seeded_sqlite, make_url(database_url).database)
    return database_url


@pytest.fixture
def demo(app, session, _seeded_sqlite):
    """The demo seed: already in the SQLite file; seeded here on PostgreSQL."""
    if _seeded_sqlite is None:
        from market.demo import seed

        seed(session)
        session.commit()


@pytest.fixture
def replica_app(app, demo, session, database_url, tmp_path):
    """The test's app configured again with a replica; the primary's sunshine centre is
    renamed after the replica was taken (SQLite: the replica keeps the old name)."""
    replica_url = _replica_url(database_url, tmp_path)
    session.execute(update(Organization).where(Organization.name == NAME)
                    .values(name=RENAMED))
    session.commit()
    second = create_app({**app.config, "DATABASE_REPLICA_URL": replica_url})
    second.primary = Counter(second.extensions["db_engine"])
    second.replica = Counter(second.extensions["db_replica_engine"])
    yield second
    second.extensions["db_replica_engine"].dispose()
    second.extensions["db_engine"].dispose()


def _login(client, username: str):
    return client.post("/login", data={"username": username, "password": "demo-pass-2026"})


@only_sqlite
def test_public_pages_show_the_replicas_data(replica_app, session):
    client = replica_app.test_client()
    html = client.get("/organizations/?q=阳光").get_data(as_text=True)
    assert NAME in html and RENAMED not in html
    assert replica_app.replica.take() > 0 and replica_app.primary.take() == 0
    org_id = session.scalar(select(Organization.id).where(Organization.name == RENAMED))
    profile = client.get(f"/organizations/{org_id}").get_data(as_text=True)
    assert NAME in profile and RENAMED not in profile


@only_sqlite
def test_a_streamed_download_reads_the_replica_too(replica_app):
    body = replica_app.test_client().get("/organizations/?format=csv&q=阳光").get_data(
        as_text=True)
    assert NAME in body and RENAMED not in body


def test_without_the_setting_every_page_reads_the_primary(app, demo, session, database_url,
                                                          tmp_path):
    _replica_url(database_url, tmp_path)  # a second database exists, but is not configured
    session.execute(update(Organization).where(Organization.name == NAME)
                    .values(name=RENAMED))
    session.commit()
    assert app.config["DATABASE_REPLICA_URL"] is None
    assert "db_replica_engine" not in app.extensions
    client = app.test_client()
    assert RENAMED in client.get("/organizations/?q=阳光").get_data(as_text=True)
    login = _login(client, "auditor")
    assert login.status_code == 302
    assert READ_PRIMARY_COOKIE not in login.headers.get("Set-Cookie", "")


def test_replica_pages_are_counted_on_the_replica(replica_app):
    client = replica_app.test_client()
    assert client.get("/tenders/").status_code == 200
    assert client.get("/portal/").status_code == 200
    assert replica_app.replica.take() > 0


def test_a_page_not_declared_read_only_reads_the_primary(replica_app):
    client = replica_app.test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/").status_code in (200, 302)
    assert replica_app.replica.take() == 0 and replica_app.primary.take() > 0


def test_a_post_writes_the_primary_and_its_author_then_reads_the_primary(replica_app):
    client = replica_app.test_client()
    login = _login(client, "auditor")
    assert login.status_code == 302 and READ_PRIMARY_COOKIE in login.headers["Set-Cookie"]
    assert replica_app.replica.take() == 0 and replica_app.primary.take() > 0
    # Just after writing, even a read-only page reads the primary (its own writes).
    html = client.get("/organizations/?q=阳光").get_data(as_text=True)
    assert replica_app.replica.take() == 0
    if not ON_POSTGRES:
        assert RENAMED in html
    # Once the cookie has gone (it lasts DATABASE_REPLICA_AFTER_WRITE_SECONDS) the
    # replica serves again.
    client.delete_cookie(READ_PRIMARY_COOKIE)
    client.get("/organizations/?q=阳光")
    assert replica_app.replica.take() > 0


def test_a_post_to_a_read_only_pages_address_is_never_served_by_the_replica(replica_app):
    client = replica_app.test_client()
    assert client.post("/organizations/").status_code == 405
    assert replica_app.replica.take() == 0


def test_the_auditors_budget_execution_reads_the_replica_while_the_login_lives_on_the_primary(
        replica_app):
    client = replica_app.test_client()
    _login(client, "auditor")
    client.delete_cookie(READ_PRIMARY_COOKIE)
    replica_app.primary.take(), replica_app.replica.take()
    page = client.get("/audit/")
    assert page.status_code == 200
    # The user and the session's touch came from the primary, the figures from the replica.
    assert replica_app.primary.take() > 0 and replica_app.replica.take() > 0


def test_the_replica_refuses_writes(replica_app):
    maker = replica_app.extensions["db_replica_sessionmaker"]
    with maker() as s:
        assert s.scalar(select(Organization.id).limit(1)) is not None
        with pytest.raises(DBAPIError):
            s.execute(update(Organization).values(name="改不了"))
            s.flush()
        s.rollback()


def test_every_declared_page_answers_reads_only(replica_app):
    declared = {endpoint for endpoint, view in replica_app.view_functions.items()
                if getattr(view, "_reads_replica", False)}
    # The mark survives the access guards' wrappers (decorator order) on every page.
    assert declared == READ_ONLY_PAGES
    for rule in replica_app.url_map.iter_rules():
        if rule.endpoint in declared:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_the_mark_changes_nothing_but_the_mark():
    def view():
        return "page"

    assert reads_replica(view) is view and view._reads_replica is True


def test_the_setting_is_read_from_the_environment():
    assert replica_url_from_env({}) is None
    assert replica_url_from_env({"DATABASE_REPLICA_URL": "postgres://r/db"}) \
        == "postgresql+psycopg://r/db"
    assert replica_url_from_env({"MARKET_DATABASE_REPLICA_URL": "sqlite:///a",
                                 "DATABASE_REPLICA_URL": "sqlite:///b"}) == "sqlite:///a"


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL: TEST_DATABASE_URL")
def test_two_urls_to_one_postgresql_server(replica_app):
    with replica_app.extensions["db_replica_engine"].connect() as conn:
        assert conn.scalar(text("SELECT current_setting('application_name')")) \
            == "market-replica"
        assert conn.scalar(text("SHOW transaction_read_only")) == "on"
    with replica_app.extensions["db_engine"].connect() as conn:
        assert conn.scalar(text("SHOW transaction_read_only")) == "off"
