"""Registered residents through the form (civil affairs only; refusals change nothing; a
second entry replaces the figure, audit-logged), and purchase funds read from the ledger
as the auditors' budget execution reads them."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from market.accounts.models import Town
from market.auditlog.models import AuditEntry
from market.auditor.queries import budget_execution
from market.clock import today_local
from market.dashboard import queries
from market.dashboard.models import TownPopulation
from tests.factories import approved_catalog, item_data, new_tender
from tests.probes import row_counts, trail


def _town(session, code="BC") -> Town:
    return session.scalar(select(Town).where(Town.code == code))


def _figure(session, town_id: int, year: int):
    session.expire_all()
    return session.scalar(select(TownPopulation.residents).where(
        TownPopulation.town_id == town_id, TownPopulation.year == year))


def test_civil_affairs_enters_and_corrects_a_figure(app, session, demo, client, auth):
    town = _town(session)
    year = today_local().year
    session.execute(TownPopulation.__table__.delete().where(
        TownPopulation.town_id == town.id, TownPopulation.year == year))
    session.commit()
    auth.login("civil")
    assert client.get("/dashboard/population").status_code == 200
    response = client.post("/dashboard/population", data={
        "town_id": town.id, "year": year, "residents": "76543"})
    assert response.status_code == 302
    assert _figure(session, town.id, year) == 76543
    row = session.scalar(select(TownPopulation).where(TownPopulation.town_id == town.id,
                                                      TownPopulation.year == year))
    assert client.post("/dashboard/population", data={
        "town_id": town.id, "year": year, "residents": "80000"}).status_code == 302
    assert _figure(session, town.id, year) == 80000
    assert trail(session, "town_population", row.id) == [
        ("set", None, "76543", f"BC {year}"), ("set", "76543", "80000", f"BC {year}")]
    assert "80,000" in client.get("/dashboard/population").get_data(as_text=True)
    assert "80,000" in client.get("/dashboard/").get_data(as_text=True)


@pytest.mark.parametrize("form, status, message", [
    ({"year": "{next_year}", "residents": "1000"}, 422, "Enter a year from"),
    ({"year": "1800", "residents": "1000"}, 400, "Enter a year such as 2025."),
    ({"year": "{year}", "residents": "0"}, 400, "at least 1"),
    ({"year": "{year}", "residents": "many"}, 400, "Not a valid integer value."),
    ({"year": "{year}", "residents": ""}, 400, "This field is required."),
    ({"year": "{year}", "residents": "1000", "town_id": "999999"}, 400, "Not a valid choice"),
])
def test_bad_figures_are_refused_and_nothing_changes(app, session, demo, client, auth, form,
                                                     status, message):
    town = _town(session)
    this_year = today_local().year
    data = {"town_id": str(town.id)}
    data.update({k: v.format(year=this_year - 1, next_year=this_year + 1)
                 for k, v in form.items()})
    before = row_counts(session, TownPopulation, AuditEntry)
    figure = _figure(session, town.id, this_year - 1)
    auth.login("civil")
    client.post("/language/en", data={"next": "/"})
    response = client.post("/dashboard/population", data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert row_counts(session, TownPopulation, AuditEntry) == before
    assert _figure(session, town.id, this_year - 1) == figure


@pytest.mark.parametrize("who", [None, "dept", "finance", "auditor", "org"])
def test_only_civil_affairs_may_enter_figures(app, session, demo, client, auth, who):
    town = _town(session)
    year = today_local().year - 1
    before = row_counts(session, TownPopulation, AuditEntry)
    if who:
        auth.login(who)
    response = client.post("/dashboard/population", data={
        "town_id": town.id, "year": year, "residents": "1"})
    assert response.status_code in ((302,) if who is None else (403,))
    assert row_counts(session, TownPopulation, AuditEntry) == before
    assert _figure(session, town.id, year) != 1


def test_demo_populations_cover_every_town_and_year(app, session, demo):
    with app.test_request_context():
        figures = queries.indicators(session)
    latest = figures.years[-1]
    assert latest.missing_population == []
    assert latest.city.residents == sum(t.population for t in session.scalars(select(Town)))
    assert latest.city.per_10k == (D(latest.city.registered) * 10000
                                   / latest.city.residents).quantize(D("0.01"))


def test_funds_by_department_are_the_ledger_figures(app, session, demo, clock):
    first, second = approved_catalog(session, item_data(budget="500000.00"),
                                     item_data(budget="200000.00", title="社区心理服务"),
                                     fiscal_year=2028)
    new_tender(session, clock, item=first, ceiling_price="300000.00")
    funds = queries.funds(session, 2028)
    assert [(f.department.code, f.appropriated, f.reserved, f.committed, f.paid)
            for f in funds.departments] == [
        ("WJW", D("700000.00"), D("300000.00"), D("0.00"), D("0.00"))]
    assert 2028 in queries.funds_years(session)
    # The demo's current year, with contracts and payments: the auditors' figures.
    for year in queries.funds_years(session):
        execution = budget_execution(session, year)
        ours = queries.funds(session, year)
        assert [(f.department.id, f.appropriated, f.reserved, f.committed, f.paid)
                for f in ours.departments] == [
            (d.catalog.department_id, d.appropriated_in_ledger, d.total("reserved"),
             d.total("committed"), d.total("paid")) for d in execution.departments]


def test_the_service_refuses_without_the_permission_and_an_unknown_town(app, session, demo):
    from market.dashboard import services
    from market.errors import Forbidden, NotFound
    from tests.factories import user

    town = _town(session)
    before = row_counts(session, TownPopulation, AuditEntry)
    with app.test_request_context():
        with pytest.raises(Forbidden):
            services.set_population(session, user(session, "finance"), town.id, 2020, 5)
        with pytest.raises(NotFound):
            services.set_population(session, user(session, "civil"), 999999, 2020, 5)
    session.rollback()
    assert row_counts(session, TownPopulation, AuditEntry) == before
