"""One date for the end of a grade's validity, everywhere: the stored ``valid_until`` is
exclusive, so every page shows the last valid day (``last_valid_day``) and never both."""
from __future__ import annotations

import datetime as dt

from market.clock import today_local
from market.grading.grades import record_grade
from market.grading.models import OrgGrade, last_valid_day
from tests.factories import AnnualReportFactory, org_member


def test_profile_catalog_and_standing_show_the_same_last_day(client, auth, demo, session):
    org, member = org_member(session, name="有效期一致测试服务社", username="validity-org")
    AnnualReportFactory(organization=org, year=today_local().year - 1)
    start = today_local() - dt.timedelta(days=30)
    row = record_grade(session, org.id, 4, start)
    session.commit()
    assert isinstance(row, OrgGrade)
    last, exclusive = row.last_day.isoformat(), row.valid_until.isoformat()
    assert row.last_day == last_valid_day(row.valid_until) == row.valid_until - dt.timedelta(1)

    for url in (f"/organizations/{org.id}", f"/organizations/{org.id}?lang=en",
                "/qualified-organizations", "/qualified-organizations?lang=en"):
        html = client.get(url).get_data(as_text=True)
        assert last in html, url
        assert exclusive not in html, url  # never a second, contradicting end date
    auth.login("validity-org")
    html = client.get("/my/standing").get_data(as_text=True)
    assert last in html and exclusive not in html
