"""Account names: readable in Chinese, always accepted by beancount, stable codes."""
from __future__ import annotations

import pytest

from ledger import errors
from ledger.accounts import (
    GRANTS,
    BudgetLine,
    Unit,
    appropriation_account,
    available_account,
    committed_account,
    component,
    expense_account,
    lapsed_account,
)
from ledger.rules import is_committed_name, is_guarded_name, is_valid_account
from tests.ledger.support import ELDER, load_text


@pytest.mark.parametrize("code, name, expected", [
    ("SQ01", "社区居家养老", "社区居家养老"),
    ("SQ01", "社区居家养老 (试点)", "社区居家养老-试点"),
    ("SQ01", "社区居家养老（试点）", "社区居家养老-试点"),
    ("SQ01", "“阳光”助残·服务", "阳光-助残-服务"),
    ("X1", "youth_work 2026", "Youth-work-2026"),
    ("X1", "１２３ 全角", "123-全角"),
    ("contract-42", None, "Contract-42"),
    ("ht_2026_001", "   ", "Ht-2026-001"),
    ("X1", "!!!", "X1"),
])
def test_component(code, name, expected):
    assert component(code, name) == expected


def test_unit_codes_are_ascii_identifiers():
    with pytest.raises(errors.InvalidText):
        Unit("民政局")
    with pytest.raises(errors.InvalidText):
        Unit("a.b")


def test_names_follow_the_chart():
    c = Unit("HT-7", "养老服务合同")
    assert appropriation_account(2026, ELDER.dept).name == "Equity:Appropriation:FY2026:民政局"
    assert available_account(ELDER).name == "Assets:Budget:FY2026:民政局:社区居家养老:Available"
    assert committed_account(ELDER, c).name == (
        "Assets:Budget:FY2026:民政局:社区居家养老:Committed:养老服务合同")
    assert expense_account(ELDER).name == "Expenses:PublicServices:FY2026:民政局:社区居家养老"
    assert expense_account(ELDER, GRANTS).name.startswith("Expenses:Grants:FY2026:")
    assert lapsed_account(2026, ELDER.dept).name == "Equity:Lapsed:FY2026:民政局"
    assert committed_account(ELDER, c).code == "BUDG.FY2026.MZJ.SQ01.COMMIT.HT-7"
    assert is_guarded_name(available_account(ELDER).name)
    assert is_committed_name(committed_account(ELDER, c).name)
    assert not is_committed_name(available_account(ELDER).name)
    assert not is_guarded_name(expense_account(ELDER).name)


NAMES = ["“阳光”助残·服务", "社区居家养老（试点）", "Ⅱ期 项目", "ñandú", "a", "٣ arabic digit",
         "emoji 😀 name", "tab\tname", "x" * 200]


@pytest.mark.parametrize("name", NAMES)
def test_every_generated_account_loads_in_beancount(name):
    line = BudgetLine(2026, Unit("D1", name), Unit("I1", name))
    specs = [available_account(line), committed_account(line, Unit("C1", name)),
             expense_account(line), appropriation_account(2026, line.dept)]
    text = 'option "operating_currency" "CNY"\n' + "".join(
        f"2026-01-01 open {s.name} CNY\n" for s in specs)
    entries, errs = load_text(text)
    assert errs == [] and len(entries) == len(specs)
    assert all(is_valid_account(s.name) for s in specs)


def test_chinese_directly_under_a_root_is_invalid():
    assert not is_valid_account("Assets:银行")
    assert is_valid_account("Assets:Budget:银行")
    assert not is_valid_account("Assets:Budget:a中")


def test_parse_account_reads_back_what_the_builders_write():
    """An account's kind, year and units, read from its name (the auditors' pages name
    accounts in words from this); a name outside the structure has no kind."""
    from ledger import accounts as la

    line = la.BudgetLine(2026, la.Unit("MZJ", "民政局"), la.Unit("SQ01", "社区居家养老"))
    contract, tender = la.Unit("contract-7"), la.Unit("tender-3", "KS-MZJ-2026-001")
    cases = {
        la.appropriation_account(2026, line.dept).name: (la.APPROPRIATION, None, None),
        la.lapsed_account(2026, line.dept).name: (la.LAPSED, None, None),
        la.available_account(line).name: (la.AVAILABLE, "社区居家养老", None),
        la.reserved_account(line, tender).name: (la.RESERVED, "社区居家养老", "KS-MZJ-2026-001"),
        la.committed_account(line, contract).name: (la.COMMITTED, "社区居家养老", "Contract-7"),
        la.expense_account(line).name: (la.EXPENSE_SERVICES, "社区居家养老", None),
        la.expense_account(line, la.GRANTS).name: (la.EXPENSE_GRANTS, "社区居家养老", None),
    }
    for name, (kind, item, unit) in cases.items():
        parts = la.parse_account(name)
        assert (parts.kind, parts.fy, parts.dept, parts.item, parts.unit) == \
            (kind, 2026, "民政局", item, unit), name
    for name in ("Liabilities:Payable:MZJ", "Assets:Budget:FY2026:民政局:社区居家养老:Other",
                 "Equity:Appropriation:2026:民政局"):
        assert la.parse_account(name).kind is None, name
