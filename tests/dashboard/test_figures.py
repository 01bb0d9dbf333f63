"""The dashboard's figures against values computed by hand on a small seeded registry.

Two towns (A, B), today 2023-06-30, base year 2020 (the rule overridden), so the years are
2020, 2021, 2022 and 2023 (read on 30 June). The registry:

=====  ====  ==========  =========  ===============================================
org    town  registered  status     grades / notes
=====  ====  ==========  =========  ===============================================
o1     A     2019-05-01  active     3A valid 2020-03-01 .. 2025-03-01
o2     A     2020-12-31  active     none (counts on its registration day, 31 Dec)
o3     A     2021-01-01  cleared    cleared 2022-08-01 (audit log); 4A from 2021-06-01
o4     B     2018-01-01  suspended  2A 2019-01-01 .. 2024-01-01; revoked (0) from 2022-01-01,
                                    recorded later, so it wins from 2022
o5     B     2021-03-01  active     filed (备案): counted apart
o6     B     2023-07-01  active     registered after today: not yet counted
o7     B     —           pending    never counted
o8     B     2019-01-01  cleared    no clearance date recorded: never counted
=====  ====  ==========  =========  ===============================================

Bases: a city-level base opened 2021-05-01; a town base in A opened 2022-02-01; a town
base in B opened 2023-07-01 (after today). Residents: A 10,000 (2020, 2021), 20,000
(2022, 2023); B 30,000 (2020–2022), none for 2023.

By hand:

====  ======  ======  ====  =========  ======  ======  =========  ==========  =========
year  reg. A  reg. B  city  residents  /10k    graded  share      filed       bases
====  ======  ======  ====  =========  ======  ======  =========  ==========  =========
2020  2       1       3     40,000     0.75    2       66.7 %     0           city 0
2021  3       1       4     40,000     1.00    3       75.0 %     1           city 1
2022  2       1       3     50,000     0.60    1       33.3 %     1           city 1, A 1
2023  2       1       3     (B none)   —       1       33.3 %     1           city 1, A 1
====  ======  ======  ====  =========  ======  ======  =========  ==========  =========

Per town 2020: A 2 × 10,000 / 10,000 = 2.00, B 1 × 10,000 / 30,000 = 0.33; 2022: A 1.00.
Doubling: 3 at the end of 2020, × 2 = 6.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from market.accounts.models import Town
from market.auditlog.models import AuditEntry
from market.dashboard import queries
from market.dashboard.models import TownPopulation
from market.incubation.models import BaseLevel, IncubationBase
from market.orgs.enums import OrgStatus, Track
from tests.factories import OrganizationFactory, OrgGradeFactory, UserFactory


@pytest.fixture
def registry(app, session, travel):
    app.config["POLICY_TARGET_BASE_YEAR"] = 2020
    travel(2023, 6, 30, 4)  # noon in Kunshan
    a = Town(code="TA", name_zh="甲镇", name_en="Town A")
    b = Town(code="TB", name_zh="乙镇", name_en="Town B")
    session.add_all([a, b])
    session.flush()

    def org(town, registered, status=OrgStatus.ACTIVE, track=Track.REGISTERED):
        return OrganizationFactory(town_id=town.id, registered_on=registered, status=status,
                                   track=track)

    o1 = org(a, dt.date(2019, 5, 1))
    org(a, dt.date(2020, 12, 31))
    o3 = org(a, dt.date(2021, 1, 1), OrgStatus.CLEARED)
    o4 = org(b, dt.date(2018, 1, 1), OrgStatus.SUSPENDED)
    org(b, dt.date(2021, 3, 1), track=Track.FILED)
    org(b, dt.date(2023, 7, 1))
    org(b, None, OrgStatus.PENDING)
    org(b, dt.date(2019, 1, 1), OrgStatus.CLEARED)
    session.add(AuditEntry(at=dt.datetime(2022, 8, 1, 2, tzinfo=dt.UTC), actor_name="civil",
                           object_type="organization", object_id=o3.id, action="clear",
                           from_state="active", to_state="cleared", reason="测试"))
    recorded = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    OrgGradeFactory(organization_id=o1.id, grade=3, valid_from=dt.date(2020, 3, 1),
                    valid_until=dt.date(2025, 3, 1), recorded_at=recorded)
    OrgGradeFactory(organization_id=o3.id, grade=4, valid_from=dt.date(2021, 6, 1),
                    valid_until=dt.date(2026, 6, 1), recorded_at=recorded)
    OrgGradeFactory(organization_id=o4.id, grade=2, valid_from=dt.date(2019, 1, 1),
                    valid_until=dt.date(2024, 1, 1), recorded_at=recorded)
    OrgGradeFactory(organization_id=o4.id, grade=0, valid_from=dt.date(2022, 1, 1),
                    valid_until=dt.date(2027, 1, 1),
                    recorded_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC), source="downgrade")
    civil = UserFactory(username="civil-t", role="civil_affairs")
    for name, level, town, opened in [("市基地", BaseLevel.CITY, None, dt.date(2021, 5, 1)),
                                      ("甲镇基地", BaseLevel.TOWN, a, dt.date(2022, 2, 1)),
                                      ("乙镇基地", BaseLevel.TOWN, b, dt.date(2023, 7, 1))]:
        session.add(IncubationBase(name=name, level=level, town_id=town and town.id,
                                   operator_id=o1.id, capacity=5, services=["space"],
                                   opened_on=opened, created_by_id=civil.id))
    for town, year, residents in [(a, 2020, 10000), (a, 2021, 10000), (a, 2022, 20000),
                                  (a, 2023, 20000), (b, 2020, 30000), (b, 2021, 30000),
                                  (b, 2022, 30000)]:
        session.add(TownPopulation(town_id=town.id, year=year, residents=residents))
    session.commit()
    return a, b


def _by_town(year):
    return {area.town.code: area for area in year.towns}


def test_city_figures_by_year_match_the_hand_computation(app, session, registry):
    with app.test_request_context():
        figures = queries.indicators(session)
    got = [(y.year, y.day, y.city.registered, y.city.filed, y.city.residents, y.city.per_10k,
            y.city.graded, y.city.graded_share, y.city_bases, y.city.bases)
           for y in figures.years]
    assert got == [
        (2020, dt.date(2020, 12, 31), 3, 0, 40000, D("0.75"), 2, D("66.7"), 0, 0),
        (2021, dt.date(2021, 12, 31), 4, 1, 40000, D("1.00"), 3, D("75.0"), 1, 1),
        (2022, dt.date(2022, 12, 31), 3, 1, 50000, D("0.60"), 1, D("33.3"), 1, 2),
        (2023, dt.date(2023, 6, 30), 3, 1, None, None, 1, D("33.3"), 1, 2),
    ]
    assert [t.code for t in figures.years[-1].missing_population] == ["TB"]
    targets = figures.targets
    assert (targets.base_year, targets.base_count, targets.growth, targets.doubling) == \
        (2020, 3, D("2"), D("6"))
    assert (targets.per_10k, targets.graded_share, targets.bases_per_town) == \
        (D("10"), D("30"), 1)


def test_town_figures_match_the_hand_computation(app, session, registry):
    with app.test_request_context():
        figures = queries.indicators(session)
    y2020, y2021, y2022, y2023 = (_by_town(y) for y in figures.years)
    assert (y2020["TA"].registered, y2020["TA"].per_10k, y2020["TA"].graded_share) == \
        (2, D("2.00"), D("50.0"))
    assert (y2020["TB"].registered, y2020["TB"].per_10k, y2020["TB"].graded_share) == \
        (1, D("0.33"), D("100.0"))
    assert (y2021["TA"].registered, y2021["TA"].graded, y2021["TB"].filed) == (3, 2, 1)
    assert (y2022["TA"].registered, y2022["TA"].per_10k, y2022["TA"].bases) == \
        (2, D("1.00"), 1)
    assert (y2022["TB"].graded, y2022["TB"].graded_share, y2022["TB"].bases) == \
        (0, D("0.0"), 0)
    assert (y2023["TB"].residents, y2023["TB"].per_10k, y2023["TB"].bases) == (None, None, 0)
    assert figures.years[2].towns_with_bases == 1


def test_the_page_shows_the_figures_in_tables_and_charts(app, session, registry):
    client = app.test_client()
    for language, words in [("zh", ["乙镇", "万人"]), ("en", ["Town B", "per 10,000"])]:
        client.post(f"/language/{language}", data={"next": "/"})
        page = client.get("/dashboard/?year=2022")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        for word in words:
            assert word in html
        for figure in ["0.75", "66.7 %", "75.0 %", "33.3 %", "0.60", "50,000"]:
            assert figure in html, figure
        assert html.count('class="chart"') == 8
        assert "data-chart=" in html and "echarts.min.js" in html and "dashboard.js" in html


def test_a_year_outside_the_span_falls_back_to_this_year(app, session, registry):
    page = app.test_client().get("/dashboard/?year=1900")
    assert page.status_code == 200
    assert "2023" in page.get_data(as_text=True)
