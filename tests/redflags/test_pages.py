"""The red-flags page through HTTP: auditors (and civil affairs, read only) see the flags
with their evidence links, counts per kind and filters; an auditor marks a flag reviewed
with a note (audit-logged), a missing note or a second review changes nothing; the pages
in both languages."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.redflags.models import FlagReview
from tests import factories
from tests.probes import untranslated

PAGE = "/audit/red-flags/"


@pytest.fixture
def short_tenders(app, demo, session, clock):
    """Two FY2028 tenders published with 10 days for bids (the open minimum is 20)."""
    item = factories.budget_item(session)
    return [factories.new_tender(session, clock, item=item, ceiling_price="100000.00")
            for _ in range(2)]


def review_url(tender) -> str:
    return f"{PAGE}review?key={quote(f'short_period:t{tender.id}')}"


def counts(session):
    reviews = session.scalar(select(func.count(FlagReview.id)))
    entries = session.scalar(select(func.count(AuditEntry.id))
                             .where(AuditEntry.object_type == "red_flag"))
    return reviews, entries


def test_auditors_see_flags_with_evidence_links_and_counts(client, auth, short_tenders):
    first, second = short_tenders
    auth.login("auditor")
    page = client.get(f"{PAGE}?fy=2028").get_data(as_text=True)
    for t in short_tenders:
        assert t.reference in page and f'href="/tenders/{t.id}"' in page
        assert f'href="/audit/red-flags/review?key=short_period:t{t.id}"' in page
    assert "等标期短于最低要求" in page and "10.0" in page
    # the filters: another kind, another year, a department, reviewed ones
    assert first.reference not in client.get(f"{PAGE}?fy=2028&kind=near_ceiling").get_data(
        as_text=True)
    assert first.reference not in client.get(f"{PAGE}?fy=2027").get_data(as_text=True)
    other = first.department_id + 1
    assert first.reference not in client.get(f"{PAGE}?fy=2028&department={other}").get_data(
        as_text=True)
    assert first.reference not in client.get(f"{PAGE}?state=reviewed").get_data(as_text=True)
    # the auditor's home shows the count of flags not reviewed
    assert "未复核的风险提示" in client.get("/home").get_data(as_text=True)


def test_civil_affairs_reads_but_does_not_review_others_are_kept_out(client, auth, session,
                                                                     short_tenders):
    first = short_tenders[0]
    auth.login("civil")
    page = client.get(f"{PAGE}?fy=2028").get_data(as_text=True)
    assert first.reference in page and "/audit/red-flags/review" not in page
    assert client.get(review_url(first)).status_code == 403
    assert client.post(review_url(first), data={"note": "看过"}).status_code == 403
    auth.logout()
    auth.login("dept")
    assert client.get(PAGE).status_code == 403
    auth.logout()
    assert "/login" in client.get(PAGE).headers["Location"]
    assert counts(session) == (0, 0)


def test_mark_reviewed_with_a_note(client, auth, session, short_tenders):
    first, second = short_tenders
    auth.login("auditor")
    # no note: refused, nothing written
    response = client.post(review_url(first), data={"note": "  "})
    assert response.status_code == 400 and "请写明" in response.get_data(as_text=True)
    assert counts(session) == (0, 0)
    # an unknown flag
    assert client.post(f"{PAGE}review?key=short_period:t999999",
                       data={"note": "看过"}).status_code == 404
    assert client.get(review_url(first)).status_code == 200
    response = client.post(review_url(first), data={"note": "已核对公告时间，系系统测试数据。"})
    assert response.status_code == 302
    assert counts(session) == (1, 1)
    review = session.scalar(select(FlagReview))
    assert review.key == f"short_period:t{first.id}" and review.kind == "short_period"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.object_type == "red_flag"))
    assert entry.actor_name == "auditor" and entry.object_id == review.id
    assert entry.to_state == "reviewed" and "已核对公告时间" in entry.reason
    # a second review of the same flag: refused, nothing more written
    assert client.post(review_url(first), data={"note": "再看一次"}).status_code == 409
    assert counts(session) == (1, 1)
    # shown as reviewed, and filterable
    reviewed = client.get(f"{PAGE}?fy=2028&state=reviewed").get_data(as_text=True)
    assert first.reference in reviewed and second.reference not in reviewed
    assert "已核对公告时间" in reviewed
    still_open = client.get(f"{PAGE}?fy=2028&state=open").get_data(as_text=True)
    assert second.reference in still_open and first.reference not in still_open


@pytest.mark.parametrize("language", ["zh", "en"])
def test_pages_in_both_languages(app, client, auth, session, short_tenders, language):
    first, second = short_tenders
    auth.login("auditor")
    client.post(review_url(first), data={"note": "已核对。"})
    auth.logout()
    pages = [("auditor", PAGE), ("auditor", f"{PAGE}?fy=2028&state=reviewed"),
             ("auditor", review_url(first)), ("auditor", review_url(second)),
             ("auditor", "/home"), ("civil", PAGE)]
    assert untranslated(app, session, pages, language) == []


def test_the_filtered_list_downloads_as_csv_and_excel(client, auth, session, short_tenders):
    first, second = short_tenders
    auth.login("auditor")
    client.post(review_url(first), data={"note": "=已核对"})
    old = client.get(f"{PAGE}export.csv?fy=2028&state=reviewed&page=2")
    assert old.status_code == 302  # the former address leads to the list's own file
    assert old.headers["Location"] == f"{PAGE}?fy=2028&state=reviewed&format=csv"
    html = client.get(f"{PAGE}?fy=2028&state=reviewed").get_data(as_text=True)
    assert f'href="{PAGE}?fy=2028&amp;state=reviewed&amp;format=xlsx"' in html
    response = client.get(f"{PAGE}?fy=2028&state=reviewed&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert "等标期短于最低要求" in text and f"short_period:t{first.id}" in text
    assert f"short_period:t{second.id}" not in text
    assert "'=已核对" in text  # a note that looks like a formula stays text
    assert f"/tenders/{first.id}" in text
    response = client.get(f"{PAGE}export.xlsx?fy=2028", follow_redirects=True)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and {r[1] for r in rows[1:]} == {f"short_period:t{t.id}"
                                                           for t in short_tenders}
    auth.logout()
    auth.login("dept")
    assert client.get(f"{PAGE}export.csv").status_code == 403
    assert client.get(f"{PAGE}?format=csv").status_code == 403
