"""Every registered list downloads as CSV and Excel (market/core/listing.py), as the page's
audience, with the page's rows, headers in the request's language; the public is kept out
of the files of closed pages exactly as it is kept out of the pages."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from flask import template_rendered
from flask_babel import force_locale
from openpyxl import load_workbook

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
    "grading.clearance_list", "experts.draws",
]


def test_the_lists_the_public_and_auditors_see_are_registered(app):
    assert set(EXPECTED) <= set(_entries(app))


@pytest.fixture
def world(app, demo, session):
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
        print("ROWS", entry.endpoint, count)
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
