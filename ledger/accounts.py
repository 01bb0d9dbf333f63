"""Account names for budgetary (encumbrance) accounting, per fiscal year, department,
catalog item and contract.

=================================================  =====================================
``Equity:Appropriation:FY2026:<Dept>``             预算拨款 — what finance appropriated
``Assets:Budget:FY2026:<Dept>:<Item>:Available``   可用预算 — budget not yet committed
``Assets:Budget:FY2026:<Dept>:<Item>:Reserved:<T>``   预留 — a published tender's ceiling
``Assets:Budget:FY2026:<Dept>:<Item>:Committed:<C>``  已承诺 — encumbered by contract/grant
``Expenses:PublicServices:FY2026:<Dept>:<Item>``   购买服务支出 — paid to service contracts
``Expenses:Grants:FY2026:<Dept>:<Item>``           公益创投资助 — paid as grants/rewards
``Equity:Lapsed:FY2026:<Dept>``                    结余收回 — budget lapsed at year end
=================================================  =====================================

A component is built from a human name (beancount 3 accepts Chinese below the first
level) by :func:`component`; the stable ASCII code of every account is kept in the
``code`` column and in the ``open`` directive's metadata. Accounts are resolved by code, so
renaming a department later does not fork its accounts.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ledger.errors import InvalidAccountName, InvalidText
from ledger.rules import is_guarded_name, is_valid_account, is_valid_component

UNIT_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*")
SERVICES = "PublicServices"
GRANTS = "Grants"
EXPENSE_KINDS = {SERVICES: "PS", GRANTS: "GR"}
MAX_COMPONENT = 60


@dataclass(frozen=True)
class Unit:
    """Something with a stable code and an optional human name: a department (职能部门),
    a catalog item (采购目录项目), a contract (合同) or a grant (资助)."""

    code: str
    name: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not UNIT_CODE_RE.fullmatch(self.code):
            raise InvalidText(
                f"code {self.code!r} must be ASCII letters, digits, '-' or '_'", code=self.code
            )


@dataclass(frozen=True)
class BudgetLine:
    """One catalog item's budget for a fiscal year (财政年度) in a department."""

    fy: int
    dept: Unit
    item: Unit


@dataclass(frozen=True)
class AccountSpec:
    """An account to post to, opened on first use: its name, stable code and metadata."""

    name: str
    code: str
    meta: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def guarded(self) -> bool:
        return is_guarded_name(self.name)


# Account names are built for every posting and for every row of the auditor's pages, from
# a small set of codes and names: the pure helpers below are memoized (bounded).
@lru_cache(maxsize=65536)
def _sanitize_name(name: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFKC", name):
        cat = unicodedata.category(ch)
        if ch.isascii():
            keep = ch.isalnum()
        else:
            keep = cat[0] == "L" or cat == "Nd"
        out.append(ch if keep else "-")
    comp = re.sub(r"-+", "-", "".join(out)).strip("-")[:MAX_COMPONENT].strip("-")
    if comp and comp[0].isascii() and comp[0].islower():
        comp = comp[0].upper() + comp[1:]
    return comp


@lru_cache(maxsize=65536)
def component(code: str, name: str | None = None) -> str:
    """A valid beancount account component for a coded, named unit.

    The human name when it yields one (``社区居家养老 (试点)`` -> ``社区居家养老-试点``),
    else the code with its first letter capitalised (``contract-42`` -> ``Contract-42``).
    """
    if name:
        comp = _sanitize_name(name)
        if comp and is_valid_component(comp):
            return comp
    comp = _sanitize_name(code)
    if not comp or not is_valid_component(comp):
        raise InvalidAccountName(f"no account component can be made from {code!r}", code=code)
    return comp


def _unit(u: Unit) -> str:
    return component(u.code, u.name)


def _fy(fy: int) -> str:
    if not isinstance(fy, int) or not 1900 <= fy <= 9999:
        raise InvalidAccountName(f"fiscal year {fy!r} out of range")
    return f"FY{fy}"


def _spec(name: str, code: str, **meta: str | None) -> AccountSpec:
    if not is_valid_account(name):
        raise InvalidAccountName(f"invalid account name {name!r}", account=name)
    clean = {k.replace("_", "-"): v for k, v in meta.items() if v}
    return AccountSpec(name, code, clean)


def appropriation_account(fy: int, dept: Unit) -> AccountSpec:
    return _spec(f"Equity:Appropriation:{_fy(fy)}:{_unit(dept)}", f"APPR.FY{fy}.{dept.code}",
                 fy=str(fy), dept=dept.code, dept_name=dept.name)


def lapsed_account(fy: int, dept: Unit) -> AccountSpec:
    return _spec(f"Equity:Lapsed:{_fy(fy)}:{_unit(dept)}", f"LAPSE.FY{fy}.{dept.code}",
                 fy=str(fy), dept=dept.code, dept_name=dept.name)


def _line_meta(line: BudgetLine) -> dict[str, str | None]:
    return dict(fy=str(line.fy), dept=line.dept.code, dept_name=line.dept.name,
                item=line.item.code, item_name=line.item.name)


def item_prefix(line: BudgetLine) -> str:
    """``Assets:Budget:FY2026:<Dept>:<Item>`` — the prefix of all of a line's budget money."""
    return f"Assets:Budget:{_fy(line.fy)}:{_unit(line.dept)}:{_unit(line.item)}"


def dept_prefix(fy: int, dept: Unit) -> str:
    return f"Assets:Budget:{_fy(fy)}:{_unit(dept)}"


def available_account(line: BudgetLine) -> AccountSpec:
    code = f"BUDG.FY{line.fy}.{line.dept.code}.{line.item.code}.AVAIL"
    return _spec(f"{item_prefix(line)}:Available", code, kind="available", **_line_meta(line))


def reserved_account(line: BudgetLine, tender: Unit) -> AccountSpec:
    """预留/冻结 — the budget a published tender holds, between Available and Committed."""
    code = f"BUDG.FY{line.fy}.{line.dept.code}.{line.item.code}.RESERVE.{tender.code}"
    return _spec(f"{item_prefix(line)}:Reserved:{_unit(tender)}", code, kind="reserved",
                 tender=tender.code, tender_name=tender.name, **_line_meta(line))


def committed_account(line: BudgetLine, contract: Unit) -> AccountSpec:
    code = f"BUDG.FY{line.fy}.{line.dept.code}.{line.item.code}.COMMIT.{contract.code}"
    return _spec(f"{item_prefix(line)}:Committed:{_unit(contract)}", code, kind="committed",
                 contract=contract.code, contract_name=contract.name, **_line_meta(line))


def expense_account(line: BudgetLine, kind: str = SERVICES) -> AccountSpec:
    if kind not in EXPENSE_KINDS:
        raise InvalidAccountName(f"expense kind must be one of {sorted(EXPENSE_KINDS)}")
    code = f"EXP.{EXPENSE_KINDS[kind]}.FY{line.fy}.{line.dept.code}.{line.item.code}"
    name = f"Expenses:{kind}:{_fy(line.fy)}:{_unit(line.dept)}:{_unit(line.item)}"
    return _spec(name, code, kind="expense", **_line_meta(line))


#: What an account is, read from its name (the kinds of the table above).
APPROPRIATION, LAPSED, AVAILABLE, RESERVED, COMMITTED = (
    "appropriation", "lapsed", "available", "reserved", "committed")
EXPENSE_SERVICES, EXPENSE_GRANTS = "expense_services", "expense_grants"


@dataclass(frozen=True)
class AccountParts:
    """An account name taken apart: its kind, fiscal year and the components naming the
    department, catalog item and contract (or tender, grant ...) — None where the kind
    has none. ``kind`` is None for a name outside the structure above."""

    kind: str | None
    fy: int | None = None
    dept: str | None = None
    item: str | None = None
    unit: str | None = None


def parse_account(name: str) -> AccountParts:
    """``Assets:Budget:FY2026:民政局:社区居家养老:Committed:Contract-7`` ->
    (committed, 2026, 民政局, 社区居家养老, Contract-7); the inverse of the builders above."""
    parts = name.split(":")
    fy = None
    if len(parts) > 2 and re.fullmatch(r"FY\d{4}", parts[2]):
        fy = int(parts[2][2:])
    head = tuple(parts[:2])
    if fy is None:
        return AccountParts(None)
    if head in (("Equity", "Appropriation"), ("Equity", "Lapsed")) and len(parts) == 4:
        kind = APPROPRIATION if head[1] == "Appropriation" else LAPSED
        return AccountParts(kind, fy, parts[3])
    if head[0] == "Expenses" and head[1] in EXPENSE_KINDS and len(parts) == 5:
        kind = EXPENSE_SERVICES if head[1] == SERVICES else EXPENSE_GRANTS
        return AccountParts(kind, fy, parts[3], parts[4])
    if head == ("Assets", "Budget"):
        if len(parts) == 6 and parts[5] == "Available":
            return AccountParts(AVAILABLE, fy, parts[3], parts[4])
        if len(parts) == 7 and parts[5] in ("Reserved", "Committed"):
            kind = RESERVED if parts[5] == "Reserved" else COMMITTED
            return AccountParts(kind, fy, parts[3], parts[4], parts[6])
    return AccountParts(None, fy)
