"""Demo venture philanthropy: an open round of this year on civil affairs' community
governance item (finance first raises its budget by what the round needs), with applications in draft, submitted and withdrawn (the demo user
``org`` has a withdrawn one and a draft; two more organizations have a submitted one
each, ``grant-org2`` and ``grant-org3``). Idempotent."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.access.permissions import Role
from market.accounts.models import Department, User
from market.accounts.services import create_user
from market.catalogs import services as catalogs
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus
from market.clock import LOCAL_TZ, now
from market.demo import DEMO_PASSWORD
from market.grants import services
from market.grants.models import GrantApplication, GrantRound
from market.orgs.models import Organization

ROUND_TITLE = "昆山市年度社区公益创投活动"
ITEM_TITLE = "社区治理创新项目"
QUESTIONS = [
    {"key": "q1", "kind": "text", "label": "项目团队及其社区服务经验", "options": [],
     "required": True},
    {"key": "q2", "kind": "number", "label": "参与项目的志愿者人数", "options": [],
     "required": True},
    {"key": "q3", "kind": "choice", "label": "项目服务范围", "options": ["覆盖农村社区", "仅城市社区"],
     "required": True},
    {"key": "q4", "kind": "file", "label": "合作社区的支持函（可选）", "options": [],
     "required": False},
]
CRITERIA = [{"name": "需求分析与项目设计", "weight": 30}, {"name": "执行能力与团队", "weight": 25},
            {"name": "预算合理性", "weight": 20}, {"name": "社会效益与可持续性", "weight": 25}]
# organization, username (None: the demo user ``org``), title, requested, self-raised, end
APPLICANTS = [
    ("昆山市阳光社工服务中心", None, "“邻里守望”独居老人探访项目", "60000.00", "15000.00",
     "withdrawn"),
    ("昆山市阳光社工服务中心", None, "“四点半课堂”社区儿童托管项目", "80000.00", "20000.00",
     "draft"),
    ("玉山镇邻里互助协会", "grant-org2", "楼道议事会培育计划", "50000.00", "12500.00",
     "submitted"),
    ("陆家镇社区志愿者协会", "grant-org3", "社区志愿服务积分银行", "70000.00", "20000.00",
     "submitted"),
]


def _window() -> tuple[dt.datetime, dt.datetime]:
    """Opened a fortnight ago (not before New Year's Day); closes on 28 December of this year at 17:00 Beijing time,
    or in three weeks when that is too near."""
    at = now()
    local = at.astimezone(LOCAL_TZ)
    closes = dt.datetime(local.year, 12, 28, 17, 0, tzinfo=LOCAL_TZ).astimezone(dt.UTC)
    if closes - at < dt.timedelta(days=7):
        closes = at + dt.timedelta(days=21)
    new_year = dt.datetime(local.year, 1, 1, 9, 0, tzinfo=LOCAL_TZ).astimezone(dt.UTC)
    return max(at - dt.timedelta(days=14), min(new_year, at - dt.timedelta(hours=1))), closes


def _round(session: Session, civil: User) -> GrantRound | None:
    found = session.scalar(select(GrantRound).where(GrantRound.title == ROUND_TITLE))
    if found is not None:
        return found
    dept = session.scalar(select(Department).where(Department.code == "MZJ"))
    year = now().astimezone(LOCAL_TZ).year
    item = session.scalar(select(CatalogItem).join(Catalog).where(
        Catalog.department_id == dept.id, Catalog.status == CatalogStatus.APPROVED,
        Catalog.fiscal_year <= year, CatalogItem.title == ITEM_TITLE)
        .order_by(Catalog.fiscal_year.desc()).limit(1))
    if item is None:
        return None
    pool = Decimal("400000.00")
    room = services.available_for(session, item)
    if room < pool:  # the demo tenders reserve most of it: finance adds the grant money
        finance = session.scalar(select(User).where(User.username == "finance"))
        catalogs.amend_budget(session, finance, item.id, item.budget + pool - room,
                              "追加年度公益创投专项资金")
    opens, closes = _window()
    data = services.RoundData(
        title=ROUND_TITLE, item_id=item.id, pool=pool,
        cap=Decimal("100000.00"), min_self_share=Decimal("20"),
        eligible_categories=["charity", "community"], min_grade=0,
        priority_mode="score_bonus", priority_value=Decimal("3"),
        startups_without_grade=True, allow_multiple=False, opens_at=opens, closes_at=closes,
        reviewers_per_application=3, criteria=CRITERIA, questions=QUESTIONS,
        tranches=[{"stage": "signing", "percent": 50}, {"stage": "midterm", "percent": 30},
                  {"stage": "final", "percent": 20}],
        reporting_dates=[f"{year + 1}-06-30", f"{year + 1}-12-15"],
        description="面向全市社会组织征集社区治理、为老服务、青少年成长等领域的公益项目，"
                    "经专家评审择优资助，资金按项目进度分期拨付。")
    found = services.create_round(session, civil, data)
    return services.publish_round(session, civil, found.id)


def _user_for(session: Session, org: Organization, username: str | None) -> User | None:
    if username is None:
        user = session.scalar(select(User).where(User.username == "org"))
        return user if user is not None and user.organization_id == org.id else None
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = create_user(session, username=username, password=DEMO_PASSWORD,
                           display_name=f"{org.name}联系人", role=Role.ORGANIZATION,
                           organization_id=org.id)
    return user


def seed(session: Session) -> None:
    civil = session.scalar(select(User).where(User.username == "civil"))
    grant_round = _round(session, civil)
    if grant_round is None or session.scalar(select(GrantApplication.id).where(
            GrantApplication.round_id == grant_round.id).limit(1)):
        return
    for name, username, title, requested, raised, end in APPLICANTS:
        org = session.scalar(select(Organization).where(Organization.name == name))
        user = _user_for(session, org, username) if org is not None else None
        if user is None:
            continue
        data = services.ApplicationData(
            title=title, summary=f"{title}：以社区为单位组织服务，建立长效机制。",
            beneficiaries="社区居民，重点为老年人与困境儿童", beneficiary_count=300,
            town_id=org.town_id,
            budget_lines=[{"item": "人员经费", "amount": Decimal(requested)},
                          {"item": "活动物料与场地", "amount": Decimal(raised)}],
            requested=Decimal(requested), self_raised=Decimal(raised),
            self_raised_source="机构自有资金及爱心企业捐赠",
            timeline="第一季度需求调研；第二、三季度服务实施；第四季度总结评估。",
            answers={"q1": "团队由三名持证社工与十名骨干志愿者组成，已在社区服务五年。",
                     "q2": "12", "q3": "仅城市社区"})
        application = services.create_application(session, user, grant_round.id, data)
        if end in ("submitted", "withdrawn"):
            services.submit_application(session, user, application.id)
        if end == "withdrawn":
            services.withdraw_application(session, user, application.id)
