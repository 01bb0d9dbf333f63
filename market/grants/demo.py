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
from market.grants import review, services
from market.grants.models import ApplicationStatus, GrantApplication, GrantRound
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
    _review_round(session, civil)
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


# --- a round under review (issue 11, part 3) -------------------------------------------

REVIEW_ROUND_TITLE = "昆山市年度为老助残公益创投活动"
# organization, username, title, requested, self-raised, screening: (eligible, reason, note)
REVIEW_APPLICANTS = [
    ("周市镇居家养老服务中心", "grant-org4", "“时间银行”互助养老项目", "90000.00", "30000.00",
     (True, "meets_requirements", "")),
    ("昆山市心理健康服务中心", "grant-org5", "失能老人家庭照护者喘息服务", "80000.00", "20000.00",
     (True, "meets_requirements", "")),
    ("昆山市慈善基金会", "grant-org6", "残障青年就业支持计划", "75000.00", "25000.00",
     (True, "meets_requirements", "")),
    ("昆山市婚姻家庭调解服务中心", "grant-org7", "社区老人防诈骗宣传行动", "40000.00", "10000.00",
     (True, "meets_requirements", "")),
    ("张浦镇新市民融合服务中心", "grant-org8", "随迁老人社区融入计划", "60000.00", "20000.00",
     (True, "meets_requirements", "")),
    ("昆山市健康促进会", "grant-org9", "健康促进会年会与会员联谊", "30000.00", "8000.00",
     (False, "out_of_scope", "项目以举办年会和会员联谊为主，不属于本次创投支持的为老助残服务项目。")),
]
CONFLICT_NOTE = "本人曾为该机构提供督导服务并领取报酬，存在利益关系。"
# Per eligible application, what its reviewers did (in seat order): a list of the
# scores per criterion (submitted), "save" (declared, scores saved), "declared", None.
REVIEW_PLAN = [
    [[92, 88, 85, 90], [60, 55, 58, 62], [80, 78, 75, 82]],  # spread > 20: a second look
    [[85, 80, 78, 84], [82, 84, 80, 79], [88, 82, 85, 86]],
    [[75, 70, 72, 74], [78, 76, 70, 72], "save"],
    ["declared", None, None],
    [None, None, None],
]


def _review_round(session: Session, civil: User) -> None:
    """A second round of this year whose window closed three days ago: organizations
    applied while it was open, then the round's timetable and the applications were moved
    back in time as a whole (as the tenders' demo does), so every rule still ran. Civil
    affairs screened them (one ineligible), drew the reviewers (community governance), one
    reviewer declared a conflict and was replaced, and the scores are partly in."""
    if civil is None or session.scalar(select(GrantRound.id).where(
            GrantRound.title == REVIEW_ROUND_TITLE)) is not None:
        return
    first = session.scalar(select(GrantRound).where(GrantRound.title == ROUND_TITLE))
    if first is None:
        return
    item, pool = first.item, Decimal("300000.00")
    room = services.available_for(session, item)
    if room < pool:
        finance = session.scalar(select(User).where(User.username == "finance"))
        catalogs.amend_budget(session, finance, item.id, item.budget + pool - room,
                              "追加为老助残公益创投资金")
    at = now()
    data = services.RoundData(
        title=REVIEW_ROUND_TITLE, item_id=item.id, pool=pool, cap=Decimal("100000.00"),
        min_self_share=Decimal("20"), eligible_categories=["charity", "community"],
        min_grade=0, priority_mode="score_bonus", priority_value=Decimal("3"),
        startups_without_grade=True, allow_multiple=False,
        opens_at=at - dt.timedelta(days=1), closes_at=at + dt.timedelta(days=1),
        reviewers_per_application=3, criteria=CRITERIA, questions=[],
        tranches=first.tranches, reporting_dates=first.reporting_dates,
        description="面向全市社会组织征集为老服务、助残服务领域的公益项目，经资格审查和专家评审择优资助。")
    grant_round = services.publish_round(session, civil,
                                         services.create_round(session, civil, data).id)
    applied = []
    for name, username, title, requested, raised, screening in REVIEW_APPLICANTS:
        org = session.scalar(select(Organization).where(Organization.name == name))
        if org is None or services.eligibility_problem(session, org, grant_round, at):
            continue
        user = _user_for(session, org, username)
        application = services.create_application(session, user, grant_round.id,
                                                  services.ApplicationData(
            title=title, summary=f"{title}：面向辖区老年人和残疾人提供专业服务。",
            beneficiaries="辖区老年人、残疾人及其家庭", beneficiary_count=200,
            town_id=org.town_id,
            budget_lines=[{"item": "专业服务人员经费", "amount": Decimal(requested)},
                          {"item": "活动与物料", "amount": Decimal(raised)}],
            requested=Decimal(requested), self_raised=Decimal(raised),
            self_raised_source="机构自有资金及社会捐赠",
            timeline="第一季度需求评估；第二至第四季度服务实施与总结。"))
        services.submit_application(session, user, application.id)
        applied.append((application, screening))
    back = dt.timedelta(days=4)  # the window closed three days ago
    grant_round.opens_at -= dt.timedelta(days=30) + back
    grant_round.closes_at -= back
    grant_round.created_at -= dt.timedelta(days=31) + back
    grant_round.published_at -= dt.timedelta(days=31) + back
    for application, _ in applied:
        application.created_at -= back + dt.timedelta(hours=2)
        application.submitted_at -= back + dt.timedelta(hours=1)
    session.flush()
    for application, (eligible, reason, note) in applied:
        review.screen(session, civil, application.id, eligible=eligible, reason=reason,
                      note=note)
    if not any(eligible for _, (eligible, _, _) in applied):
        return
    review.draw_reviewers(session, civil, grant_round.id, "community_governance",
                          seed="9e1f3c5a7b2d4e6f8a0b1c2d3e4f5a6b")
    eligible = [a for a, _ in applied if a.status == ApplicationStatus.ELIGIBLE]
    for index, (application, plan) in enumerate(zip(eligible, REVIEW_PLAN, strict=False)):
        if index == 0:  # the first drawn reviewer declares a conflict: a redraw
            first_seat = review.seats(session, application)[0]
            review.declare(session, first_seat.user, application.id, conflict=True,
                           note=CONFLICT_NOTE)
        for seat, step in zip(review.seats(session, application), plan, strict=False):
            if step is None:
                continue
            review.declare(session, seat.user, application.id, conflict=False)
            if step == "declared":
                continue
            if step == "save":  # two criteria scored so far, not submitted
                scores = [review.CriterionScore(70, _comment(70)),
                          review.CriterionScore(68, ""), review.CriterionScore(None, ""),
                          review.CriterionScore(None, "")]
            else:
                scores = [review.CriterionScore(s, _comment(s)) for s in step]
            review.save_scores(session, seat.user, application.id, scores,
                               submit=step != "save")


def _comment(score: int) -> str:
    if score >= 85:
        return "设计严谨，需求论证充分，预期成效明确。"
    if score >= 70:
        return "总体可行，部分环节需进一步细化。"
    return "需求分析不足，实施路径不够清晰。"
