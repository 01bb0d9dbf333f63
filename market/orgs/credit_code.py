"""统一社会信用代码 — the 18-character unified social credit code (GB 32100-2015).

Layout: position 1 the registration authority (登记管理部门), 2 the organization type,
3–8 the administrative division (行政区划码), 9–17 the organization code (组织机构代码,
GB 11714, its own check digit last), 18 the check character over the first 17.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from market.errors import Invalid

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, …
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

# Authority code -> organization type codes it issues (GB 32100-2015, table 1), loosely.
AUTHORITY_TYPES = {
    "1": "1239",  # 机构编制
    "2": "19",  # 外交
    "3": "123459",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 1 社会团体, 2 民办非企业单位（社会服务机构）, 3 基金会, 9 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商
    "A": "19",  # 中央军委改革和编制办公室
    "N": "12349",  # 农业
    "Y": "1",  # 其他
}
CIVIL_AFFAIRS = "5"

_SHAPE = re.compile(rf"^[{CHARSET}]{{18}}$")


class CreditCodeError(Invalid):
    """A credit code that is not well formed; the message says what is wrong."""


def normalize(code: str | None) -> str:
    """Upper-case and drop the spaces and hyphens people type in codes."""
    return re.sub(r"[\s\-]", "", code or "").upper()


def check_character(first17: str) -> str:
    """The 18th character: weighted sum mod 31 over the code charset."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_code_check_digit(body8: str) -> str:
    """GB 11714 check digit of the 8-character organization code body (0–9 or X)."""
    remainder = 11 - sum(_org_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def validate(code: str | None) -> str:
    """The normalized code, or CreditCodeError saying what is wrong with it."""
    code = normalize(code)
    if len(code) != 18:
        raise CreditCodeError(
            _l("A unified social credit code has 18 characters; this one has %(n)s.",
               n=len(code)), field="credit_code")
    if not _SHAPE.match(code):
        raise CreditCodeError(_l("The credit code may only contain digits and the capital "
                                 "letters A–Y except I, O, S, V and Z."), field="credit_code")
    types = AUTHORITY_TYPES.get(code[0])
    if types is None:
        raise CreditCodeError(_l("The first character of the credit code is not a known "
                                 "registration authority."), field="credit_code")
    if code[1] not in types:
        raise CreditCodeError(_l("The second character of the credit code is not an "
                                 "organization type of its registration authority."),
                              field="credit_code")
    if not code[2:8].isdigit():
        raise CreditCodeError(_l("Characters 3 to 8 of the credit code must be the six-digit "
                                 "administrative division code."), field="credit_code")
    if org_code_check_digit(code[8:16]) != code[16] and not _org_code_exempt(code):
        raise CreditCodeError(_l("The organization code inside the credit code (characters 9 "
                                 "to 17) has a wrong check digit."), field="credit_code")
    if check_character(code[:17]) != code[17]:
        raise CreditCodeError(_l("The credit code's check character is wrong; please check "
                                 "the code for typing errors."), field="credit_code")
    return code


def _org_code_exempt(code: str) -> bool:
    # Individual businesses (个体工商户, 92…) carry no GB 11714 organization code.
    return code[:2] == "92"


def is_valid(code: str | None) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True


def build(authority: str, org_type: str, division: str, org_body: str) -> str:
    """A valid code from its parts, computing both check characters (demo and tests)."""
    first16 = f"{authority}{org_type}{division}{org_body}"
    first17 = first16 + org_code_check_digit(org_body)
    return first17 + check_character(first17)
