"""The portal's lists as CSV and Excel (market/core/listing.py): the announcements with
their filters, the payments, the clearance list and the search results, for anyone, in
the reader's language, with the page's rows."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from market.contracts.models import Milestone, MilestoneStatus
from market.disclosure import queries
from market.disclosure.labels import Kind
from market.disclosure.views import CLEARED
from tests.core.downloads import both, client_for


@pytest.mark.parametrize("language, header", [("zh", "日期"), ("en", "Date")])
def test_the_announcements_download_with_their_filters(app, session, showcase, language,
                                                       header):
    client = client_for(app, None, language)
    everything, _ = both(client, "/announcements/")
    tenders, sheet = both(client, f"/announcements/?type={Kind.TENDER.value}&q=服务")
    assert everything[0][0] == header and sheet[0][0] == header
    with app.test_request_context():
        found = queries.announcements_page(
            session, queries.AnnouncementFilters(kind=Kind.TENDER.value, q="服务"), 1, 1000)
    assert 1 <= found.total == len(tenders) - 1 == len(sheet) - 1 < len(everything) - 1
    assert [r[2] for r in tenders[1:]] == [a.title for a in found.items]
    assert all(r[5].startswith("http://localhost/tenders/") for r in tenders[1:])


def test_the_payments_download_with_amounts_as_numbers(app, session, showcase):
    paid = list(session.scalars(select(Milestone).where(
        Milestone.status == MilestoneStatus.PAID)))
    assert paid
    rows, sheet = both(client_for(app, None, "en"), "/portal/payments")
    assert rows[0] == ["Date", "Payee", "Contract", "Milestone", "Amount (yuan)"]
    assert len(rows) - 1 == len(sheet) - 1 == len(paid)
    assert sorted(Decimal(r[4]) for r in rows[1:]) == sorted(m.amount for m in paid)
    assert all(isinstance(r[4], (int, float)) for r in sheet[1:])


def test_the_clearance_list_and_the_search_results_download(app, session, showcase):
    import datetime as dt

    from market.grading.models import ClearanceDecision, ClearanceOutcome, ClearanceReason
    from market.orgs.models import Organization
    from tests.factories import user

    civil = user(session, "civil")
    orgs = list(session.scalars(select(Organization).order_by(Organization.id).limit(2)))
    for org, outcome in ((orgs[0], ClearanceOutcome.CLEARED), (orgs[1], ClearanceOutcome.KEPT)):
        session.add(ClearanceDecision(organization_id=org.id,
                                      reason=ClearanceReason.NEVER_EVALUATED,
                                      reason_key="test", outcome=outcome, note="内部备注",
                                      as_of=dt.date(2026, 6, 1), decided_by_id=civil.id))
    session.commit()
    client = client_for(app)
    with app.test_request_context():
        cleared = queries.all_cleared(session)
        hits = queries.all_hits(session, "服务")
    rows, sheet = both(client, "/portal/cleared")
    with app.test_request_context(), force_locale("zh"):
        assert rows[0] == sheet[0] == CLEARED.header() != ["Organization", "Reason", "Date"]
    assert 1 <= len(rows) - 1 == len(sheet) - 1 == len(cleared)
    assert [r[0] for r in rows[1:]] == [org.name for _d, org in cleared] == [orgs[0].name]
    assert "内部备注" not in str(rows) + str(sheet)  # the decision's note is not public
    found, sheet = both(client, "/search?q=服务")
    assert len(hits) >= 2 and len(found) - 1 == len(sheet) - 1 == len(hits)
    assert {r[1] for r in found[1:]} == {h.title for h in hits}
    empty, _ = both(client, "/search")
    assert len(empty) == 1  # no query, no results: the header only
