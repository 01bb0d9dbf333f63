"""A closed round with three submitted applications and a pool of six experts, for the
screening and review tests (service and HTTP)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.experts.models import DrawStep
from market.grants import review, services
from market.grants.models import GrantReviewer
from tests.factories import new_experts, org_member, town_id, user
from tests.grants.conftest import round_data

SPECIALTY = "health"  # no demo expert has it: the tests' own pool is the whole pool
CS = review.CriterionScore


def application_data(session, title: str) -> services.ApplicationData:
    return services.ApplicationData(
        title=title, summary="为社区老人提供健康服务", beneficiaries="社区老人",
        beneficiary_count=100, town_id=town_id(session),
        budget_lines=[{"item": "人员经费", "amount": Decimal("80000.00")},
                      {"item": "物料", "amount": Decimal("20000.00")}],
        requested=Decimal("80000.00"), self_raised=Decimal("20000.00"),
        self_raised_source="自有资金", timeline="2027年全年")


@pytest.fixture
def reviewed(session, demo, clock):
    """A round (criteria 项目设计 60, 执行能力 40; 3 reviewers; 3A+ bonus 3) with three
    submitted applications — A (grade 2), B (grade 3), C (grade 2) — and a draft; the
    window then closes. Six experts of ``SPECIALTY``, one employed by A."""
    civil = user(session, "civil")
    grant_round = services.create_round(session, civil, round_data(
        session, clock, questions=[], title="评审测试创投活动"))
    services.publish_round(session, civil, grant_round.id)
    applications = {}
    for key, grade in (("A", 2), ("B", 3), ("C", 2), ("draft", 2)):
        org, member = org_member(session, grade=grade)
        made = services.create_application(session, member, grant_round.id,
                                           application_data(session, f"项目{key}"))
        if key != "draft":
            services.submit_application(session, member, made.id)
        applications[key] = made
    session.commit()
    experts = new_experts(session, 5, specialty=SPECIALTY)
    employee = new_experts(session, 1, specialty=SPECIALTY,
                           employer_org_id=applications["A"].organization_id)[0]
    clock.advance(days=3)
    return grant_round, applications, experts, employee


def screen_all(session, applications, ineligible=("C",)):
    civil = user(session, "civil")
    for key in ("A", "B", "C"):
        if key in ineligible:
            review.screen(session, civil, applications[key].id, eligible=False,
                          reason="out_of_scope", note="项目不属于本次创投方向")
        else:
            review.screen(session, civil, applications[key].id, eligible=True,
                          reason="meets_requirements")
    session.commit()


def draw_all(session, grant_round):
    review.draw_reviewers(session, user(session, "civil"), grant_round.id, SPECIALTY)
    session.commit()


def declare_all(session, application):
    for seat in review.seats(session, application):
        review.declare(session, seat.user, application.id, conflict=False)
    session.commit()


def review_counts(session) -> dict:
    session.expire_all()
    return {
        "seats": session.scalar(select(func.count(GrantReviewer.id))),
        "submitted": session.scalar(select(func.count(GrantReviewer.id)).where(
            GrantReviewer.submitted_at.is_not(None))),
        "scores": sorted(str(s) for s in session.scalars(select(GrantReviewer.scores))),
        "steps": session.scalar(select(func.count(DrawStep.id))),
        "audit": session.scalar(select(func.count(AuditEntry.id))),
    }


