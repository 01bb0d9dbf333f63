""""Tenders I can bid on" split in SQL (``may_bid.may_bid_clause``) gives the same answer
as the rule itself (``eligibility.provider_conditions``, 承接主体条件) tender by tender —
around a grade change at the deadline's local midnight, for filed organizations, 基本合格
reports, restricted tenders and barred organizations."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from market.clock import LOCAL_TZ, now
from market.orgs.enums import Category, InspectionResult, OrgStatus, SanctionKind, Track
from market.orgs.models import Sanction
from market.tenders import queries
from market.tenders.eligibility import bid_day, provider_conditions
from market.tenders.models import PriorityRule, Tender, TenderStatus
from tests.factories import (AnnualReportFactory, OrgGradeFactory, accepted_reports,
                             new_tender, org_member)

CATEGORY_SETS = (["charity"], ["community"], ["charity", "community"],
                 ["industry", "science"], [])


def _midnight(day: dt.date) -> dt.datetime:
    """The moment the local (Asia/Shanghai) day begins."""
    return dt.datetime.combine(day, dt.time.min, LOCAL_TZ)


@pytest.fixture
def world(app, demo, session, clock):
    """Open tenders of every kind, deadlines on both sides of the organizations' grade
    changes; the organizations. Returns (tenders, orgs by name, the change days)."""
    today = bid_day()
    change, lapse = today + dt.timedelta(days=20), today + dt.timedelta(days=15)
    base = new_tender(session, clock)
    deadlines = [
        clock.now + dt.timedelta(days=3),
        _midnight(lapse) - dt.timedelta(days=2),  # before the 3A lapses
        _midnight(lapse) + dt.timedelta(days=5),  # after it
        _midnight(change) - dt.timedelta(seconds=1),  # the last second of the 4A
        _midnight(change),  # local midnight: the 2A's first moment
        _midnight(change) + dt.timedelta(hours=8),  # UTC midnight of the same local day
        _midnight(change) + dt.timedelta(days=40),
    ]
    kinds = itertools.product(CATEGORY_SETS, (0, 2, 3, 4, 5),
                              (PriorityRule.RESTRICTED, PriorityRule.PRICE_DEDUCTION),
                              (False, True), (False, True))
    tenders = []
    for n, (categories, min_grade, rule, allow_filed, basic) in enumerate(kinds):
        tenders.append(_tender(session, base, n, deadlines[n % len(deadlines)],
                               eligible_categories=categories, min_grade=min_grade,
                               priority_rule=rule, allow_filed=allow_filed,
                               accept_basic_pass_report=basic))
    # Every grade threshold at every deadline, with nothing else in the way.
    for n, (deadline, min_grade) in enumerate(itertools.product(deadlines, (1, 2, 3, 4))):
        tenders.append(_tender(session, base, 1000 + n, deadline, min_grade=min_grade,
                               eligible_categories=[c.value for c in Category],
                               priority_rule=PriorityRule.PRICE_DEDUCTION, allow_filed=True,
                               accept_basic_pass_report=True))
    _tender(session, base, 9000, clock.now - dt.timedelta(hours=1),  # closed
            priority_rule=PriorityRule.PRICE_DEDUCTION)
    session.commit()
    return tenders, _orgs(session, today, lapse, change), (lapse, change)


def _tender(session, base: Tender, n: int, deadline: dt.datetime, **terms) -> Tender:
    tender = Tender(catalog_item_id=base.catalog_item_id, department_id=base.department_id,
                    reference=f"KS-SQL-{n:05d}", title=f"拆分测试项目{n}",
                    procedure=base.procedure, ceiling_price=base.ceiling_price,
                    clarification_deadline=deadline - dt.timedelta(days=1),
                    bid_deadline=deadline, opening_time=deadline + dt.timedelta(hours=1),
                    status=TenderStatus.PUBLISHED, published_at=now(), **terms)
    session.add(tender)
    return tender


def _grade(org, grade: int, valid_from: dt.date, valid_until: dt.date, recorded_days_ago=30):
    OrgGradeFactory(organization_id=org.id, grade=grade, valid_from=valid_from,
                    valid_until=valid_until,
                    recorded_at=now() - dt.timedelta(days=recorded_days_ago))


def _orgs(session, today: dt.date, lapse: dt.date, change: dt.date) -> dict:
    long_ago, later = today - dt.timedelta(days=400), today + dt.timedelta(days=2000)
    last = today.year - 1
    orgs = {}
    # 4A until the change day, 2A from it.
    orgs["charity 4A then 2A"], _ = org_member(session)
    _grade(orgs["charity 4A then 2A"], 4, long_ago, change)
    _grade(orgs["charity 4A then 2A"], 2, change, later)
    # A 3A valid only until a day between two deadlines, nothing after.
    orgs["filed community 3A lapsing"], _ = org_member(
        session, track=Track.FILED, category=Category.COMMUNITY)
    _grade(orgs["filed community 3A lapsing"], 3, long_ago, lapse)
    # 5A, overridden from the change day by a downgrade to 1A recorded later (the latest
    # recorded wins), and a revocation recorded earlier that the 5A overrides.
    orgs["community 5A downgraded, basic pass"], _ = org_member(
        session, category=Category.COMMUNITY, reports=False)
    org = orgs["community 5A downgraded, basic pass"]
    accepted_reports(org, range(last - 2, last))
    AnnualReportFactory(organization=org, year=last, result=InspectionResult.BASIC_PASS)
    _grade(org, 0, long_ago, later, recorded_days_ago=60)
    _grade(org, 5, long_ago, later, recorded_days_ago=30)
    _grade(org, 1, change, later, recorded_days_ago=1)
    orgs["charity ungraded"], _ = org_member(session)
    orgs["industry 4A"], _ = org_member(session, category=Category.INDUSTRY)
    _grade(orgs["industry 4A"], 4, long_ago, later)
    orgs["charity 4A, report missing"], _ = org_member(session, reports=False)
    accepted_reports(orgs["charity 4A, report missing"], range(last - 2, last))
    _grade(orgs["charity 4A, report missing"], 4, long_ago, later)
    orgs["charity 4A, sanctioned"], _ = org_member(session)
    _grade(orgs["charity 4A, sanctioned"], 4, long_ago, later)
    session.add(Sanction(organization_id=orgs["charity 4A, sanctioned"].id,
                         kind=SanctionKind.FINE, serious=False, authority="昆山市民政局",
                         reason="未按规定报送材料", imposed_on=today))
    orgs["charity 4A, suspended"], _ = org_member(session, status=OrgStatus.SUSPENDED)
    _grade(orgs["charity 4A, suspended"], 4, long_ago, later)
    session.commit()
    return orgs


def _judged(session, org) -> list[int]:
    """The rule itself, tender by tender (the grade read by ``grade_row_at``)."""
    day = bid_day()
    open_ = session.scalars(select(Tender).where(Tender.accepting_bids)
                            .order_by(Tender.bid_deadline, Tender.id)).all()
    return [t.id for t in open_ if not provider_conditions(session, org, t, day)]


def _split(session, org, page=1, bpage=1, size=10_000):
    return queries.open_tenders_for(session, org.id, page, bpage, size)


BARRED = {"charity 4A, report missing", "charity 4A, sanctioned", "charity 4A, suspended"}


def test_the_sql_split_is_the_rules_judgement(world, session):
    _tenders, orgs, _days = world
    open_ids = list(session.scalars(select(Tender.id).where(Tender.accepting_bids)
                                    .order_by(Tender.bid_deadline, Tender.id)))
    for name, org in orgs.items():
        may = _judged(session, org)
        offered, blocked = _split(session, org)
        assert [t.id for t in offered.items] == may, name
        assert offered.total == len(may), name
        assert [t.id for t, _unmet in blocked.items] == [i for i in open_ids if i not in may], \
            name
        assert all(unmet for _t, unmet in blocked.items), name
        assert set(session.scalars(queries.eligible_open_tender_ids(session, org.id))) \
            == set(may), name
        # the setup is not trivial: each organization not barred is offered some tenders
        # and refused others
        assert (not may) == (name in BARRED), name
        assert blocked.total, name


def test_the_grade_changes_at_the_deadlines_local_midnight(world, session):
    tenders, orgs, (lapse, change) = world
    offered, _blocked = _split(session, orgs["charity 4A then 2A"])
    offered = {t.id for t in offered.items}

    def needing_3a(deadline):
        return next(t for t in tenders if t.bid_deadline == deadline and t.min_grade == 3
                    and t.reference.startswith("KS-SQL-01"))

    assert needing_3a(_midnight(change) - dt.timedelta(seconds=1)).id in offered
    assert needing_3a(_midnight(change)).id not in offered
    assert needing_3a(_midnight(change) + dt.timedelta(hours=8)).id not in offered
    lapsing, _ = _split(session, orgs["filed community 3A lapsing"])
    lapsing = {t.id for t in lapsing.items}
    assert needing_3a(_midnight(lapse) - dt.timedelta(days=2)).id in lapsing
    assert needing_3a(_midnight(lapse) + dt.timedelta(days=5)).id not in lapsing


def test_each_page_is_the_same_slice_of_the_split(world, session):
    _tenders, orgs, _days = world
    org = orgs["charity 4A then 2A"]
    offered, blocked = _split(session, org)
    page, bpage = _split(session, org, page=2, bpage=3, size=7)
    assert [t.id for t in page.items] == [t.id for t in offered.items[7:14]]
    assert [t.id for t, _ in bpage.items] == [t.id for t, _ in blocked.items[14:21]]
    assert (page.total, bpage.total) == (offered.total, blocked.total)
