"""Eligibility and the 3A+ priority use the grade valid at the tender's bid deadline:
a grade that expires the day before the deadline does not count."""
from __future__ import annotations

import datetime as dt

import pytest

from market.clock import LOCAL_TZ
from market.tenders.scoring import services as evaluation
from market.tenders import bid_services, tender_services
from market.tenders.bid_services import NotEligible
from tests.factories import (AWARD_PERIODS, attach_tender_document, OrgGradeFactory, bid_of, budget_item, new_experts,
                             opened_tender, org_member, score_bids, tender_terms, user)


def _grade(session, org, grade: int, last_valid_day: dt.date) -> None:
    """A grade whose validity ends after ``last_valid_day`` (valid_until is exclusive)."""
    OrgGradeFactory(organization_id=org.id, grade=grade,
                    valid_from=last_valid_day - dt.timedelta(days=5 * 365),
                    valid_until=last_valid_day + dt.timedelta(days=1), source="legacy")
    session.commit()


def _deadline_day(clock) -> dt.date:
    return tender_terms(clock)["bid_deadline"].astimezone(LOCAL_TZ).date()


def test_expired_the_day_before_the_deadline_cannot_bid_on_a_restricted_tender(
        demo, session, clock):
    item = budget_item(session)
    org, member = org_member(session)
    _grade(session, org, 4, _deadline_day(clock) - dt.timedelta(days=1))
    dept = user(session, "dept")
    tender = tender_services.create_tender(session, dept, item.id,
                                           tender_terms(clock, **AWARD_PERIODS,
                                                        priority_rule="restricted"))
    attach_tender_document(session, dept, tender)
    tender_services.publish_tender(session, dept, tender.id)
    session.commit()
    with pytest.raises(NotEligible):
        bid_services.submit_bid(session, member, tender.id, "200000.00", "方案")
    session.rollback()
    # The same grade still valid on the deadline day is enough.
    other, other_member = org_member(session)
    _grade(session, other, 4, _deadline_day(clock))
    bid_services.submit_bid(session, other_member, tender.id, "200000.00", "方案")
    session.commit()


def test_expired_the_day_before_the_deadline_gets_no_priority(demo, session, clock):
    item = budget_item(session)
    _, a = org_member(session, name="甲公益服务社")
    b_org, b = org_member(session, name="乙社会工作服务中心")
    c_org, c = org_member(session, name="丙志愿服务协会")
    _grade(session, b_org, 4, _deadline_day(clock) - dt.timedelta(days=1))  # expired
    _grade(session, c_org, 4, _deadline_day(clock))  # valid on the deadline day
    tender = opened_tender(session, clock, item, [(a, "200000.00"), (b, "215000.00"),
                                                  (c, "250000.00")],
                           priority_rule="price_deduction", priority_value="10")
    # Experts score days later, when C's grade has lapsed too: the deadline still decides.
    clock.travel(tender.bid_deadline + dt.timedelta(days=3))
    score_bids(session, tender, new_experts(session),
             {a: ("35", "25"), b: ("35", "25"), c: ("30", "20")})
    rows = {r.bid_id: r for r in evaluation.results(session, tender)}
    assert not rows[bid_of(session, tender, b).id].priority
    assert rows[bid_of(session, tender, c).id].priority
    assert rows[bid_of(session, tender, a).id].rank == 1
