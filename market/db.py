"""Engine and request-scoped sessions (plain SQLAlchemy 2, no Flask-SQLAlchemy)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent


def ensure_sqlite_folder(url: str) -> None:
    """A fresh checkout has no instance/ folder: create the SQLite file's folder."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> Engine:
    ensure_sqlite_folder(url)
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        sqlite_locks_for_update(engine)
    return engine


def sqlite_locks_for_update(engine: Engine) -> None:
    """SQLite: a read ``FOR UPDATE`` takes the database's write lock.

    SQLite has no row locks, and SQLAlchemy drops ``FOR UPDATE`` from its SQL. Python's
    sqlite3 driver opens a transaction only at the first write, so a service's check
    (``get_milestone(..., lock=True)``: is it still unpaid?) ran outside any transaction:
    two workers could both find a milestone unpaid and both pay it — the crash probe found
    one milestone paid twice (two ledger transactions) under gunicorn with several workers.
    Here a locking read first begins ``IMMEDIATE`` (unless this connection already writes,
    and so already holds the lock): it waits for the other writer (the driver's busy
    timeout) and then reads what that writer committed. Plain reads stay unlocked.
    PostgreSQL (production) locks the rows instead.
    """

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "before_cursor_execute")
    def _lock_for_update(conn, cursor, statement, parameters, context, executemany):
        compiled = getattr(context, "compiled", None)
        select_ = getattr(compiled, "statement", None)
        if getattr(select_, "_for_update_arg", None) is None:
            return
        dbapi_conn = conn.connection.dbapi_connection
        if not dbapi_conn.in_transaction:
            dbapi_conn.execute("BEGIN IMMEDIATE")


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def get_session() -> Session:
    """The session of the current request (or app context)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def get_engine() -> Engine:
    return current_app.extensions["db_engine"]


@contextmanager
def unit_of_work(session: Session):
    """Commit what the block did, or roll all of it back on any error."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade_database(url: str) -> None:
    """Build or update the schema through the migrations (the only way we build it)."""
    from alembic import command

    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), "heads")


def unknown_revisions(url: str) -> set[str]:
    """Revisions recorded in the database that these migrations don't know (a database
    built by an older layout of the migrations)."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return set()
            recorded = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    finally:
        engine.dispose()
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config(url)).walk_revisions()}
    return recorded - known


def set_aside_stale_sqlite(url: str) -> Path | None:
    """Move an SQLite database built by an older migration layout out of the way (it is
    kept beside, renamed) so that the demo can be built anew. Other databases are never
    touched: they need a planned migration."""
    import datetime as dt

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    if not path.exists() or not unknown_revisions(url):
        return None
    aside = path.with_name(f"{path.name}.old-{dt.datetime.now():%Y%m%d%H%M%S}")
    path.rename(aside)
    return aside

