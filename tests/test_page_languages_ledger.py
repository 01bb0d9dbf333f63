"""The audit log and the auditors' ledger pages, with data on them (an award, a signed
contract, a paid milestone, a budget amendment), are wholly in the reader's language — the
data aside — as tests/test_page_languages.py checks for the other pages; and they show
words, not codes: actions, accounts, metadata keys, people, contract numbers, amounts."""
from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest
from sqlalchemy import select

from ledger.accounts import committed_account, expense_account
from ledger.models import Transaction
from market import funds
from market.catalogs import services as catalogs
from market.contracts import payments
from tests.factories import budget_item, deliver_and_accept, signed_contract, user
from tests.probes import untranslated


@pytest.fixture
def ledger_world(app, demo, session, clock):
    """A contract signed from an award with its first milestone paid, and a budget
    amendment: audit entries, ledger accounts and transactions of every kind."""
    item = budget_item(session)
    contract, bidders = signed_contract(session, clock, item)
    deliver_and_accept(session, contract, 1, bidders["a"])
    payments.approve_payment(session, user(session, "finance"), contract.id, 1)
    session.commit()
    line = funds.budget_line(item)
    committed = committed_account(line, funds.contract_unit(contract)).name
    expense = expense_account(line).name
    paid = session.scalar(select(Transaction.seq).order_by(Transaction.seq.desc()).limit(1))
    signed = session.scalar(select(Transaction.seq).where(
        Transaction.narration.contains("commit")).order_by(Transaction.seq.desc()).limit(1))
    return {"contract": contract, "item": item, "committed": committed, "expense": expense,
            "paid": paid, "signed": signed, "fy": item.catalog.fiscal_year}


def _pages(w) -> list[tuple[str, str]]:
    return [
        ("auditor", "/audit-log/"), ("civil", "/audit-log/?type=contract"),
        ("auditor", "/audit-log/?action=milestone.pay"), ("auditor", "/audit-log/?type=tender"),
        ("auditor", f"/audit/?fy={w['fy']}"),
        ("auditor", f"/audit/account?name={quote(w['committed'])}"),
        ("auditor", f"/audit/account?name={quote(w['expense'])}"),
        ("auditor", f"/audit/txn/{w['paid']}"), ("auditor", f"/audit/txn/{w['signed']}"),
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_untranslated_string_on_the_ledger_pages(app, session, ledger_world, language):
    problems = untranslated(app, session, _pages(ledger_world), language)
    assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)


def _get(app, who: str, url: str, language: str = "zh") -> str:
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": who, "password": "demo-pass-2026"}
                       ).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_audit_log_speaks_words_not_codes(app, session, ledger_world):
    contract = ledger_world["contract"]
    html = _get(app, "auditor", "/audit-log/?type=contract")
    assert "签订合同" in html and ">contract.sign<" not in html
    assert f"合同 {contract.number}" in html and f"contract #{contract.id}" not in html
    dept = user(session, "dept")
    assert dept.display_name in html  # who signed, by name
    assert '<option value="contract.sign">签订合同</option>' in html
    html = _get(app, "auditor", "/audit-log/?action=milestone.pay", "en")
    assert "Milestone paid" in html and "Contract signed" not in html.split("<tbody>")[1]


def test_an_amended_budget_shows_as_money(app, session, ledger_world):
    item = ledger_world["item"]
    catalogs.amend_budget(session, user(session, "finance"), item.id, Decimal("520000.00"), "追加预算")
    session.commit()
    html = _get(app, "civil", "/audit-log/?action=catalog_item.amend_budget")
    assert "500,000.00 元" in html and "520,000.00 元" in html


@pytest.mark.parametrize("url", ["/audit-log/?type=spaceship", "/audit-log/?action=tender.fly",
                                 "/audit-log/?type=bid&action=tender.publish"])
def test_an_unknown_filter_is_refused_with_a_message(app, session, ledger_world, url):
    client = app.test_client()
    client.post("/login", data={"username": "auditor", "password": "demo-pass-2026"})
    client.post("/language/zh", data={"next": "/"})
    response = client.get(url)
    assert response.status_code == 422
    assert "请从列表中选择" in response.get_data(as_text=True) \
        or "不属于所选的对象类型" in response.get_data(as_text=True)


def test_ledger_pages_name_accounts_and_metadata_in_words(app, session, ledger_world):
    w = ledger_world
    html = _get(app, "auditor", f"/audit/txn/{w['paid']}")
    assert "购买服务支出" in html and "已承诺预算" in html  # the two legs, in words
    assert f"<code>{w['expense']}</code>" in html  # the beancount name beside
    assert f"合同 {w['contract'].number}" in html  # the committed account's contract
    assert "批准人" in html and user(session, "finance").display_name in html
    assert ">approved_by<" not in html and ">milestone<" not in html
    assert "72,000.00" in html
    html = _get(app, "auditor", f"/audit/account?name={quote(w['committed'])}", "en")
    assert "Committed budget" in html and f"Contract {w['contract'].number}" in html
