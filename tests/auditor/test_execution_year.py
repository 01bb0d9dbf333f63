"""The budget execution opens on the current fiscal year by the app clock, not on the
newest (or oldest) year that has a catalog."""
from __future__ import annotations

import re

from market.auditor.views import opening_year
from tests import factories


def _selected(html: str) -> str:
    return re.search(r'<option value="(\d+)" selected>', html).group(1)


def test_execution_opens_on_the_current_fiscal_year(client, auth, demo, session, travel):
    factories.approved_catalog(session, factories.item_data(title="甲"), fiscal_year=2028)
    factories.approved_catalog(session, factories.item_data(title="乙"), fiscal_year=2029)
    auth.login("auditor")
    travel(2028, 6, 1, 4)
    assert _selected(client.get("/audit/").get_data(as_text=True)) == "2028"
    travel(2029, 3, 1, 4)
    assert _selected(client.get("/audit/?lang=en").get_data(as_text=True)) == "2029"
    # An explicit choice still wins.
    assert _selected(client.get("/audit/?fy=2028").get_data(as_text=True)) == "2028"


def test_opening_year_without_a_catalog_for_the_current_year():
    assert opening_year([2029, 2027], 2028) == 2027  # the latest year before it
    assert opening_year([2030, 2029], 2028) == 2029  # else the earliest after it
    assert opening_year([], 2028) == 2028
