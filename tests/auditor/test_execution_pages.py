"""Budget execution pages by department: every page shows the whole year's totals, which
equal the sums over every department's rows; a page reads only its departments' accounts;
the year's sums follow each new journal entry; the department search; the public
dashboard's funds agree with the auditors' figures."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from ledger import operations
from ledger.accounts import Unit
from market import funds
from market.auditor.queries import budget_execution
from market.catalogs.models import CatalogItem
from market.catalogs.queries import department_figures
from market.scale import Plan, seed_scale

TODAY = dt.date(2026, 11, 20)
ATTRS = ("budget", "reserved", "committed", "paid", "available", "lapsed")
D = Decimal


@pytest.fixture
def year(app, session):
    """Twenty-three departments with tenders, contracts and payments (seed-scale)."""
    plan = dataclasses.replace(Plan.scaled(60), departments=23, items=46)
    with app.app_context():
        seed_scale(session, plan, seed=11, today=TODAY)
        session.commit()
    return TODAY.year


def _every_row(session, fy):
    whole = budget_execution(session, fy)
    return whole, [r for d in whole.departments for r in d.items]


def test_the_year_totals_are_the_sums_of_every_departments_rows(year, session):
    whole, rows = _every_row(session, year)
    assert len(whole.departments) == 23 and whole.page is None
    for attr in ATTRS:
        assert whole.total(attr) == sum((getattr(r, attr) for r in rows), D("0.00")), attr
    assert whole.total("paid") > 0 and whole.total("committed") > 0
    assert whole.reconciles and all(d.reconciles for d in whole.departments)
    # per department, the SQL sums equal the rows' sums
    figures = department_figures(session, year)
    for d in whole.departments:
        own = figures[d.catalog.department.code]
        for attr in ATTRS:
            assert getattr(own, attr) == d.total(attr), (d.catalog.department.code, attr)
        assert own.appropriated_in_ledger == d.appropriated_in_ledger


def test_pages_split_the_departments_and_keep_the_year_totals(year, session):
    whole, _rows = _every_row(session, year)
    seen = []
    for number in (1, 2, 3):
        page = budget_execution(session, year, number, 10)
        assert page.page.total == 23
        seen += [d.catalog.id for d in page.departments]
        for attr in ATTRS:
            assert page.total(attr) == whole.total(attr)
        # the rows of a page are the whole year's rows of its departments
        expected = {d.catalog.id: [(r.item.id, *(getattr(r, a) for a in ATTRS), r.grants)
                                   for r in d.items] for d in whole.departments}
        for d in page.departments:
            assert [(r.item.id, *(getattr(r, a) for a in ATTRS), r.grants)
                    for r in d.items] == expected[d.catalog.id]
    assert seen == [d.catalog.id for d in whole.departments]
    assert budget_execution(session, year, 4, 10).departments == []


def test_a_new_entry_moves_the_year_totals(year, session):
    before = budget_execution(session, year, 1, 10)
    item = session.scalar(select(CatalogItem).order_by(CatalogItem.id.desc()))
    line = funds.budget_line(item)
    room = funds.item_funds(session, item).available
    assert room >= D("1000.00")
    operations.commit(session, TODAY, line, Unit("contract-9999"), D("1000.00"))
    session.commit()
    after = budget_execution(session, year, 1, 10)
    assert after.total("committed") == before.total("committed") + D("1000.00")
    assert after.total("available") == before.total("available") - D("1000.00")
    assert after.reconciles


def test_the_page_in_both_languages_with_its_pager_and_search(year, app, client, auth, session):
    app.config["EXECUTION_DEPARTMENTS_PER_PAGE"] = 10
    whole, _rows = _every_row(session, year)
    auth.login("auditor")
    zh = client.get(f"/audit/?fy={year}").get_data(as_text=True)
    assert "第 1–10 个部门，共 23 个" in zh and "全年度合计" in zh and "与账本核对一致" in zh
    total_paid = f"{whole.total('paid'):,.2f}"
    assert total_paid in zh
    client.post("/language/en", data={"next": "/"})
    last = client.get(f"/audit/?fy={year}&page=3").get_data(as_text=True)
    assert "Departments 21–23 of 23" in last and "Total of the year" in last
    assert total_paid in last
    third = whole.departments[20].catalog.department
    assert third.name_en in last and whole.departments[0].catalog.department.name_en not in last
    found = client.get(f"/audit/?fy={year}&q={third.code}").get_data(as_text=True)
    assert "Departments 1–1 of 1" in found and third.name_en in found
    client.post("/language/zh", data={"next": "/"})
    none = client.get(f"/audit/?fy={year}&q=%25no-such%25").get_data(as_text=True)
    assert "没有与“%no-such%”匹配的部门" in none
    # the download holds every department's items, whatever the page
    csv = client.get(f"/audit/?fy={year}&page=2&format=csv").get_data(as_text=True)
    assert len(csv.strip().splitlines()) == 1 + sum(len(d.items) for d in whole.departments)


def test_the_page_reads_the_same_queries_for_one_department_or_all(year, app, client, auth):
    """The year's sums are read once per chain head; a page's own queries do not grow
    with its departments."""
    from sqlalchemy import event

    from market.catalogs import queries

    queries._YEAR_SUMS.clear()  # another test may have read this very journal
    auth.login("auditor")
    engine = app.extensions["db_engine"]
    counts = []

    def count(*_args):
        counts[-1] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        for size in (10, 1, 10):  # the first also reads the year's sums
            app.config["EXECUTION_DEPARTMENTS_PER_PAGE"] = size
            counts.append(0)
            assert client.get(f"/audit/?fy={year}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    warm, one, ten = counts
    assert one == ten > 0 and warm > one


def test_the_dashboard_funds_agree_with_budget_execution(year, session):
    from market.dashboard.queries import funds as public_funds

    whole, _rows = _every_row(session, year)
    ours = public_funds(session, year)
    assert [(f.department.id, f.appropriated, f.reserved, f.committed, f.paid)
            for f in ours.departments] == [
        (d.catalog.department_id, d.appropriated_in_ledger, d.total("reserved"),
         d.total("committed"), d.total("paid")) for d in whole.departments]
    assert re.fullmatch(r"S\d{4}", ours.departments[0].department.code)
