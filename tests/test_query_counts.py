"""The listed pages run the same number of SQL queries for 5 rows as for 50 (issue 13,
part 4): a query per row (N+1) grows with the data and fails here.

Each case builds its rows in a fresh database, counts the statements one request sends
(``before_cursor_execute`` on the app's engine) and compares the two sizes. The page size
is raised above 50 so every row is on the page.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event

from tests import factories
from tests.factories import org_members, user

SIZES = (5, 50)


@contextmanager
def counted(app):
    statements: list[str] = []
    engine = app.extensions["db_engine"]

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _queries(app, client, auth, who: str | None, url: str) -> int:
    if who:
        auth.login(who)
    client.get(url)  # warm: first-request caches (babel, policy) are not the page's queries
    with counted(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if who:
        auth.logout()
    return len(statements)


def _bidders(session, n: int):
    return [member for _org, member in org_members(session, n, grade=3)]


# The first rows come from the demo department, the rest from another (one catalog per
# department and year).
DEPARTMENTS = ("dept", "dept-mzj")
YEAR = 2030  # a fiscal year the demo leaves empty


def _items(session, step: int, n: int, title: str, budget: str, *, year: int = YEAR,
           department: str | None = None):
    from market.catalogs import services as catalogs

    department = department or DEPARTMENTS[step]
    dept, finance = user(session, department), user(session, "finance")
    catalog = catalogs.create_catalog(session, dept, year)
    items = [catalogs.add_item(session, dept, catalog.id,
                               factories.item_data(title=f"{title}{i}", budget=budget))
             for i in range(n)]
    catalogs.submit_catalog(session, dept, catalog.id)
    catalogs.approve_catalog(session, finance, catalog.id)
    for item in items:  # 采购意向, public long enough for tenders to be published
        catalogs.publish_intention(session, dept, item.id, item.title, f"{year}-06")
        item.intention_published_at -= dt.timedelta(days=400)
    session.commit()
    return items, department


def _published_tenders(session, clock, step: int, n: int, size: int) -> None:
    items, dept = _items(session, step, n, "社区健康宣教服务", "400000.00")
    for item in items:
        factories.new_tender(session, clock, item=item, dept_user=dept)


def _catalog_items(session, clock, step: int, n: int, size: int) -> None:
    _items(session, step, n, "社区服务项目", "100000.00")


def _opened_tender(session, clock, step: int, n: int, size: int) -> str:
    """A new tender with ``size`` bids each time."""
    (item,), _dept = _items(session, step, 1, "社区健康宣教服务", "900000.00",
                            year=YEAR + step, department="dept")
    bidders = _bidders(session, size)
    tender = factories.opened_tender(
        session, clock, item,
        [(b, Decimal("200000.00") + i) for i, b in enumerate(bidders)])
    return f"/tenders/{tender.id}"


def _organizations(session, clock, step: int, n: int, size: int) -> None:
    org_members(session, n, grade=3)


CASES = {
    # page: (who, url or builder returning the url, builder)
    "public tender list, filtered": (None, "/tenders/?status=accepting_bids&fy=2030", _published_tenders),
    "tenders I can bid on": ("org", "/tenders/for-me", _published_tenders),
    "organization list": (None, "/organizations/", _organizations),
    "auditor budget execution": ("auditor", "/audit/?fy=2030", _catalog_items),
    "tender page with its opened bids": ("dept", None, _opened_tender),
}


@pytest.mark.parametrize("page", list(CASES))
def test_query_count_does_not_grow_with_rows(app, demo, session, clock, client, auth,
                                             database_url, page):
    """Counted on one database: the page at 5 rows, then 45 more rows, the page at 50."""
    app.config["PAGE_SIZE"] = 100
    who, url, build = CASES[page]
    counts = []
    built = 0
    for step, size in enumerate(SIZES):
        made = build(session, clock, step, size - built, size)
        built = size
        url = made or url
        session.commit()
        counts.append(_queries(app, client, auth, who, url))
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries at 5 rows, {counts[1]} at 50"
    assert counts[0] > 0
