"""Read-side queries for catalog pages."""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.orm import Session

from ledger.chain import read_head
from ledger.models import Account, Balance
from market.accounts.models import Department
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus

ZERO = Decimal("0.00")


def public_catalogs(fiscal_year: int | None = None, department_id: int | None = None):
    stmt = select(Catalog).where(Catalog.status == CatalogStatus.APPROVED)
    if fiscal_year:
        stmt = stmt.where(Catalog.fiscal_year == fiscal_year)
    if department_id:
        stmt = stmt.where(Catalog.department_id == department_id)
    return stmt.order_by(Catalog.fiscal_year.desc(), Catalog.department_id)


def department_catalogs(department_id: int):
    return (select(Catalog).where(Catalog.department_id == department_id)
            .order_by(Catalog.fiscal_year.desc()))


def review_queue():
    return (select(Catalog).where(Catalog.status == CatalogStatus.SUBMITTED)
            .order_by(Catalog.submitted_at))


def fiscal_years(session: Session, approved_only: bool = True) -> list[int]:
    stmt = select(Catalog.fiscal_year).distinct().order_by(Catalog.fiscal_year.desc())
    if approved_only:
        stmt = stmt.where(Catalog.status == CatalogStatus.APPROVED)
    return list(session.scalars(stmt))


def catalogs_to_approve(session: Session, user) -> int:
    """Finance's to-do: catalogs submitted and waiting for approval."""
    return session.scalar(select(func.count(Catalog.id)).where(
        Catalog.status == CatalogStatus.SUBMITTED)) or 0


def catalogs_to_finish(session: Session, user) -> int:
    """A department's to-do: its catalogs in draft or returned by finance."""
    return session.scalar(select(func.count(Catalog.id)).where(
        Catalog.department_id == (user.department_id or 0),
        Catalog.status.in_([CatalogStatus.DRAFT, CatalogStatus.RETURNED]))) or 0


# --- The year's budget figures by department (预算执行), for budget execution and the
# --- public dashboard.

# Every account of a budget line has a stable, dotted code (ledger/accounts.py):
#   BUDG.FY<y>.<dept>.<item>.AVAIL | .RESERVE.<tender or grant> | .COMMIT.<contract or grant>
#   EXP.PS.FY<y>.<dept>.<item> (services) | EXP.GR.FY<y>.<dept>.<item> (grants)
#   APPR.FY<y>.<dept> (appropriation) | LAPSE.FY<y>.<dept> (lapsed)
# Department and item codes hold no dot, so a code's segments name its department, item and
# kind. Budget execution reads balances by these code prefixes: one department's accounts are
# an index range (PostgreSQL: the pattern index ``ix_ledger_accounts_code_prefix``), and the
# year's per-department sums are one grouped pass, not one pass per item.
EXPENSE_ROOTS = ("EXP.PS", "EXP.GR")


def year_roots(fiscal_year: int) -> dict[str, str]:
    fy = f"FY{fiscal_year}"
    return {"budget": f"BUDG.{fy}.", **{r: f"{r}.{fy}." for r in EXPENSE_ROOTS},
            "appropriation": f"APPR.{fy}.", "lapsed": f"LAPSE.{fy}."}


@dataclass
class DepartmentFigures:
    """One department's year, summed in SQL: its approved items' budgets and its ledger
    accounts by kind — what the year's totals and reconciliation read."""

    budget: Decimal = ZERO
    reserved: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    available: Decimal = ZERO
    appropriated_in_ledger: Decimal = ZERO
    lapsed_in_ledger: Decimal = ZERO

    @property
    def lapsed(self) -> Decimal:
        return self.budget - self.reserved - self.committed - self.paid - self.available

    @property
    def reconciles(self) -> bool:
        return (self.budget == self.appropriated_in_ledger
                and self.lapsed == self.lapsed_in_ledger)


@dataclass(frozen=True)
class YearFigures:
    """The year over every department with an approved catalog: each one's figures, their
    totals, and how many do not reconcile. Shared between requests: never changed."""

    departments: dict[str, DepartmentFigures]
    totals: dict[str, Decimal]
    unreconciled: int


FIGURE_ATTRS = ("budget", "reserved", "committed", "paid", "available", "lapsed",
                "appropriated_in_ledger", "lapsed_in_ledger")


def year_figures(session: Session, fiscal_year: int) -> YearFigures:
    """The year's figures: two grouped queries however many items and accounts the year
    holds, the ledger's read once per chain head; the figures built once per chain head and
    set of budgets (a province's 2,000 departments took 24 ms of Python per request)."""
    budgets = tuple((code, total) for code, total in session.execute(
        select(Department.code, func.sum(CatalogItem.budget))
        .join(Catalog, Catalog.department_id == Department.id)
        .outerjoin(CatalogItem, CatalogItem.catalog_id == Catalog.id)
        .where(Catalog.fiscal_year == fiscal_year, Catalog.status == CatalogStatus.APPROVED)
        .group_by(Department.code).order_by(Department.code)).all())
    ledger_key, sums = _ledger_by_department(session, fiscal_year)
    key = ("figures", ledger_key, budgets)
    with _YEAR_SUMS_LOCK:
        if key in _YEAR_SUMS:
            _YEAR_SUMS.move_to_end(key)
            return _YEAR_SUMS[key]
    out = {code: DepartmentFigures(budget=total or ZERO) for code, total in budgets}
    kinds = {"AVAIL": "available", "RESERVE": "reserved", "COMMIT": "committed",
             "paid": "paid", "appropriation": "appropriated_in_ledger",
             "lapsed": "lapsed_in_ledger"}
    for (dept_code, kind), total in sums.items():
        figures, attr = out.get(dept_code), kinds.get(kind)
        if figures is None or attr is None:
            continue  # a department without an approved catalog this year
        if attr == "appropriated_in_ledger":
            total = -total  # equity is credited: negative in beancount's convention
        setattr(figures, attr, getattr(figures, attr) + total)
    year = YearFigures(out, {attr: sum((getattr(f, attr) for f in out.values()), ZERO)
                             for attr in FIGURE_ATTRS},
                       sum(not f.reconciles for f in out.values()))
    _remember(key, year)
    return year


def department_figures(session: Session, fiscal_year: int) -> dict[str, DepartmentFigures]:
    """Department code -> its figures for the year (``year_figures``)."""
    return year_figures(session, fiscal_year).departments


def _code_kind(code: str, roots: dict[str, str]) -> tuple[str, str] | None:
    """(department code, kind) of a budget-line account code: the kind is AVAIL, RESERVE
    or COMMIT for budget accounts, else paid, appropriation or lapsed."""
    for root, prefix in roots.items():
        if code.startswith(prefix):
            parts = code[len(prefix):].split(".")
            if root == "budget":
                return (parts[0], parts[2]) if len(parts) > 2 else None
            return parts[0], ("paid" if root in EXPENSE_ROOTS else root)
    return None


#: (database, fiscal year, chain head) -> the year's ledger sums by department and kind;
#: ("figures", that key, the budgets) -> the YearFigures built from them.
_YEAR_SUMS: OrderedDict[tuple, object] = OrderedDict()
_YEAR_SUMS_KEPT = 16
_YEAR_SUMS_LOCK = threading.Lock()


def _remember(key: tuple, value) -> None:
    with _YEAR_SUMS_LOCK:
        _YEAR_SUMS[key] = value
        while len(_YEAR_SUMS) > _YEAR_SUMS_KEPT:
            _YEAR_SUMS.popitem(last=False)


def _ledger_by_department(session: Session, fiscal_year: int
                          ) -> tuple[tuple, dict[tuple[str, str], Decimal]]:
    """(its cache key, (department code, kind) -> the sum of the year's balances).

    Every balance of the year is read — a province holds some 400,000 balance rows, about
    0.4 s on PostgreSQL — so the sums are kept per process for the ledger's chain head:
    balances move only with a journal entry, and every entry moves the head. The head is
    read first, so sums computed while an entry lands are never filed under an older head
    than they contain. (Balance rows edited behind the journal's back are what "Verify
    now" finds; this page reads them again once the head moves.)"""
    head = read_head(session)
    key = (session.get_bind().url.render_as_string(hide_password=True), fiscal_year,
           head.seq, head.hash)
    with _YEAR_SUMS_LOCK:
        if key in _YEAR_SUMS:
            _YEAR_SUMS.move_to_end(key)
            return key, _YEAR_SUMS[key]
    roots = year_roots(fiscal_year)
    sums: dict[tuple[str, str], Decimal] = {}
    if session.get_bind().dialect.name == "postgresql":
        # split_part: the segments in C, grouped by the server (department and item codes
        # hold no dot).
        for root, prefix in roots.items():
            dept = func.split_part(Account.code, ".", 4 if root in EXPENSE_ROOTS else 3)
            kind = (func.split_part(Account.code, ".", 5) if root == "budget"
                    else literal_column("''"))
            for dept_code, kind_name, total in session.execute(
                    select(dept.label("dept"), kind.label("kind"), func.sum(Balance.balance))
                    .join(Balance, Balance.account_id == Account.id)
                    .where(Account.code.startswith(prefix))
                    .group_by(literal_column("dept"), literal_column("kind"))):
                kind_name = kind_name or ("paid" if root in EXPENSE_ROOTS else root)
                sums[(dept_code, kind_name)] = sums.get((dept_code, kind_name), ZERO) + total
    else:
        # SQLite has no split_part: the (small) year's accounts are summed here.
        for code, total in session.execute(
                select(Account.code, func.sum(Balance.balance))
                .join(Balance, Balance.account_id == Account.id)
                .where(or_(*(Account.code.startswith(p) for p in roots.values())))
                .group_by(Account.code)):
            found = _code_kind(code, roots)
            if found is not None:
                sums[found] = sums.get(found, ZERO) + (total or ZERO)
    _remember(key, sums)
    return key, sums
