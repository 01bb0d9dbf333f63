"""统一社会信用代码 (GB 32100-2015) with the GB 11714 organization-code check inside."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from market.orgs import credit_code as uscc
from tests.factories import kunshan_code

# Published codes of real organizations (and the standard's own example).
REAL = ["91350100M000100Y43", "9144030071526726XG", "91330100716105852F",
        "91110000802100433B"]


@pytest.mark.parametrize("value", REAL)
def test_real_codes_are_valid(value):
    assert uscc.validate(value) == value


def test_built_codes_are_valid_and_normalized():
    value = kunshan_code(7)
    assert uscc.is_valid(value)
    spaced = f" {value[:6].lower()} {value[6:12]}-{value[12:]} "
    assert uscc.validate(spaced) == value


def test_check_character_examples():
    assert uscc.check_character("9144030071526726X") == "G"
    assert uscc.org_code_check_digit("71526726") == "X"
    assert uscc.org_code_check_digit("M000100Y") == "4"


def _message(value: str, app) -> str:
    with app.test_request_context():
        with pytest.raises(uscc.CreditCodeError) as info:
            uscc.validate(value)
        return str(info.value.message)


def _with_last(value: str, char: str) -> str:
    return value[:17] + char


@pytest.mark.parametrize("mutate, expected", [
    (lambda c: _with_last(c, "0" if c[17] != "0" else "1"), "校验码"),
    (lambda c: c[:17], "18 位"),
    (lambda c: c + "1", "18 位"),
    (lambda c: c[:10] + "I" + c[11:], "字母"),
    (lambda c: c[:10] + "O" + c[11:], "字母"),
    (lambda c: "0" + c[1:], "登记管理部门"),
    (lambda c: c[0] + "7" + c[2:], "机构类别"),
    (lambda c: c[:2] + "32A583" + c[8:], "行政区划"),
])
def test_bad_codes_are_refused_with_a_chinese_message(app, mutate, expected):
    assert expected in _message(mutate(kunshan_code(3)), app)


def test_wrong_organization_code_check_digit(app):
    good = kunshan_code(5)
    wrong_digit = "0" if good[16] != "0" else "1"
    first17 = good[:16] + wrong_digit
    bad = first17 + uscc.check_character(first17)  # only the inner check digit is wrong
    assert "组织机构代码" in _message(bad, app)


@given(st.text(alphabet=uscc.CHARSET, min_size=8, max_size=8),
       st.sampled_from("123"), st.integers(0, 17), st.integers(1, 30))
def test_any_single_substitution_is_detected(body, type_char, position, shift):
    value = uscc.build("5", type_char, "320583", body)
    assert uscc.is_valid(value)
    replaced = uscc.CHARSET[(uscc.CHARSET.index(value[position]) + shift) % 31]
    assert not uscc.is_valid(value[:position] + replaced + value[position + 1:])
