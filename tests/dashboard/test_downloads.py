"""The dashboard's tables as CSV and Excel (``?table=years|towns|funds``): the figures the
charts draw, for anyone, in the reader's language; money as numbers in Excel."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from market.dashboard import queries
from market.dashboard.views import FUNDS, TOWNS, YEARS
from tests.core.downloads import both, client_for


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_table_downloads_with_the_pages_figures(app, session, demo, language):
    client = client_for(app, None, language)
    with app.test_request_context(), force_locale(language):
        figures = queries.indicators(session)
        fy = queries.funds_years(session)[0]
        funds = queries.funds(session, fy)
        headers = {name: listing.header() for name, listing in
                   (("years", YEARS), ("towns", TOWNS), ("funds", FUNDS))}
    years, sheet = both(client, "/dashboard/")
    assert years[0] == sheet[0] == headers["years"]
    assert [int(r[0]) for r in years[1:]] == [y.year for y in reversed(figures.years)]
    assert [int(r[1]) for r in years[1:]] == [y.city.registered for y in reversed(figures.years)]
    latest = figures.years[-1]
    towns, sheet = both(client, f"/dashboard/?table=towns&year={latest.year}")
    assert towns[0] == sheet[0] == headers["towns"]
    assert len(towns) - 1 == len(latest.towns) + 1  # every town, then the city
    assert [int(r[1]) for r in towns[1:]] == [a.registered for a in latest.towns] + \
        [latest.city.registered]
    over, sheet = both(client, "/dashboard/?table=town_years")
    assert over[0][1:] == [str(y.year) for y in figures.years] and over[0][0] != "Year"
    assert len(over) - 1 == len(sheet) - 1 == len(latest.towns)
    assert [r[-1] for r in over[1:]] == [str(a.per_10k or "") for a in latest.towns]
    money, sheet = both(client, f"/dashboard/?table=funds&fy={fy}")
    assert money[0] == sheet[0] == headers["funds"] and funds.departments
    assert [Decimal(r[1]) for r in money[1:]] == [d.appropriated for d in funds.departments]
    assert all(isinstance(v, (int, float)) for r in sheet[1:] for v in r[1:])
    html = client.get("/dashboard/").get_data(as_text=True)
    for table in ("years", "town_years", "towns", "funds"):
        assert f"table={table}&amp;format=xlsx" in html


def test_an_unknown_table_falls_back_to_the_years(app, session, demo):
    rows, _ = both(client_for(app, None, "en"), "/dashboard/?table=nope")
    assert rows[0][:2] == ["Year", "Registered organizations"]
