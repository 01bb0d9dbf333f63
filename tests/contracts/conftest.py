"""Helpers for the evaluation, award, challenge and contract tests.

Tenders and bids are made through the tender feature's services; a travelling clock
moves past deadlines. Each test gets its own FY2028 catalog item, so the ledger balances
it checks are its own.
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ledger.accounts import available_account, committed_account, expense_account
from ledger.balances import balance
from ledger.models import Evaluation, Transaction
from market import funds
from market.accounts.models import Town, User
from market.accounts.permissions import Role
from market.accounts.services import create_user
from market.auditlog.models import AuditEntry
from market.catalogs import services as catalogs
from market.contracts.models import Contract, Milestone, Submission
from market.performance.models import PerformanceEvaluation
from market.grading.grades import record_grade
from market.orgs import credit_code
from market.orgs.enums import Category, LegalForm, OrgStatus, Track
from market.orgs.models import Organization
from market.tenders import services
from market.tenders.scoring import services as evaluation
from market.tenders.scoring.models import Award, BidResult, Challenge, Score
from market.tenders.models import Tender

PASSWORD = "demo-pass-2026"
_n = itertools.count(1)
D = Decimal


def user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def budget_item(session, budget: str = "500000.00", title: str = "社区健康宣教服务"):
    """A fresh FY2028 catalog item of the demo department, approved (appropriated)."""
    dept, finance = user(session, "dept"), user(session, "finance")
    catalog = catalogs.create_catalog(session, dept, 2028)
    item = catalogs.add_item(session, dept, catalog.id, catalogs.ItemData(
        "health", title, "健康讲座与慢病管理", "100", "场次", budget,
        ["charity", "community"], 0))
    catalogs.submit_catalog(session, dept, catalog.id)
    catalogs.approve_catalog(session, finance, catalog.id)
    session.commit()
    return item


def make_org(session, grade: int = 0, name: str | None = None) -> tuple[Organization, User]:
    """An active charity with a grade valid since last year, and a user acting for it."""
    n = next(_n) + session.scalar(select(func.count(Organization.id)))
    org = Organization(
        name=name or f"测试公益服务社{n}", track=Track.REGISTERED,
        legal_form=LegalForm.SOCIAL_SERVICE,
        credit_code=credit_code.build("5", "2", "320583", f"C{n:07d}"),
        category=Category.CHARITY, town_id=session.scalar(select(Town.id).limit(1)),
        legal_representative="张三", contact_name="李四", contact_phone="0512-57000000",
        office_address="玉山镇测试路1号", status=OrgStatus.ACTIVE,
        registered_on=dt.date(2020, 1, 1))
    session.add(org)
    session.flush()
    if grade:
        record_grade(session, org.id, grade, dt.date.today() - dt.timedelta(days=365),
                     source="legacy")
    u = create_user(session, username=f"bidder{n}", password=PASSWORD,
                    display_name=f"{org.name}联系人", role=Role.ORGANIZATION)
    u.organization_id = org.id
    session.commit()
    return org, u


def make_experts(session, count: int = 3) -> list[User]:
    out = []
    for _ in range(count):
        n = next(_n)
        out.append(create_user(session, username=f"expert{n}", password=PASSWORD,
                               display_name=f"评审专家{n}", role=Role.EXPERT))
    session.commit()
    return out


CRITERIA = [("报价", "30", True), ("服务方案", "40", False), ("团队与经验", "30", False)]


def tender_terms(clock, **overrides) -> dict:
    base = clock.now
    data = dict(
        title="社区健康宣教服务采购", description="面向社区居民的健康讲座与慢病管理小组。",
        procedure="open", ceiling_price="300000.00",
        clarification_deadline=base + dt.timedelta(days=5),
        bid_deadline=base + dt.timedelta(days=10),
        opening_time=base + dt.timedelta(days=10, hours=1),
        priority_rule="price_deduction", priority_value=None, criteria=CRITERIA,
        standstill_days=7, challenge_window_days=7)
    data.update(overrides)
    return data


def opened_tender(session, clock, item, bids, **overrides) -> Tender:
    """A published tender with ``bids`` [(user, price)], opened after its opening time."""
    dept = user(session, "dept")
    tender = services.create_tender(session, dept, item.id, tender_terms(clock, **overrides))
    services.publish_tender(session, dept, tender.id)
    session.commit()
    for bidder, price in bids:
        services.submit_bid(session, bidder, tender.id, price, f"{bidder.display_name}的服务方案")
        session.commit()
    clock.travel(tender.opening_time + dt.timedelta(minutes=5))
    services.open_bids(session, dept, tender.id)
    session.commit()
    return tender


def bid_of(session, tender, org_user):
    from market.tenders.models import Bid

    return session.scalar(select(Bid).where(Bid.tender_id == tender.id,
                                            Bid.organization_id == org_user.organization_id))


def evaluate(session, tender, experts, marks) -> None:
    """Assign ``experts``; each declares no conflict and gives every bid ``marks[user]``
    (a tuple of technical scores in criterion order), the same from every expert."""
    dept = user(session, "dept")
    for e in experts:
        evaluation.assign_expert(session, dept, tender.id, e.id)
    session.commit()
    technical = [c for c in tender.criteria if not c.is_price]
    for e in experts:
        evaluation.declare(session, e, tender.id, set())
        scores = {}
        for bidder, values in marks.items():
            bid = bid_of(session, tender, bidder)
            for c, v in zip(technical, values, strict=True):
                scores[(bid.id, c.id)] = v
        evaluation.submit_scores(session, e, tender.id, scores)
        session.commit()


def ledger(session, item, contract=None) -> dict[str, Decimal]:
    """available / committed (to ``contract``) / expense of the item, from the balance rows."""
    session.expire_all()
    line = funds.budget_line(item)
    out = {"available": balance(session, available_account(line).name),
           "expense": balance(session, expense_account(line).name)}
    if contract is not None:
        out["committed"] = balance(session, committed_account(
            line, funds.contract_unit(contract)).name)
    return out


def counts(session) -> dict[str, int]:
    """Row counts of everything an evaluation, award, challenge or contract step writes."""
    session.expire_all()
    models = (Tender, Award, BidResult, Challenge, Score, Contract, Milestone, Submission,
              PerformanceEvaluation, AuditEntry, Transaction, Evaluation)
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in models}


def awarded_tender(session, clock, item, **overrides):
    """Three bidders (A 4A, B and C ungraded), scored by three experts, A awarded."""
    from market.tenders import award as awards

    _, a = make_org(session, grade=4)
    _, b = make_org(session, grade=0)
    _, c = make_org(session, grade=0)
    tender = opened_tender(session, clock, item, [(a, "240000.00"), (b, "250000.00"),
                                                  (c, "260000.00")], **overrides)
    evaluate(session, tender, make_experts(session),
             {a: ("35", "25"), b: ("30", "20"), c: ("28", "20")})
    awards.award_tender(session, user(session, "dept"), tender.id,
                        bid_of(session, tender, a).id)
    session.commit()
    return tender, {"a": a, "b": b, "c": c}


SCHEDULE = [("预付款", "30", dt.date(2028, 3, 1), False),
            ("中期交付", "40", dt.date(2028, 7, 1), False),
            ("结项验收", "30", dt.date(2028, 12, 1), True)]


def signed_contract(session, clock, item, schedule=SCHEDULE):
    """A's contract (240,000.00: 72,000 / 96,000 / 72,000, the last gated)."""
    from market.contracts.services import MilestoneData, sign_contract

    tender, bidders = awarded_tender(session, clock, item)
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    contract = sign_contract(session, user(session, "dept"), tender.id,
                             [MilestoneData(*row) for row in schedule])
    session.commit()
    return contract, bidders


def deliver_and_accept(session, contract, number, contractor):
    from market.contracts import payments

    payments.submit_deliverables(session, contractor, contract.id, number, "交付成果")
    payments.decide_deliverables(session, user(session, "dept"), contract.id, number, True)
    session.commit()


def assign_evaluation(session, contract, number, *, fee=None, fee_item=None,
                      agency_user: str = "evaluator"):
    """The department requests a performance evaluation of milestone ``number``; civil
    affairs assigns the agency of ``agency_user`` (the demo evaluator's, by default)."""
    from market.performance import services as performance

    req = performance.request_evaluation(session, user(session, "dept"), contract.id, number)
    performance.assign_agency(session, user(session, "civil"), req.id,
                              user(session, agency_user).agency_id, fee,
                              fee_item.id if fee_item is not None else None)
    session.commit()
    return req
