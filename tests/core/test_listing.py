"""Every registered list downloads as CSV and Excel (market/core/listing.py), as the page's
audience, with the page's rows, headers in the request's language; the public is kept out
of the files of closed pages exactly as it is kept out of the pages."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from flask import template_rendered
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import func

from market.access.permissions import Role, role_has
from market.core.listing import Column, Listing, exportables, plain
from market.clock import today_local
from market.core.pagination import Page

#: the demo user who stands for each role
DEMO_USER = {Role.CIVIL_AFFAIRS: "civil", Role.TOWN_OFFICER: "town", Role.FINANCE: "finance",
             Role.DEPARTMENT: "dept", Role.ORGANIZATION: "org", Role.EVALUATOR: "evaluator",
             Role.EXPERT: "expert", Role.AUDITOR: "auditor"}


def _viewer(entry) -> str | None:
    """The auditor when the page is theirs, else the first demo user it lets in."""
    if entry.audience is None:
        return None
    roles = [r for r in DEMO_USER if role_has(r, entry.audience)]
    return "auditor" if Role.AUDITOR in roles else DEMO_USER[roles[0]]


def _url(app, session, entry, **extra) -> str:
    params = entry.params(session) if entry.params else {}
    with app.test_request_context():
        from flask import url_for

        return url_for(entry.endpoint, **params, **extra)


def _page_count(app, client, url, entry) -> int:
    """How many rows the page lists, read from its template context while it renders."""
    seen = []

    def record(sender, template, context, **kw):
        if seen:
            return
        if entry.count is not None:
            seen.append(entry.count(context))
        elif isinstance(context.get("page"), Page):
            seen.append(context["page"].total)
        else:
            seen.append(len(context["rows"]))

    with template_rendered.connected_to(record, app):
        response = client.get(url)
    assert response.status_code == 200, url
    return seen[0]


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "CSV must carry the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx_rows(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _header(app, listing, language) -> list[str]:
    with app.test_request_context(), force_locale(language):
        return listing.header()


def _entries(app):
    return {e.endpoint: e for e in exportables(app)}


EXPECTED = [
    "tenders.index", "orgs.public_list", "orgs.registry", "orgs.applications",
    "orgs.annual_reports", "orgs.sanctions", "catalogs.index", "catalogs.detail",
    "contracts.index", "auditlog.index", "auditor.execution", "auditor.account",
    "grants.index", "incubation.index", "grading.notices", "grading.qualified",
    "grading.clearance_list", "experts.draws", "ledger_heads.heads", "policy.rules",
    "disclosure.announcements", "disclosure.payments", "disclosure.cleared",
    "disclosure.search", "complaints.index", "complaints.work", "redflags.index",
    "credit.organization", "grants.round_page", "incubation.detail", "dashboard.index",
]


def test_the_lists_the_public_and_auditors_see_are_registered(app):
    assert set(EXPECTED) <= set(_entries(app))


@pytest.fixture
def world(app, demo, session, clock):
    """The demo, plus a signed contract, a published head and an incubation base with a
    hosted and a graduated organization (lists the demo leaves empty)."""
    from market.auditor.services import publish_head
    from market.incubation import services as incubation
    from tests.factories import budget_item, org_member, signed_contract, user

    signed_contract(session, clock, budget_item(session))
    publish_head(session)
    civil, day = user(session, "civil"), today_local() - dt.timedelta(days=100)
    operator, _ = org_member(session, "测试社工服务中心", grade=4)
    base = incubation.create_base(session, civil, incubation.BaseData(
        "测试培育基地", "city", None, operator.id, 3, ["space"], day - dt.timedelta(days=700)))
    for name in ("在孵社会组织", "已出壳社会组织"):
        org, _ = org_member(session, name)
        stay = incubation.admit(session, civil, base.id, org.id, day)
    incubation.graduate(session, civil, stay.id, today_local())
    session.commit()
    return session


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_registered_list_downloads_in_both_formats(app, world, client, auth, language):
    session = world
    problems = []
    for entry in exportables(app):
        who = _viewer(entry)
        if who:
            auth.login(who)
        client.post(f"/language/{language}", data={"next": "/"})
        url = _url(app, session, entry)
        count = _page_count(app, client, url, entry)
        csv_resp = client.get(_url(app, session, entry, format="csv"))
        rows = _csv_rows(csv_resp.data)  # read the stream before the next request
        xlsx_resp = client.get(_url(app, session, entry, format="xlsx"))
        assert csv_resp.status_code == 200 and xlsx_resp.status_code == 200, entry.endpoint
        today = today_local().isoformat()
        assert f"filename={entry.listing.name}-{today}.csv" in csv_resp.headers["Content-Disposition"]
        assert xlsx_resp.headers["Content-Disposition"].endswith(".xlsx")
        sheet = _xlsx_rows(xlsx_resp.data)
        header = _header(app, entry.listing, language)
        if language == "zh":
            assert header != _header(app, entry.listing, "en"), entry.endpoint
        if rows[0] != header:
            problems.append((entry.endpoint, "csv header", rows[0], header))
        if [str(c) for c in sheet[0]] != header:
            problems.append((entry.endpoint, "xlsx header", sheet[0], header))
        if len(rows) - 1 != count or len(sheet) - 1 != count:
            problems.append((entry.endpoint, "rows", len(rows) - 1, len(sheet) - 1, count))
        if who:
            auth.logout()
    assert problems == []


def test_the_public_gets_no_file_of_a_closed_list(app, world, client):
    closed = [e for e in exportables(app) if e.audience is not None]
    assert closed
    for entry in closed:
        for fmt in ("csv", "xlsx"):
            response = client.get(_url(app, world, entry, format=fmt))
            assert response.status_code in (302, 401, 403), entry.endpoint
            assert not response.data.startswith(b"\xef\xbb\xbf")
            assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_a_role_without_the_permission_gets_no_file(app, world, client, auth):
    auth.login("org")
    for entry in exportables(app):
        if entry.audience is None or role_has(Role.ORGANIZATION, entry.audience):
            continue
        response = client.get(_url(app, world, entry, format="csv"))
        assert response.status_code in (302, 403), entry.endpoint
        assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_an_unknown_format_is_refused_with_a_message(app, world, client):
    response = client.get("/tenders/?format=pdf")
    assert response.status_code == 422
    assert "CSV" in response.get_data(as_text=True)


def test_money_is_a_number_in_excel_and_the_filters_apply(app, world, client):
    client.post("/language/en", data={"next": "/"})
    body = client.get("/contracts/?format=xlsx").get_data()
    book = load_workbook(io.BytesIO(body))
    sheet = book.active
    assert sheet.title == "Contracts" and sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    amount = sheet.cell(row=2, column=header.index("Amount (yuan)") + 1)
    assert amount.value == 240000 and amount.data_type == "n"
    assert amount.number_format == "#,##0.00"
    rows = _csv_rows(client.get("/contracts/?format=csv").get_data())
    assert rows[1][header.index("Amount (yuan)")] == "240000.00"
    everything = _csv_rows(client.get("/tenders/?format=csv").get_data())
    awarded = _csv_rows(client.get("/tenders/?format=csv&status=contracted").get_data())
    assert 1 <= len(awarded) - 1 < len(everything) - 1


def test_the_links_keep_the_filters_and_drop_the_page(app, world, client):
    html = client.get("/tenders/?status=awarded&page=1&fy=2028").get_data(as_text=True)
    links = re.findall(r'href="(/tenders/\?[^"]*format=(?:csv|xlsx)[^"]*)"', html)
    assert len(links) == 2
    for link in links:
        assert "status=awarded" in link and "fy=2028" in link and "page=" not in link


def test_text_that_looks_like_a_formula_is_escaped_in_both_formats(app):
    listing = Listing("x", "X", (Column("Name", lambda r: r[0]),
                                 Column("Amount", lambda r: r[1], money=True)))
    rows = [("=HYPERLINK(\"http://x.example\")", Decimal("-12.50")), ("@cmd", Decimal("3"))]
    with app.test_request_context("/?format=xlsx"):
        book = load_workbook(io.BytesIO(listing.file(lambda: rows).get_data()))
    cells = [[c for c in r] for r in book.active.iter_rows(min_row=2)]
    assert [r[0].value for r in cells] == ["'=HYPERLINK(\"http://x.example\")", "'@cmd"]
    assert all(r[0].data_type == "s" for r in cells)
    assert [r[1].value for r in cells] == [-12.5, 3]  # negative numbers stay numbers
    with app.test_request_context("/?format=csv"):
        body = b"".join(listing.file(lambda: rows).response)
    assert _csv_rows(body)[1] == ["'=HYPERLINK(\"http://x.example\")", "-12.50"]


def test_a_long_list_streams_in_batches_from_its_own_session(app, world):
    from sqlalchemy import select

    from market.auditlog.services import entries
    from market.core import listing as module

    listing = Listing("log", "Log", (Column("Id", lambda e: e.id),
                                     Column("At", lambda e: e.at)))
    total = world.scalar(select(func.count()).select_from(entries().subquery()))
    assert total > 2 * 7
    old, module.BATCH = module.BATCH, 7
    try:
        with app.test_request_context("/?format=csv"):
            chunks = list(listing.file(entries()).response)
    finally:
        module.BATCH = old
    assert len(chunks) >= total // 7  # sent as it is written, not built whole
    rows = _csv_rows(b"".join(chunks))
    assert len(rows) == total + 1 and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[1][1])


def test_a_download_left_halfway_closes_inside_another_request(app, world):
    """A client that leaves mid-download: its stream is closed while another request's
    app context is active, and neither context is disturbed (each batch pushes and pops
    its own)."""
    from flask import current_app

    from market.auditlog.services import entries
    from market.core import listing as module

    listing = Listing("log", "Log", (Column("Id", lambda e: e.id),))
    old, module.BATCH = module.BATCH, 3
    try:
        with app.test_request_context("/?format=csv"):
            stream = iter(listing.file(entries()).response)
        next(stream), next(stream)  # the header and one batch, then the client leaves
        with app.test_request_context("/other"):
            own = current_app._get_current_object()
            stream.close()  # raised "Popped wrong app context" when a context spanned a yield
            assert current_app._get_current_object() is own
            from flask import request
            assert request.path == "/other"
    finally:
        module.BATCH = old


def test_plain_cells():
    import enum

    class Colour(enum.Enum):
        RED = "red"

    moment = dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.timezone.utc)
    assert plain(moment) == "2026-12-02 00:30"  # Beijing time, no zone
    assert plain(dt.date(2026, 1, 2)) == "2026-01-02"
    assert plain(None) == "" and plain(Colour.RED) == "red"
    assert plain(Decimal("1.50")) == Decimal("1.50") and plain(3) == 3
