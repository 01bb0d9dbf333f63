"""The auditors' workspace: budget execution that reconciles, drill-down, export, verify,
and Fava mounted read-only for auditors only."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from sqlalchemy import select

from ledger import operations
from ledger.accounts import Unit
from market import funds
from market.clock import today_local
from tests.catalogs.conftest import approve_through_http


@pytest.fixture
def approved(client, auth, demo, session):
    """An approved 2028 catalog with one item (600,000) of which 250,000 is committed
    and 100,000 paid."""
    item = approve_through_http(client, auth, session)
    line = funds.budget_line(item)
    operations.commit(session, today_local(), line, Unit("contract-7"), Decimal("250000.00"))
    operations.pay(session, today_local(), line, Unit("contract-7"), Decimal("100000.00"))
    session.commit()
    return item


def test_budget_execution_reconciles(client, auth, approved):
    auth.login("auditor")
    html = client.get("/audit/?fy=2028").get_data(as_text=True)
    for figure in ("600,000.00", "150,000.00", "100,000.00", "350,000.00"):
        assert figure in html
    assert "与账本核对一致" in html


def test_drill_down_from_figure_to_transaction_to_item(client, auth, approved, session):
    auth.login("auditor")
    line = funds.budget_line(approved)
    from ledger.accounts import available_account

    page = client.get("/audit/account", query_string={"name": available_account(line).name})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    from ledger.models import Transaction

    seq = session.scalar(select(Transaction.seq).where(
        Transaction.meta["catalog_item"].as_string() == approved.code).order_by(Transaction.seq))
    assert f"/audit/txn/{seq}" in html
    txn = client.get(f"/audit/txn/{seq}").get_data(as_text=True)
    assert approved.code in txn and f"/catalogs/{approved.catalog_id}" in txn


def test_export_download_is_a_checkable_beancount_ledger(client, auth, approved, tmp_path):
    from ledger.verify import load_ledger

    auth.login("auditor")
    response = client.get("/audit/export.zip")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    entries, errors, _ = load_ledger(tmp_path / "ledger" / "main.beancount")
    assert errors == []
    contract = [e for e in entries if type(e).__name__ == "Transaction"
                and "contract-7" in (e.links or set())]
    assert len(contract) == 2


def test_verify_now_shows_the_verdict(client, auth, approved):
    auth.login("auditor")
    response = client.post("/audit/verify")
    assert response.status_code == 200
    assert "账本核验通过" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["civil", "finance", "dept", "org", "town", "evaluator",
                                 "expert"])
def test_workspace_is_for_auditors_only(client, auth, demo, who):
    auth.login(who)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.zip").status_code == 403


def test_fava_answers_the_balance_sheet_for_an_auditor(client, auth, approved):
    auth.login("auditor")
    root = client.get("/audit/fava/")
    assert root.status_code == 302
    bfile_url = root.headers["Location"]
    assert "/audit/fava/" in bfile_url
    bfile = bfile_url.split("/audit/fava/")[1].split("/")[0]
    api = client.get(f"/audit/fava/{bfile}/api/balance_sheet")
    assert api.status_code == 200
    assert "Assets" in api.get_data(as_text=True)
    page = client.get(f"/audit/fava/{bfile}/balance_sheet/")
    assert page.status_code == 200


@pytest.mark.parametrize("path", ["editor/", "api/source?filename=x", "api/source_slice?entry_hash=x",
                                  "api/context?entry_hash=x", "download-journal/",
                                  "document/?filename=x"])
def test_fava_source_endpoints_are_refused_even_to_auditors(client, auth, approved, path):
    auth.login("auditor")
    bfile = client.get("/audit/fava/").headers["Location"].split("/audit/fava/")[1].split("/")[0]
    assert client.get(f"/audit/fava/{bfile}/{path}").status_code == 403


def test_fava_refuses_writes(client, auth, approved):
    auth.login("auditor")
    bfile = client.get("/audit/fava/").headers["Location"].split("/audit/fava/")[1].split("/")[0]
    assert client.put(f"/audit/fava/{bfile}/api/add_entries", json={"entries": []}).status_code == 403


@pytest.mark.parametrize("who", ["civil", "finance", "dept", "org", "town", "evaluator", "expert"])
def test_fava_refuses_other_roles(client, auth, approved, who):
    auth.login(who)
    assert client.get("/audit/fava/").status_code == 403


def test_fava_redirects_the_anonymous_public_to_login(client, approved):
    response = client.get("/audit/fava/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_fava_sees_new_postings(client, auth, approved, session):
    auth.login("auditor")
    bfile = client.get("/audit/fava/").headers["Location"].split("/audit/fava/")[1].split("/")[0]
    before = client.get(f"/audit/fava/{bfile}/api/balance_sheet").get_data(as_text=True)
    operations.pay(session, today_local(), funds.budget_line(approved), Unit("contract-7"),
                   Decimal("12345.67"))
    session.commit()
    after = client.get(f"/audit/fava/{bfile}/api/balance_sheet").get_data(as_text=True)
    assert before != after


def test_verify_now_needs_the_form_token(csrf_app, demo):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    from tests.conftest import csrf_token

    client.post("/login", data={"username": "auditor", "password": "demo-pass-2026",
                                "csrf_token": csrf_token(page)})
    assert client.post("/audit/verify").status_code == 400
    html = client.get("/audit/").get_data(as_text=True)
    assert client.post("/audit/verify", data={"csrf_token": csrf_token(html)}).status_code == 200
