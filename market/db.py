"""Engine and request-scoped sessions (plain SQLAlchemy 2, no Flask-SQLAlchemy).

One primary database takes every write. An optional read replica (只读副本,
``DATABASE_REPLICA_URL``) serves the pages that only read: a view marked
:func:`reads_replica` that reads through :func:`get_read_session`, on a GET or HEAD, from
a client that has not written in the last ``DATABASE_REPLICA_AFTER_WRITE_SECONDS``
(it reads its own writes on the primary). Anything else — POST, the session's "last
seen" touch, the login throttle, the audit log — uses :func:`get_session`, the primary.
The replica's connections are read-only, so a page wrongly routed there fails loudly
instead of writing to a copy.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, Response, current_app, g, has_request_context, request
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


#: Set on a client that wrote (a non-GET request) while a replica is configured: its
#: reads go to the primary until the cookie expires, so it sees what it just did.
READ_PRIMARY_COOKIE = "market_read_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})
NO_WRITE_METHODS = SAFE_METHODS | {"OPTIONS"}


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url``; ``read_only``: its connections refuse every write (a replica)."""
    ensure_sqlite_folder(url)
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        sqlite_locks_for_update(engine)
    if read_only:
        refuse_writes(engine)
    return engine


def refuse_writes(engine: Engine) -> None:
    """Every connection of ``engine`` is read-only: SQLite's ``query_only``, PostgreSQL's
    read-only transactions (a hot standby refuses writes anyway; this makes a replica URL
    that points at a writable server, as in the tests, behave the same)."""
    backend = engine.url.get_backend_name()

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_conn, _record):
        if backend == "sqlite":
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA query_only=ON")
            cur.close()
        elif backend == "postgresql":
            dbapi_conn.rollback()  # leave the dialect's first-connect transaction, if any
            dbapi_conn.read_only = True  # psycopg 3: every transaction BEGINs READ ONLY


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
    if replica_url := app.config.get("DATABASE_REPLICA_URL"):
        replica = make_engine(replica_url, read_only=True)
        app.extensions["db_replica_engine"] = replica
        app.extensions["db_replica_sessionmaker"] = sessionmaker(bind=replica,
                                                                 expire_on_commit=False)
        app.after_request(_remember_write)

    @app.teardown_appcontext
    def _close_session(exc):
        for name in ("db_session", "db_read_session"):
            session = g.pop(name, None)
            if session is not None:
                session.rollback()
                session.close()


def get_session() -> Session:
    """The session of the current request (or app context): the primary database."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def get_engine() -> Engine:
    return current_app.extensions["db_engine"]


def reads_replica(view: Callable) -> Callable:
    """Mark a view as a page that only reads: through :func:`get_read_session` it may be
    served by the read replica. Put it below the access guard (the guard's ``wraps``
    carries the mark). A view that writes anything must never carry it."""
    view._reads_replica = True  # type: ignore[attr-defined]
    return view


def uses_replica() -> bool:
    """Whether this request's reads go to the replica: one is configured, the request is
    a GET or HEAD to a view marked :func:`reads_replica`, and the client has not just
    written (its ``READ_PRIMARY_COOKIE``)."""
    if "db_replica_sessionmaker" not in current_app.extensions or not has_request_context():
        return False
    if request.method not in SAFE_METHODS or request.cookies.get(READ_PRIMARY_COOKIE):
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "_reads_replica", False))


def read_sessionmaker() -> sessionmaker:
    """Where a session of its own (a streamed download) reads: as :func:`get_read_session`."""
    name = "db_replica_sessionmaker" if uses_replica() else "db_sessionmaker"
    return current_app.extensions[name]


def get_read_session() -> Session:
    """The session a page that only reads queries: the replica's when :func:`uses_replica`,
    else the request's primary session. Never write through it."""
    if not uses_replica():
        return get_session()
    if "db_read_session" not in g:
        g.db_read_session = current_app.extensions["db_replica_sessionmaker"]()
    return g.db_read_session


def _remember_write(response: Response) -> Response:
    """A request that may have written: the client reads the primary for a while after."""
    if request.method not in NO_WRITE_METHODS:
        config = current_app.config
        response.set_cookie(READ_PRIMARY_COOKIE, "1",
                            max_age=int(config["DATABASE_REPLICA_AFTER_WRITE_SECONDS"]),
                            secure=bool(config.get("SESSION_COOKIE_SECURE")),
                            httponly=True, samesite="Lax")
    return response


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

