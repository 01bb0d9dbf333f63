"""The ledger's chain head, published every day (issue 12, part 9): once a day however often
the timer runs, a public history, the current head on the portal, and the auditor's
verification against it."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from ledger import operations
from ledger.accounts import Unit
from ledger.chain import HEAD, HEAD_ID, read_head
from market import funds
from market.auditor.models import PublishedHead
from market.auditor.services import publish_head
from market.auditlog.models import AuditEntry
from market.clock import now, today_local
from tests.factories import approve_catalog_through_http


@pytest.fixture
def item(client, auth, demo, session):
    item = approve_catalog_through_http(client, auth, session)
    auth.logout()
    return item


def _count(session) -> int:
    return session.scalar(select(func.count(PublishedHead.id)))


def test_publishing_is_idempotent_per_day(app, session, demo, clock, item):
    first, new = publish_head(session)
    session.commit()
    head = read_head(session)
    assert new and (first.seq, first.hash) == (head.seq, head.hash) and head.seq > 0
    line = funds.budget_line(item)
    operations.commit(session, today_local(), line, Unit("contract-9"), Decimal("1000.00"))
    session.commit()
    clock.advance(hours=3)
    again, new = publish_head(session)
    session.commit()
    assert not new and again.id == first.id and again.seq == head.seq  # the day keeps its head
    assert _count(session) == 1
    clock.advance(days=1)
    tomorrow, new = publish_head(session)
    session.commit()
    assert new and tomorrow.seq == head.seq + 1 and tomorrow.day == first.day + dt.timedelta(1)
    assert _count(session) == 2
    assert session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.object_type == "published_head")) == 2


def test_the_command_publishes_once_a_day(app, session, demo, clock):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ledger", "publish-head"])
    assert result.exit_code == 0 and result.output.startswith("published for "), result.output
    head = read_head(session)
    assert f"#{head.seq} {head.hash}" in result.output
    result = runner.invoke(args=["ledger", "publish-head"])
    assert result.exit_code == 0 and "already published" in result.output
    assert _count(session) == 1


def test_the_history_is_public_paginated_and_downloadable(app, client, session, demo, clock):
    app.config["PAGE_SIZE"] = 2
    for _ in range(3):
        publish_head(session)
        session.commit()
        clock.advance(days=1)
    rows = session.scalars(select(PublishedHead).order_by(PublishedHead.day.desc())).all()
    client.post("/language/zh", data={"next": "/"})
    page = client.get("/ledger/heads")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "已公布的台账链头" in html and rows[0].day.isoformat() in html
    assert rows[2].day.isoformat() not in html  # on page 2
    assert rows[2].day.isoformat() in client.get("/ledger/heads?page=2").get_data(as_text=True)
    body = client.get("/ledger/heads?format=csv").get_data()
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == ["日期", "序号", "哈希（SHA-256）", "公布时间"]
    assert [r[2] for r in table[1:]] == [r.hash for r in rows]


def test_the_portal_shows_the_current_head(client, session, demo, clock):
    assert 'id="ledger-head"' not in client.get("/").get_data(as_text=True)
    row, _ = publish_head(session)
    session.commit()
    html = client.get("/").get_data(as_text=True)
    assert 'id="ledger-head"' in html and row.hash in html and f"第 {row.seq} 笔" in html
    client.post("/language/en", data={"next": "/"})
    assert f"entry #{row.seq}" in client.get("/").get_data(as_text=True)


def test_the_auditor_verifies_against_the_published_head(client, auth, session, demo, clock):
    row, _ = publish_head(session)
    session.commit()
    auth.login("auditor")
    client.post("/language/en", data={"next": "/"})
    ok = client.post("/audit/verify")
    assert ok.status_code == 200 and row.hash in ok.get_data(as_text=True)
    # The database is rewritten and the chain recomputed: the head's hash is not the
    # published one any more (here only the head row, as a stand-in for the whole rewrite;
    # tests/ledger/test_published_head.py rewrites every entry).
    session.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(last_seq=row.seq - 1))
    session.commit()
    assert client.post("/audit/verify").status_code == 409
    session.execute(update(HEAD).where(HEAD.c.id == HEAD_ID).values(last_seq=row.seq))
    session.commit()
    other = client.post("/audit/verify", data={"seq": row.seq, "hash": "c" * 64})
    assert other.status_code == 409
    assert "the journal was rewritten" in other.get_data(as_text=True)
    short = client.post("/audit/verify", data={"seq": row.seq + 5, "hash": row.hash})
    assert short.status_code == 409 and "before the published head" in \
        short.get_data(as_text=True)


def test_a_malformed_head_is_refused_with_a_message(client, auth, session, demo, clock):
    auth.login("auditor")
    client.post("/language/en", data={"next": "/"})
    assert client.get("/audit/verify").status_code == 200
    bad = client.post("/audit/verify", data={"seq": "1", "hash": "abc"})
    assert bad.status_code == 422 and "64 hexadecimal digits" in bad.get_data(as_text=True)
    half = client.post("/audit/verify", data={"seq": "1"})
    assert half.status_code == 422 and "Give both" in half.get_data(as_text=True)


def test_the_public_may_not_verify(client, demo):
    assert client.get("/audit/verify").status_code in (302, 403)
    assert client.post("/audit/verify").status_code in (302, 403)


def test_the_export_pins_the_latest_published_head(client, auth, session, demo, clock):
    row, _ = publish_head(session)
    session.commit()
    auth.login("auditor")
    body = client.get("/audit/export.zip").get_data()
    main = zipfile.ZipFile(io.BytesIO(body)).read("ledger/main.beancount").decode("utf-8")
    assert f'plugin "ledger.beancount_plugin" "expected_head={row.seq}:{row.hash}"' in main


def test_the_command_verifies_against_a_head(app, session, demo, clock):
    runner = app.test_cli_runner()
    head = read_head(session)
    ok = runner.invoke(args=["ledger", "verify", "--expected-head", f"{head.seq}:{head.hash}"])
    assert ok.exit_code == 0 and f"reaches #{head.seq}" in ok.output, ok.output
    bad = runner.invoke(args=["ledger", "verify", "--expected-head", f"{head.seq}:{'d' * 64}"])
    assert bad.exit_code == 1 and "rewritten" in bad.output
    publish_head(session, now())
    session.commit()
    default = runner.invoke(args=["ledger", "verify"])
    assert default.exit_code == 0 and f"reaches #{head.seq}" in default.output
