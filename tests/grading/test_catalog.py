"""The qualified-organization catalog: who is in it (the same source as the tenders' 3A+
priority), filters, and the CSV / Excel exports read back."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from openpyxl import load_workbook
from sqlalchemy import select

from market.clock import today_local
from market.grading import catalog
from market.grading.grades import has_priority, record_grade
from market.grading.models import OrgGrade
from market.orgs.enums import Category, InspectionResult, OrgStatus
from market.orgs.models import Organization
from tests.factories import AnnualReportFactory, org_member

HEADER_ZH = ["名称", "统一社会信用代码", "评估等级", "等级有效期至", "类别", "所在区镇"]


def _member(session, *args, **kwargs):
    """org_member in good standing: last year's annual report accepted."""
    org, user_ = org_member(session, *args, **kwargs)
    AnnualReportFactory(organization=org, year=today_local().year - 1)
    session.commit()
    return org, user_


def _orgs(session):
    four, _ = _member(session, grade=4, name="目录测试四星养老服务中心")
    three, _ = _member(session, grade=3, name="目录测试三星社区服务社")
    two, _ = _member(session, grade=2, name="目录测试二星志愿者协会")
    suspended, _ = _member(session, grade=5, name="目录测试暂停活动的基金会")
    suspended.status = OrgStatus.SUSPENDED
    downgraded, _ = _member(session, grade=4, name="目录测试被降级的服务社")
    record_grade(session, downgraded.id, 2, today_local() - dt.timedelta(days=10),
                 source="downgrade")
    expired, _ = _member(session, name="目录测试等级过期的协会")
    record_grade(session, expired.id, 5, today_local() - dt.timedelta(days=5 * 366))
    science, _ = _member(session, grade=5, name="目录测试五星科技服务中心")
    science.category = Category.SCIENCE
    session.commit()
    return dict(four=four, three=three, two=two, suspended=suspended, downgraded=downgraded,
                expired=expired, science=science)


def _in_good_standing(session, org, day):
    """The rule read independently of the catalog's query: no sanction in force, latest
    annual report accepted and at most two years old."""
    from market.orgs.sanctions import sanctions_in_force

    latest = max(org.annual_reports, key=lambda r: r.year, default=None)
    return (not sanctions_in_force(session, org, day) and latest is not None
            and latest.result in (InspectionResult.PASS, InspectionResult.BASIC_PASS)
            and latest.year >= day.year - 2)


def test_the_catalog_is_exactly_the_orgs_with_tender_priority(app, demo, session):
    today = today_local()
    demo_ids = catalog.qualified_ids(session, today)  # the demo's graded organizations
    orgs = _orgs(session)
    ids = catalog.qualified_ids(session, today)
    assert ids - demo_ids == {orgs["four"].id, orgs["three"].id, orgs["science"].id}
    for org in session.query(Organization):
        expected = (org.status == OrgStatus.ACTIVE and has_priority(session, org.id, today)
                     and _in_good_standing(session, org, today))
        assert (org.id in ids) == expected, org.name
    # The same holds at the instant a tender's bids close (grade_at reads a datetime too).
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    assert catalog.qualified_ids(session, deadline) == {
        o.id for o in session.query(Organization)
        if o.status == OrgStatus.ACTIVE and has_priority(session, o.id, deadline)
        and _in_good_standing(session, o, today_local())}


def test_filters_and_pagination(app, demo, session, client):
    orgs = _orgs(session)
    filters = catalog.Filters(category="science", q="目录测试")
    assert [o.id for o, *_ in session.execute(catalog.qualified(today_local(), filters))] == \
        [orgs["science"].id]
    assert [o.id for o, *_ in session.execute(catalog.qualified(
        today_local(), catalog.Filters(min_grade=4, q="目录测试")))] == [orgs["science"].id, orgs["four"].id]
    assert [o.id for o, *_ in session.execute(catalog.qualified(
        today_local(), catalog.Filters(q="目录测试三星")))] == [orgs["three"].id]
    rows, total = catalog.page(session, today_local(), catalog.Filters(q="目录测试"), 2, 2)
    assert total == 3 and [o.id for o, *_ in rows] == [orgs["three"].id]
    page = client.get("/qualified-organizations?category=charity&q=目录测试").get_data(as_text=True)
    assert "目录测试四星养老服务中心" in page and "目录测试三星社区服务社" in page
    assert "目录测试五星科技服务中心" not in page and "目录测试二星志愿者协会" not in page
    assert "目录测试暂停活动的基金会" not in page and "目录测试被降级的服务社" not in page


def test_csv_export_reads_back_in_excel_friendly_utf8(app, demo, session, client):
    orgs = _orgs(session)
    client.post("/language/zh", data={"next": "/"})
    response = client.get("/qualified-organizations.csv?q=目录测试")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADER_ZH
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"目录测试四星养老服务中心", "目录测试三星社区服务社", "目录测试五星科技服务中心"}
    four = by_name["目录测试四星养老服务中心"]
    grade_row = orgs["four"]
    assert four[1] == grade_row.credit_code and four[2] == "4A"
    valid_until = session.scalar(select(OrgGrade.valid_until).where(
        OrgGrade.organization_id == grade_row.id))
    assert four[3] == (valid_until - dt.timedelta(days=1)).isoformat()  # the last valid day
    assert four[4] == "公益慈善类"
    assert [r[0] for r in rows[1:]][0] == "目录测试五星科技服务中心"  # best grade first
    # The filters apply to the export too.
    filtered = client.get("/qualified-organizations.csv?category=science&q=目录测试").get_data()
    assert [r[0] for r in csv.reader(io.StringIO(filtered.decode("utf-8-sig")))][1:] == \
        ["目录测试五星科技服务中心"]


def test_xlsx_export_reads_back(app, demo, session, client):
    _orgs(session)
    client.post("/language/zh", data={"next": "/"})
    response = client.get("/qualified-organizations.xlsx?q=目录测试")
    assert response.status_code == 200
    assert "spreadsheetml" in response.mimetype
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert list(rows[0]) == HEADER_ZH
    assert {r[0] for r in rows[1:]} == {"目录测试四星养老服务中心", "目录测试三星社区服务社", "目录测试五星科技服务中心"}
    assert {r[2] for r in rows[1:]} == {"5A", "4A", "3A"}
    client.post("/language/en", data={"next": "/"})
    english = load_workbook(io.BytesIO(client.get("/qualified-organizations.xlsx?q=目录测试").get_data()))
    assert [c.value for c in english.active[1]] == [
        "Name", "Unified social credit code", "Grade", "Grade valid until", "Category",
        "Town or district"]


# --- good standing (issue 10, part 11) --------------------------------------------------------

def _in_catalog(client, org) -> bool:
    """Whether the catalog page (searched by name) lists ``org`` (a row links its profile)."""
    page = client.get(f"/qualified-organizations?q={org.name}").get_data(as_text=True)
    return f'href="/organizations/{org.id}"' in page


def test_a_sanction_keeps_an_organization_out_through_its_last_day(app, demo, session,
                                                                   client, travel):
    from market.orgs import sanctions
    from tests.factories import user

    travel(2026, 5, 10, 2)
    org, _ = org_member(session, grade=4, name="目录处罚测试中心")
    AnnualReportFactory(organization=org, year=2025)
    sanctions.record_sanction(session, user(session, "civil"), org.id, kind="suspension",
                              imposed_on=dt.date(2026, 5, 10), ends_on=dt.date(2026, 6, 9),
                              authority="昆山市民政局", reason="限期停止活动一个月")
    session.commit()
    travel(2026, 5, 9, 2)
    assert _in_catalog(client, org)
    travel(2026, 5, 10, 2)
    assert not _in_catalog(client, org)
    travel(2026, 6, 9, 2)
    assert not _in_catalog(client, org)
    travel(2026, 6, 10, 2)
    assert _in_catalog(client, org)


@pytest.mark.parametrize("reports,listed", [
    ([(2025, InspectionResult.PASS)], True),
    ([(2025, InspectionResult.BASIC_PASS)], True),
    ([(2024, InspectionResult.PASS)], True),  # the year before last: still the latest due
    ([(2023, InspectionResult.PASS)], False),  # three years old
    ([(2024, InspectionResult.PASS), (2025, InspectionResult.FAIL)], False),
    ([(2024, InspectionResult.PASS), (2025, None)], False),  # latest not yet inspected
    ([], False),
])
def test_the_latest_annual_report_must_be_accepted_and_recent(app, demo, session, client,
                                                             travel, reports, listed):
    travel(2026, 5, 10, 2)
    org, _ = org_member(session, grade=3, name="目录年检测试协会", reports=False)
    for year, result in reports:
        AnnualReportFactory(organization=org, year=year, result=result)
    session.commit()
    assert _in_catalog(client, org) == listed
    assert (org.id in catalog.qualified_ids(session, dt.date(2026, 5, 10))) == listed


def test_suspended_and_cleared_organizations_are_not_listed(app, demo, session, client):
    org, _ = _member(session, grade=5, name="目录状态测试")
    assert _in_catalog(client, org)
    for status in (OrgStatus.SUSPENDED, OrgStatus.CLEARED):
        org.status = status
        session.commit()
        assert not _in_catalog(client, org)


def test_exports_escape_formula_cells(app, demo, session, client):
    names = ['=HYPERLINK("http://x.example","目录公式")', "+目录公式加", "-目录公式减",
             "@目录公式at"]
    for name in names:
        _member(session, grade=4, name=name)
    rows = list(csv.reader(io.StringIO(client.get("/qualified-organizations.csv?q=目录公式")
                                       .get_data().decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows[1:]) == sorted("'" + n for n in names)
    sheet = load_workbook(io.BytesIO(client.get("/qualified-organizations.xlsx?q=目录公式")
                                     .get_data())).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert sorted(sheet.cell(row=r, column=1).value for r in range(2, 6)) == \
        sorted("'" + n for n in names)
