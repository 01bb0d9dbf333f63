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


def test_no_untranslated_string_on_the_ledger_pages(app, session, ledger_world):
    for language in ("zh", "en"):  # one world for both: building it is the slow part
        problems = untranslated(app, session, _pages(ledger_world), language)
        assert problems == [], "\n".join(f"{language} {u}: {t}" for u, t in problems)


def _get(app, who: str, url: str, language: str = "zh", status: int = 200) -> str:
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": who, "password": "demo-pass-2026"}
                       ).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_the_pages_speak_words_not_codes(app, session, ledger_world):
    w = ledger_world
    contract = w["contract"]
    # the audit log: actions, objects and people in words, filters as labelled choices
    html = _get(app, "auditor", "/audit-log/?type=contract")
    assert "签订合同" in html and ">sign<" not in html
    assert f"合同 {contract.number}" in html and f"contract #{contract.id}" not in html
    assert user(session, "dept").display_name in html  # who signed, by name
    assert '<option value="contract.sign">签订合同</option>' in html
    html = _get(app, "auditor", "/audit-log/?type=tender")  # a tender by its reference
    assert f"采购项目 {contract.tender.reference}" in html and "确定中标" in html
    csv = _get(app, "auditor", "/audit-log/?type=contract&format=csv")  # the file too
    assert "签订合同" in csv and f"合同 {contract.number}" in csv
    assert user(session, "dept").display_name in csv
    html = _get(app, "auditor", "/audit-log/?action=milestone.pay", "en")
    rows = html.split("<tbody>")[1]
    assert "Milestone paid" in rows and "Contract signed" not in rows
    # an amendment's amounts as money
    catalogs.amend_budget(session, user(session, "finance"), w["item"].id,
                          Decimal("520000.00"), "追加预算")
    session.commit()
    html = _get(app, "civil", "/audit-log/?action=catalog_item.amend_budget")
    assert "500,000.00 元" in html and "520,000.00 元" in html
    # a code the log does not know is refused with a message
    for url, message in (("/audit-log/?type=spaceship", "请从列表中选择"),
                         ("/audit-log/?action=tender.fly", "请从列表中选择"),
                         ("/audit-log/?type=bid&action=tender.publish", "不属于所选的对象类型")):
        assert message in _get(app, "auditor", url, status=422)
    # the ledger: accounts and metadata keys in words, the beancount name beside
    html = _get(app, "auditor", f"/audit/txn/{w['paid']}")
    assert "购买服务支出" in html and "已承诺预算" in html  # the two legs
    assert f"<code>{w['expense']}</code>" in html
    assert f"合同 {contract.number}" in html  # the committed account's contract
    assert "批准人" in html and user(session, "finance").display_name in html
    assert ">approved_by<" not in html and ">milestone<" not in html
    assert "72,000.00" in html
    html = _get(app, "auditor", f"/audit/account?name={quote(w['committed'])}", "en")
    assert "Committed budget" in html and f"Contract {contract.number}" in html
