"""`flask backup create` / `flask backup restore`: the demo, dumped and restored onto a fresh
database, has the same ledger chain head and the same public pages; a database that
already holds data is refused unless --force."""
from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from ledger.models import ChainHead
from market import create_app
from market.backup import decode, encode
from market.contracts.models import Contract
from market.orgs.models import Organization
from market.tenders.models import Tender
from market.catalogs.models import Catalog
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL

PUBLIC = ["/", "/tenders/", "/catalogs/", "/organizations/", "/contracts/",
          "/qualified-organizations", "/qualified-organizations.csv", "/grades/notices",
          "/tenders/calendar", "/rules", "/api/v1/tenders", "/login"]
VOLATILE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"|(value=")[^"]*("[^>]*name="csrf_token")'
                      r'|(<meta name="csrf-token" content=")[^"]*"|(nonce=")[^"]*"')


def _scrub(body: str) -> str:
    return VOLATILE.sub(lambda m: "".join(g for g in m.groups() if g) + 'X"', body)


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database (no schema) next to the test's."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    base = make_url(TEST_DATABASE_URL)
    name = f"mkt_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _app_on(url, tmp_path):
    return create_app({
        "TESTING": True, "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "LEDGER_EXPORT_FOLDER": str(tmp_path / "ledger-export-restored"),
        "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
    })


def _pages(app, session_or_ids):
    tenders, orgs, catalogs, contracts = session_or_ids
    paths = PUBLIC + [f"/tenders/{i}" for i in tenders] + [f"/organizations/{i}" for i in orgs] \
        + [f"/catalogs/{i}" for i in catalogs] + [f"/contracts/{i}" for i in contracts]
    client = app.test_client()
    out = {}
    for path in paths:
        r = client.get(path, headers={"Accept-Language": "zh-CN"})
        out[path] = (r.status_code, _scrub(r.get_data(as_text=True)))
    return out


def _head(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(ChainHead.last_seq, ChainHead.last_hash,
                                  ChainHead.last_date)).one()
    engine.dispose()
    return tuple(row)


def test_values_round_trip_exactly():
    import datetime as dt

    for v in (Decimal("72000.00"), Decimal("0.10"), dt.date(2028, 3, 1),
              dt.datetime(2028, 3, 1, 9, 0, 0, 123456, tzinfo=dt.UTC),
              dt.datetime(2028, 3, 1, 9, 0), b"\x00\xff", "中文", 7, None, True):
        back = decode(json.loads(json.dumps(encode(v))))
        assert back == v and type(back) is type(v)
        if isinstance(v, Decimal):
            assert str(back) == str(v)
        if isinstance(v, dt.datetime):
            assert back.tzinfo == v.tzinfo


def test_backup_and_restore_the_demo(app, session, clock, database_url, fresh_url, tmp_path):
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    session.expire_all()
    ids = ([t.id for t in session.scalars(select(Tender))],
           [o.id for o in session.scalars(select(Organization))],
           [c.id for c in session.scalars(select(Catalog))],
           [c.id for c in session.scalars(select(Contract))])
    assert all(ids)
    before_pages = _pages(app, ids)
    before_head = _head(database_url)
    assert before_head[0] > 0

    dump = tmp_path / "market.jsonl"
    made = runner.invoke(args=["backup", "create", "--out", str(dump)])
    assert made.exit_code == 0, made.output
    lines = dump.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "market-backup" and header["heads"]
    tables = [json.loads(ln)["table"] for ln in lines if ln.startswith('{"table"')]
    assert tables[:1] == ["ledger_accounts"] and "audit_log" in tables
    assert tables.index("users") < tables.index("audit_log")
    assert tables.index("tenders") < tables.index("contracts")

    restored_app = _app_on(fresh_url, tmp_path)
    try:
        rr = restored_app.test_cli_runner()
        done = rr.invoke(args=["backup", "restore", str(dump)])
        assert done.exit_code == 0, done.output
        assert _head(fresh_url) == before_head
        verified = rr.invoke(args=["ledger", "verify"])
        assert verified.exit_code == 0, verified.output
        after_pages = _pages(restored_app, ids)
        for path, (status, body) in before_pages.items():
            assert after_pages[path][0] == status, path
            assert after_pages[path][1] == body, path

        # the restored database keeps going: new ids follow the restored ones
        from sqlalchemy.orm import Session

        from market.accounts.services import create_user

        from market.accounts.models import User

        with Session(restored_app.extensions["db_engine"]) as s:
            top = s.scalar(select(func.max(User.id)))
            made = create_user(s, username="after-restore", password="long-enough-pass-1",
                               display_name="after", role="auditor")
            s.commit()
            assert made.id > top

        # a database that holds data is refused, and left as it was
        again = rr.invoke(args=["backup", "restore", str(dump)])
        assert again.exit_code != 0
        assert "not empty" in again.output
        assert _head(fresh_url) == before_head
        # --force rebuilds it through the migrations and restores
        forced = rr.invoke(args=["backup", "restore", str(dump), "--force"])
        assert forced.exit_code == 0, forced.output
        assert _head(fresh_url) == before_head
    finally:
        restored_app.extensions["db_engine"].dispose()


def test_restore_refuses_a_non_empty_target(app, session, demo, tmp_path, fresh_url):
    """Even the bare demo seed (users, departments) makes a database non-empty."""
    dump = tmp_path / "empty.jsonl"
    other = _app_on(fresh_url, tmp_path)
    try:
        from market.db import upgrade_database

        upgrade_database(fresh_url)
        assert other.test_cli_runner().invoke(
            args=["backup", "create", "--out", str(dump)]).exit_code == 0
    finally:
        other.extensions["db_engine"].dispose()
    refused = app.test_cli_runner().invoke(args=["backup", "restore", str(dump)])
    assert refused.exit_code == 1
    assert "not empty" in refused.output


def test_restore_refuses_a_dump_of_other_migrations(app, tmp_path):
    """Checked before anything is touched, even with --force."""
    dump = tmp_path / "other.jsonl"
    dump.write_text(json.dumps({"format": "market-backup", "version": 1,
                                "heads": ["not-a-revision"]}) + "\n", encoding="utf-8")
    refused = app.test_cli_runner().invoke(args=["backup", "restore", str(dump), "--force"])
    assert refused.exit_code == 1
    assert "migrations" in refused.output
