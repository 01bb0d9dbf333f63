"""What auditors read: budget execution (预算执行) from the ledger's balance rows, and the
drill-down from an account to its transactions and from a transaction to the documents
and catalog item behind it.

Budget execution, per catalog item: budget (after amendments), committed (outstanding), paid, available,
and — once the year is closed — lapsed. Beside them, what venture philanthropy grants
(公益创投资助) account for on each item: reserved (approved, agreement not signed),
committed, paid and released back to the pool (a stopped grant), read from the journal
entries on the grants' own accounts (codes ``...RESERVE.grant-<id>`` and
``...COMMIT.grant-<id>``). Per department the totals are reconciled
against independent ledger accounts: the sum of budgets against the appropriation
equity account, the sum of lapsed amounts against the lapse equity account.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from ledger.accounts import (BudgetLine, appropriation_account, available_account,
                             item_prefix, parse_account)
from ledger.models import Account, Balance, Posting, Transaction
from market.accounts.models import Department
from market.accounts.services import display_names_by_username
from market.auditor import labels
from market.auditor.models import PublishedHead
from market.contracts.queries import contract_numbers
from market.core.listing import local_name
from market.core.pagination import Page, paginate
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus, FiscalYearClose
from market.catalogs.queries import EXPENSE_ROOTS, YearFigures, year_figures, year_roots
from market.funds import budget_line

ZERO = Decimal("0.00")


@dataclass
class GrantFigures:
    """What venture philanthropy grants account for on one catalog item."""

    reserved: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    released: Decimal = ZERO

    @property
    def any(self) -> bool:
        return any((self.reserved, self.committed, self.paid, self.released))


@dataclass
class ItemRow:
    item: CatalogItem
    line: BudgetLine
    budget: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    reserved: Decimal = ZERO  # 预留 — held by published tenders and approved grants
    grants: GrantFigures = field(default_factory=GrantFigures)

    @property
    def lapsed(self) -> Decimal:
        return self.budget - self.reserved - self.committed - self.paid - self.available

    @property
    def available_account(self) -> str:
        return available_account(self.line).name

    @property
    def prefix(self) -> str:
        return item_prefix(self.line)


@dataclass
class DepartmentRow:
    catalog: Catalog
    items: list[ItemRow] = field(default_factory=list)
    appropriated_in_ledger: Decimal = ZERO
    lapsed_in_ledger: Decimal = ZERO
    appropriation_account: str = ""
    lapsed_account: str = ""

    def total(self, attr: str) -> Decimal:
        return sum((getattr(r, attr) for r in self.items), ZERO)

    @property
    def grant_items(self) -> list[ItemRow]:
        return [r for r in self.items if r.grants.any]

    @property
    def reconciles(self) -> bool:
        return (self.total("budget") == self.appropriated_in_ledger
                and self.total("lapsed") == self.lapsed_in_ledger)


@dataclass
class Execution:
    """The departments shown (all, or one page of them) and the year over every
    department: its totals and whether each department reconciles."""

    fiscal_year: int
    closed: bool
    departments: list[DepartmentRow]
    year: YearFigures | None = None
    page: Page | None = None  # None: every department is shown
    search: str = ""

    def total(self, attr: str) -> Decimal:
        """The year's total of ``attr`` over every department, shown or not."""
        return self.year.totals[attr] if self.year else ZERO

    @property
    def reconciles(self) -> bool:
        return self.year is None or self.year.unreconciled == 0

    @property
    def unreconciled(self) -> int:
        """How many departments of the year do not reconcile."""
        return self.year.unreconciled if self.year else 0


def _department_balances(session: Session, fiscal_year: int,
                         dept_codes: list[str] | None) -> dict[str, tuple[str, Decimal]]:
    """Account code -> (name, balance) of the departments' accounts for the year (every
    department's when ``dept_codes`` is None)."""
    roots = year_roots(fiscal_year)
    if dept_codes == []:
        return {}
    if dept_codes is None:
        where = or_(*(Account.code.startswith(p) for p in roots.values()))
    else:
        where = or_(*(Account.code.startswith(f"{roots[r]}{d}.", autoescape=True)
                      for d in dept_codes for r in ("budget", *EXPENSE_ROOTS)),
                    Account.code.in_([f"{roots[r]}{d}" for d in dept_codes
                                      for r in ("appropriation", "lapsed")]))
        # The accounts first (index ranges), then their balances by key: joined in one
        # statement, PostgreSQL hashed every balance row of the ledger (12 of 20 ms).
        accounts = {i: (code, name) for i, code, name in session.execute(
            select(Account.id, Account.code, Account.name).where(where))}
        out = {code: (name, ZERO) for code, name in accounts.values()}
        if accounts:
            for account_id, total in session.execute(
                    select(Balance.account_id, func.sum(Balance.balance))
                    .where(Balance.account_id.in_(list(accounts)))
                    .group_by(Balance.account_id)):
                code, name = accounts[account_id]
                out[code] = (name, total or ZERO)
        return out
    return {code: (name, total or ZERO) for code, name, total in session.execute(
        select(Account.code, Account.name, func.sum(Balance.balance))
        .join(Balance, Balance.account_id == Account.id)
        .where(where).group_by(Account.code, Account.name))}


def _item_row(item: CatalogItem, by_item: dict[str, dict[str, Decimal]]) -> ItemRow:
    line = budget_line(item)
    figures = by_item.get(item.code, {})
    return ItemRow(item, line, item.budget, figures.get("committed", ZERO),
                   figures.get("paid", ZERO), figures.get("available", ZERO),
                   figures.get("reserved", ZERO))


def _by_item(balances_by_code: dict[str, tuple[str, Decimal]], fiscal_year: int
             ) -> dict[str, dict[str, dict[str, Decimal]]]:
    """dept code -> item code -> kind -> sum, from the codes' segments."""
    roots = year_roots(fiscal_year)
    out: dict[str, dict[str, dict[str, Decimal]]] = {}
    for code, (_name, total) in balances_by_code.items():
        for root in ("budget", *EXPENSE_ROOTS):
            if code.startswith(roots[root]):
                dept, item, *rest = code[len(roots[root]):].split(".")
                kind = "paid" if root != "budget" else {
                    "AVAIL": "available", "RESERVE": "reserved", "COMMIT": "committed",
                }.get(rest[0] if rest else "", "")
                if kind:
                    figures = out.setdefault(dept, {}).setdefault(item, {})
                    figures[kind] = figures.get(kind, ZERO) + total
                break
    return out


GRANT_MARK = ".grant-"


def _grant_figures(session: Session, fiscal_year: int,
                   dept_codes: list[str] | None) -> dict[str, GrantFigures]:
    """Item prefix -> its grants' figures: balances of the grants' accounts, and the flows
    out of them (into an expense: paid; back to the item's Available: released)."""
    if dept_codes == []:
        return {}
    budget = year_roots(fiscal_year)["budget"]
    heads = [budget] if dept_codes is None else [f"{budget}{d}." for d in dept_codes]
    grant_account = (or_(*(Account.code.startswith(h, autoescape=True) for h in heads))
                     & Account.code.contains(GRANT_MARK))
    touched = (select(Posting.transaction_id).join(Account, Account.id == Posting.account_id)
               .where(grant_account))
    legs: dict[int, list[tuple[str, str, Decimal]]] = {}
    for txn, name, code, amount in session.execute(
            select(Posting.transaction_id, Account.name, Account.code, Posting.amount)
            .join(Account, Account.id == Posting.account_id)
            .where(Posting.transaction_id.in_(touched))):
        legs.setdefault(txn, []).append((name, code, amount))
    out: dict[str, GrantFigures] = {}
    for rows in legs.values():
        for name, code, amount in rows:
            if GRANT_MARK not in code:
                continue
            prefix = name.rsplit(":", 2)[0]
            figures = out.setdefault(prefix, GrantFigures())
            if ".COMMIT." in code:
                figures.committed += amount
            else:
                figures.reserved += amount
            if amount < 0 and not any(a > 0 and GRANT_MARK in c for _, c, a in rows):
                if any(a > 0 and n.startswith("Expenses:") for n, _, a in rows):
                    figures.paid -= amount
                else:
                    figures.released -= amount
    return out


def budget_execution(session: Session, fiscal_year: int, page: int | None = None,
                     size: int | None = None, search: str = "") -> Execution:
    """The year's budget execution: every department with an approved catalog (``page``
    None), or one page of ``size`` departments — optionally those whose name or code holds
    ``search`` — with the year's totals and reconciliation over every department either
    way. A page costs the same few queries at a dozen departments or two thousand."""
    stmt = (select(Catalog).join(Department, Department.id == Catalog.department_id)
            .where(Catalog.fiscal_year == fiscal_year,
                   Catalog.status == CatalogStatus.APPROVED)
            .options(selectinload(Catalog.items), selectinload(Catalog.department))
            .order_by(Catalog.department_id, Catalog.id))
    if search:
        stmt = stmt.where(or_(*(column.contains(search, autoescape=True) for column in (
            Department.code, Department.name_zh, Department.name_en))))
    if page is None or size is None:
        shown, catalogs, codes = None, list(session.scalars(stmt)), None
    else:
        shown = paginate(session, stmt, page, size)
        catalogs, codes = shown.items, [c.department.code for c in shown.items]
    balances_by_code = _department_balances(session, fiscal_year, codes)
    by_item = _by_item(balances_by_code, fiscal_year)
    grants = _grant_figures(session, fiscal_year, codes)
    roots = year_roots(fiscal_year)
    appropriation, lapsed = roots["appropriation"], roots["lapsed"]
    rows = []
    for catalog in catalogs:
        dept_code = catalog.department.code
        row = DepartmentRow(catalog=catalog)
        row.items = [_item_row(item, by_item.get(dept_code, {})) for item in catalog.items]
        for item_row in row.items:
            item_row.grants = grants.get(item_row.prefix, GrantFigures())
        if row.items:
            dept = row.items[0].line.dept
            row.appropriation_account = appropriation_account(fiscal_year, dept).name
            # Lapsed accounts open when the year closes: no link to one the ledger lacks.
            name, total = balances_by_code.get(f"{lapsed}{dept_code}", ("", ZERO))
            row.lapsed_account = name
            row.lapsed_in_ledger = total
            # Equity is credited: its balance is negative in beancount's sign convention.
            row.appropriated_in_ledger = -balances_by_code.get(
                f"{appropriation}{dept_code}", ("", ZERO))[1]
        rows.append(row)
    closed = session.scalar(select(FiscalYearClose.id).where(
        FiscalYearClose.fiscal_year == fiscal_year)) is not None
    return Execution(fiscal_year, closed, rows, year_figures(session, fiscal_year),
                     shown, search)


# Drill-down into the journal.

@dataclass
class AccountLine:
    txn: Transaction
    amount: Decimal


def account_history(session: Session, account: str, page: int, size: int
                    ) -> tuple[Account | None, list[AccountLine], int]:
    acct = session.scalar(select(Account).where(Account.name == account))
    if acct is None:
        return None, [], 0
    total = session.scalar(select(func.count(Posting.id)).where(Posting.account_id == acct.id)) or 0
    rows = session.execute(
        select(Transaction, Posting.amount)
        .join(Posting, Posting.transaction_id == Transaction.id)
        .where(Posting.account_id == acct.id)
        .order_by(Transaction.seq.desc())
        .offset((page - 1) * size).limit(size)).all()
    return acct, [AccountLine(t, a) for t, a in rows], total


def account_lines(session: Session, acct: Account) -> list[AccountLine]:
    """Every line of an account's history, newest first (the downloaded list)."""
    rows = session.execute(
        select(Transaction, Posting.amount)
        .join(Posting, Posting.transaction_id == Transaction.id)
        .where(Posting.account_id == acct.id)
        .order_by(Transaction.seq.desc())).all()
    return [AccountLine(t, a) for t, a in rows]


@dataclass
class TransactionView:
    txn: Transaction
    postings: list[tuple[str, Decimal]]
    catalog_item: CatalogItem | None
    reversed_by: int | None
    accounts: dict[str, str] = field(default_factory=dict)  # account name -> words
    meta: list[tuple[str, str, str]] = field(default_factory=list)  # key, words, value
    links: dict[str, str] = field(default_factory=dict)  # link -> words


def transaction(session: Session, seq: int) -> TransactionView | None:
    txn = session.scalar(select(Transaction).where(Transaction.seq == seq))
    if txn is None:
        return None
    postings = [(name, amount) for name, amount in session.execute(
        select(Account.name, Posting.amount).join(Posting, Posting.account_id == Account.id)
        .where(Posting.transaction_id == txn.id).order_by(Posting.id))]
    code = (txn.meta or {}).get("catalog_item")
    item = session.scalar(select(CatalogItem).where(CatalogItem.code == code)) if code else None
    reversed_by = session.scalar(select(Transaction.seq).where(Transaction.reverses_seq == txn.seq))
    return TransactionView(txn, postings, item, reversed_by,
                           account_words(session, (name for name, _ in postings)),
                           meta_rows(session, txn.meta), link_words(session, txn.links))


# Accounts and metadata in words (科目名称).

def _code_id(code: str | None, prefix: str) -> int | None:
    if code and code.startswith(prefix) and code[len(prefix):].isdigit():
        return int(code[len(prefix):])
    return None


def account_words(session: Session, names) -> dict[str, str]:
    """account name -> its words in the reader's language (``可用预算 · 2026年度 · 民政局 ·
    社区居家养老``): the kind and fiscal year from the name's structure, the department by
    its stable code (in the reader's language), the item by its title, a contract by its
    number. Names outside the structure are left out (shown as they are). Four queries."""
    names = set(names)
    if not names:
        return {}
    accounts = {a.name: a for a in session.scalars(select(Account).where(Account.name.in_(names)))}
    metas = {n: (accounts[n].meta or {}) if n in accounts else {} for n in names}
    dept_codes = {m["dept"] for m in metas.values() if m.get("dept")}
    depts = {d.code: d for d in session.scalars(
        select(Department).where(Department.code.in_(dept_codes)))} if dept_codes else {}
    numbers = contract_numbers(session, {i for m in metas.values()
                                         if (i := _code_id(m.get("contract"), "contract-"))})
    out = {}
    for name in names:
        parts, meta = parse_account(name), metas[name]
        kind = labels.account_kind_label(parts.kind)
        if kind is None:
            continue
        dept = depts.get(meta.get("dept", ""))
        words = [kind, labels.fiscal_year_label(parts.fy),
                 local_name(dept) if dept else parts.dept]
        if parts.item:
            words.append(meta.get("item-name") or parts.item)
        if parts.unit:
            code = meta.get("contract") or meta.get("tender") or ""
            unit = labels.unit_label(code, numbers)
            if unit is None and meta.get("tender-name"):
                unit = labels.tender_label(meta["tender-name"])
            words.append(unit or parts.unit)
        out[name] = " · ".join(w for w in words if w)
    return out


def meta_rows(session: Session, meta: dict | None) -> list[tuple[str, str, str]]:
    """(key, words for the key, value) of a transaction's metadata; a username is shown as
    the person's display name."""
    meta = meta or {}
    people = display_names_by_username(
        session, {v for k, v in meta.items() if k in labels.PERSON_KEYS})
    return [(k, labels.meta_key_label(k),
             people.get(v, v) if k in labels.PERSON_KEYS else v) for k, v in meta.items()]


def link_words(session: Session, links) -> dict[str, str]:
    """ledger link -> words, for the links that name a contract (its number)."""
    ids = {i for link in links or () if (i := _code_id(link, "contract-"))}
    numbers = contract_numbers(session, ids)
    return {f"contract-{i}": labels.unit_label(f"contract-{i}", numbers) or "" for i in numbers}


# The published chain heads (公布的链头).

def published_heads():
    """Every published head, newest first (the public history's statement)."""
    return select(PublishedHead).order_by(PublishedHead.day.desc())


def latest_published_head(session: Session) -> PublishedHead | None:
    return session.scalar(published_heads().limit(1))
