"""A published venture philanthropy round on civil affairs' FY2026 item, open from a day
before the frozen clock to two days after, asking one question of each kind."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from market.catalogs.models import Catalog, CatalogItem
from market.grants import services
from tests.factories import town_id, user

QUESTIONS = [
    {"key": "q1", "kind": "text", "label": "项目团队介绍", "options": [], "required": True},
    {"key": "q2", "kind": "number", "label": "志愿者人数", "options": [], "required": True},
    {"key": "q3", "kind": "choice", "label": "服务范围", "options": ["覆盖农村", "仅城市"],
     "required": True},
    {"key": "q4", "kind": "file", "label": "社区支持函", "options": [], "required": True},
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def civil_item(session, title="困境儿童关爱服务") -> CatalogItem:
    """Civil affairs' FY2026 item; finance raises its budget so 500,000 are free (the demo
    tenders reserve most of it)."""
    from market.catalogs import services as catalogs
    from market.grants.services import available_for

    item = session.scalar(select(CatalogItem).join(Catalog).where(
        CatalogItem.title == title, Catalog.fiscal_year == 2026))
    room = available_for(session, item)
    if room < Decimal("500000.00"):
        catalogs.amend_budget(session, user(session, "finance"), item.id,
                              item.budget + Decimal("500000.00") - room, "公益创投专项")
        session.commit()
    return item


def round_data(session, clock, **overrides) -> services.RoundData:
    fields = dict(
        title="测试公益创投活动", item_id=civil_item(session).id, pool=Decimal("300000.00"),
        cap=Decimal("100000.00"), min_self_share=Decimal("20"),
        eligible_categories=["charity", "community"], min_grade=2,
        priority_mode="score_bonus", priority_value=Decimal("3"),
        startups_without_grade=True, allow_multiple=False,
        opens_at=clock.now - dt.timedelta(days=1), closes_at=clock.now + dt.timedelta(days=2),
        reviewers_per_application=3,
        criteria=[{"name": "项目设计", "weight": 60}, {"name": "执行能力", "weight": 40}],
        questions=QUESTIONS,
        tranches=[{"stage": "signing", "percent": 50}, {"stage": "midterm", "percent": 30},
                  {"stage": "final", "percent": 20}],
        reporting_dates=["2027-06-30"], description="测试用创投活动")
    fields.update(overrides)
    return services.RoundData(**fields)


@pytest.fixture
def grant_round(session, demo, clock):
    civil = user(session, "civil")
    made = services.create_round(session, civil, round_data(session, clock))
    services.publish_round(session, civil, made.id)
    session.commit()
    return made


def application_form(session, **overrides) -> dict:
    """A valid application: 80,000 requested + 20,000 self-raised (20 %), two budget lines."""
    data = {
        "title": "社区儿童关爱计划", "summary": "为困境儿童提供学业辅导与心理支持",
        "beneficiaries": "玉山镇困境儿童及其家庭", "beneficiary_count": "120",
        "town_id": str(town_id(session)), "requested": "80000.00", "self_raised": "20000.00",
        "self_raised_source": "机构自有资金", "timeline": "2027年1月至12月",
        "budget_lines-0-item": "人员经费", "budget_lines-0-amount": "70000.00",
        "budget_lines-1-item": "活动物料", "budget_lines-1-amount": "30000.00",
        "q1": "三名持证社工", "q2": "12", "q3": "仅城市",
        "q4": (io.BytesIO(PDF), "支持函.pdf"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def login(client, username, language="zh"):
    client.post("/logout")
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})


def grant_counts(session) -> dict:
    """Rows a grants step may write: rounds, applications, documents, and the grants'
    audit entries (a sign-in writes its own)."""
    from sqlalchemy import func

    from market.auditlog.models import AuditEntry
    from market.documents.models import Document
    from market.grants.models import GrantApplication, GrantRound

    session.expire_all()
    counts = {m.__name__: session.scalar(select(func.count()).select_from(m))
              for m in (GrantRound, GrantApplication, Document)}
    counts["audit"] = session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.object_type.in_(("grant_round", "grant_application", "document",
                                    "catalog_item"))))
    return counts


from tests.grants.review_support import reviewed  # noqa: E402, F401 (a fixture)


def review_all(session, grant_round, specialty="elderly_care", score=80):
    """The round's reviewers drawn from a pool of fresh experts of ``specialty``; each
    declares no conflict and submits ``score`` on every criterion — what the decision
    waits for (``review.reviews_complete``)."""
    from market.grants import review
    from tests.factories import new_experts

    new_experts(session, grant_round.reviewers_per_application + 1, specialty=specialty)
    review.draw_reviewers(session, user(session, "civil"), grant_round.id, specialty)
    session.commit()
    for application in funding_eligible(session, grant_round):
        for seat in review.seats(session, application):
            review.declare(session, seat.user, application.id, conflict=False)
            review.save_scores(session, seat.user, application.id,
                               [review.CriterionScore(score, "符合要求")
                                for _ in grant_round.criteria], submit=True)
    session.commit()


def funding_eligible(session, grant_round):
    from market.grants import funding

    return funding.eligible_applications(session, grant_round)


def eligible(session, grant_round, requested="80000.00", *, grade=2, title=None):
    """An organization (graded ``grade``) with an application to ``grant_round`` that passed
    screening (status set directly: screening and review are another branch's work)."""
    from market.grants.models import ApplicationStatus, GrantApplication
    from tests.factories import org_member

    org, member = org_member(session, grade=grade)
    amount = Decimal(requested)
    raised = (amount / 4).quantize(Decimal("0.01"))
    application = GrantApplication(
        round_id=grant_round.id, organization_id=org.id, status=ApplicationStatus.ELIGIBLE,
        title=title or f"{org.name}社区项目", summary="项目简介", beneficiaries="社区居民",
        beneficiary_count=50, town_id=town_id(session),
        budget_lines=[{"item": "人员经费", "amount": str(amount + raised)}],
        requested=amount, self_raised=raised, self_raised_source="自有资金",
        timeline="一年", answers={}, document_ids=[], created_by_id=member.id,
        submitted_at=grant_round.opens_at)
    session.add(application)
    session.commit()
    return application, member


def closed_round(session, title="已截止的公益创投活动"):
    """A published round whose window has just closed (set directly: publishing refuses a
    closed window), on the frozen or real clock."""
    from types import SimpleNamespace

    from market.clock import now

    civil = user(session, "civil")
    at = SimpleNamespace(now=now())
    made = services.create_round(session, civil, round_data(session, at, title=title,
                                                            questions=[]))
    services.publish_round(session, civil, made.id)
    made.closes_at = at.now - dt.timedelta(hours=1)
    session.commit()
    return made


def funded_grant(session, member=None):
    """A decided round: one grant (to ``member``'s organization, else a new one's) signed,
    its first tranche paid, its mid-term report in and an evaluation assigned to the demo
    evaluator's agency; one application not funded."""
    from market.grants import funding

    grant_round = closed_round(session)
    application, applicant = eligible(session, grant_round, "90000.00")
    if member is not None:  # the application becomes the given user's organization's
        application.organization_id, application.created_by_id = (member.organization_id,
                                                                  member.id)
        applicant = member
        session.commit()
    rejected, _ = eligible(session, grant_round, "40000.00")
    review_all(session, grant_round)
    civil, finance = user(session, "civil"), user(session, "finance")
    grant = funding.decide_round(session, civil, grant_round.id, [
        funding.DecisionLine(application.id, True, Decimal("90000.00")),
        funding.DecisionLine(rejected.id, False, None, "与本轮资助方向不符")])[0]
    session.commit()
    funding.sign_agreement(session, civil, grant.id, grant.approved_at.date())
    funding.pay_tranche(session, finance, grant.id, 1)
    funding.submit_report(session, applicant, grant.id, "midterm",
                          "中期执行情况：已开展服务二十次。")
    funding.assign_evaluation(session, civil, grant.id, "midterm",
                              user(session, "evaluator").agency_id)
    session.commit()
    return grant_round, grant
