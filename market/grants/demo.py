"""Demo venture philanthropy (issue 11, part 8).

- An open round of this year on civil affairs' community governance item (finance first
  raises its budget by what the round needs), with applications in draft, submitted and
  withdrawn (the demo user ``org`` has a withdrawn one and a draft; two more
  organizations have a submitted one each, ``grant-org2`` and ``grant-org3``).
- A round of this year under review (``_review_round``).
- Last year's finished round (``_finished_round``) on civil affairs' item of last year
  (its catalog drafted and approved through the catalogs services when the demo has
  none): screened, reviewed, decided within the pool, paid in three tranches, one grant
  stopped at its mid-term evaluation and the rest of its commitment released. Its ledger
  postings are dated the day of seeding; its domain dates lie in last year.

The two incubation bases are the incubation room's demo. Idempotent."""
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
from market.clock import LOCAL_TZ, now, today_local
from market.demo import DEMO_PASSWORD
from market.errors import DomainError
from market.grants import funding, review, services
from market.grants.funding_models import GrantStatus
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


def _eligible_applicant(session: Session, grant_round: GrantRound, at, name: str,
                        username: str | None) -> tuple[Organization, User] | None:
    """The demo organization ``name`` and the user applying for it, when it may apply to
    the round now (None otherwise: the demo skips it rather than break a rule)."""
    org = session.scalar(select(Organization).where(Organization.name == name))
    if org is None or services.eligibility_problem(session, org, grant_round, at):
        return None
    return org, _user_for(session, org, username)


def seed(session: Session) -> None:
    civil = session.scalar(select(User).where(User.username == "civil"))
    grant_round = _round(session, civil)
    _review_round(session, civil)
    _finished_round(session, civil)
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
        found = _eligible_applicant(session, grant_round, at, name, username)
        if found is None:
            continue
        org, user = found
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


# --- last year's finished round (issue 11, part 8) -------------------------------------

# organization, username, title, requested, self-raised, criterion scores of the three
# reviewers (the same on every criterion), what happened: granted amount or the reason
# for not funding it; "stopped": granted, then stopped by a failing mid-term evaluation
FINISHED_APPLICANTS = [
    ("玉山镇邻里互助协会", "grant-org2", "“楼道微治理”居民自治培育项目", "90000.00", "25000.00",
     (90, 88, 92), "90000.00"),
    ("陆家镇社区志愿者协会", "grant-org3", "社区应急志愿服务队建设", "80000.00", "20000.00",
     (86, 84, 85), "80000.00"),
    ("周市镇居家养老服务中心", "grant-org4", "“银龄互助”社区老年志愿者培育", "75000.00", "20000.00",
     (82, 80, 81), "stopped"),
    ("昆山市心理健康服务中心", "grant-org5", "社区居民心理健康服务站", "60000.00", "15000.00",
     (78, 79, 77), "55000.00"),
    ("昆山市慈善基金会", "grant-org6", "社区慈善微基金试点", "50000.00", "12500.00",
     (70, 72, 71), "综合评分排名第五，本轮资金池已分配完毕，欢迎下一年度继续申报。"),
]
FINISHED_STOP_NOTE = "中期评估：服务开展次数不足计划的一半，志愿者队伍流失严重，项目执行未达中期目标。"


def finished_round_title(year: int) -> str:
    return f"{year}年度昆山市社区公益创投活动"


def _last_year_item(session: Session, year: int) -> CatalogItem | None:
    """Civil affairs' approved community governance item of ``year``; when the demo has no
    catalog of civil affairs for that year, civil affairs drafts it with that one item and
    finance approves it (the appropriation reaches the ledger)."""
    dept = session.scalar(select(Department).where(Department.code == "MZJ"))
    if dept is None:
        return None
    catalog = session.scalar(select(Catalog).where(Catalog.department_id == dept.id,
                                                   Catalog.fiscal_year == year))
    if catalog is None:
        author = session.scalar(select(User).where(User.role == Role.DEPARTMENT,
                                                   User.department_id == dept.id)
                                .order_by(User.id).limit(1))
        finance = session.scalar(select(User).where(User.username == "finance"))
        if author is None or finance is None:
            return None
        catalog = catalogs.create_catalog(session, author, year)
        catalogs.add_item(session, author, catalog.id, catalogs.ItemData(
            "community", ITEM_TITLE, "社区议事协商、楼道自治、志愿服务组织培育（含年度公益创投）",
            "30", "个社区", "500000.00", ["community", "charity"], 0))
        catalogs.submit_catalog(session, author, catalog.id)
        catalogs.approve_catalog(session, finance, catalog.id)
    if catalog.status != CatalogStatus.APPROVED:
        return None
    return session.scalar(select(CatalogItem).where(CatalogItem.catalog_id == catalog.id,
                                                    CatalogItem.title == ITEM_TITLE))


def _finished_round(session: Session, civil: User) -> None:
    """Last year's round, run to its end through the services: applications submitted,
    screened, reviewers drawn at random (community governance) who declare and score, the
    decision within the pool (four funded, one not, with its reason), the agreements
    signed, the first tranches paid, the mid-term reports and evaluations (one failing:
    that grant stops and what remains of its commitment is released to the pool), the
    second tranches, the final reports and evaluations, the third tranches.

    Every rule ran at seeding time, so the ledger's postings (reservations, commitments,
    payments, the release, the evaluations) and the audit entries are dated the day of
    seeding — the ledger takes entries in date order and this demo does not backdate it.
    Afterwards the domain dates (the round's timetable, submissions, screening, draws,
    declarations and scores, the decision, signing, payments, reports, evaluations) are
    moved as a whole into last year, as the review round above and the tenders' demo do."""
    year = now().astimezone(LOCAL_TZ).year - 1
    title = finished_round_title(year)
    if civil is None or session.scalar(select(GrantRound.id).where(
            GrantRound.title == title)) is not None:
        return
    item = _last_year_item(session, year)
    finance = session.scalar(select(User).where(User.username == "finance"))
    evaluator = session.scalar(select(User).where(User.username == "evaluator"))
    if item is None or finance is None or evaluator is None:
        return
    pool = Decimal("300000.00")
    room = services.available_for(session, item)
    if room < pool:  # the item of an older demo database is spent: finance adds to it
        try:
            catalogs.amend_budget(session, finance, item.id, item.budget + pool - room,
                                  "追加年度公益创投专项资金")
        except DomainError:  # e.g. that fiscal year is closed: no finished round
            return
    at = now()
    grant_round = services.publish_round(session, civil, services.create_round(
        session, civil, services.RoundData(
            title=title, item_id=item.id, pool=pool, cap=Decimal("100000.00"),
            min_self_share=Decimal("20"), eligible_categories=["charity", "community"],
            min_grade=0, priority_mode="score_bonus", priority_value=Decimal("3"),
            startups_without_grade=True, allow_multiple=False,
            opens_at=at - dt.timedelta(days=1), closes_at=at + dt.timedelta(days=1),
            reviewers_per_application=3, criteria=CRITERIA, questions=[],
            tranches=[{"stage": "signing", "percent": 50}, {"stage": "midterm", "percent": 30},
                      {"stage": "final", "percent": 20}],
            reporting_dates=[f"{year}-08-31", f"{year}-12-05"],
            description="面向全市社会组织征集社区治理创新项目，经资格审查、专家评审和立项决定，"
                        "资金按签约、中期评估、结项评估分三期拨付。")).id)
    plans = []
    for name, username, ptitle, requested, raised, scores, outcome in FINISHED_APPLICANTS:
        found = _eligible_applicant(session, grant_round, at, name, username)
        if found is None:
            continue
        org, user = found
        application = services.create_application(session, user, grant_round.id,
                                                  services.ApplicationData(
            title=ptitle, summary=f"{ptitle}：以社区为单位培育居民自组织，建立长效机制。",
            beneficiaries="社区居民及社区社会组织", beneficiary_count=500, town_id=org.town_id,
            budget_lines=[{"item": "人员经费", "amount": Decimal(requested)},
                          {"item": "活动与物料", "amount": Decimal(raised)}],
            requested=Decimal(requested), self_raised=Decimal(raised),
            self_raised_source="机构自有资金及社区基金会配套",
            timeline="四月启动；五至十一月服务实施；十二月结项评估。"))
        services.submit_application(session, user, application.id)
        plans.append((application, user, scores, outcome))
    if not plans:
        return
    _backdate_window(grant_round, plans, year)
    session.flush()
    for application, _, _, _ in plans:
        review.screen(session, civil, application.id, eligible=True,
                      reason="meets_requirements")
    review.draw_reviewers(session, civil, grant_round.id, "community_governance",
                          seed="3c7a9e1b5d2f4a6c8e0b2d4f6a8c0e2b")
    for application, _, scores, _ in plans:
        for seat, score in zip(review.seats(session, application), scores, strict=False):
            review.declare(session, seat.user, application.id, conflict=False)
            review.save_scores(session, seat.user, application.id,
                               [review.CriterionScore(score, _comment(score))
                                for _ in CRITERIA], submit=True)
    lines = [_decision_line(a, outcome) for a, _, _, outcome in plans]
    grants = funding.decide_round(session, civil, grant_round.id, lines)
    stopped = {g.id for g in grants for a, _, _, outcome in plans
               if g.application_id == a.id and outcome == "stopped"}
    applicant = {g.id: u for g in grants for a, u, _, _ in plans if g.application_id == a.id}
    for grant in grants:
        funding.sign_agreement(session, civil, grant.id, today_local())
        funding.accept_agreement(session, applicant[grant.id], grant.id)
        funding.pay_tranche(session, finance, grant.id, 1)
    for stage in ("midterm", "final"):
        for grant in grants:
            if grant.status != GrantStatus.SIGNED:
                continue
            failing = stage == "midterm" and grant.id in stopped
            funding.submit_report(session, applicant[grant.id], grant.id, stage,
                                  _report_text(stage, failing))
            funding.assign_evaluation(session, civil, grant.id, stage, evaluator.agency_id)
            funding.record_evaluation(
                session, evaluator, grant.id, stage, not failing,
                "55.00" if failing else "86.00",
                report=FINISHED_STOP_NOTE if failing else "项目按计划实施，达到阶段绩效目标。")
            if grant.status == GrantStatus.SIGNED:
                funding.pay_tranche(session, finance, grant.id, 2 if stage == "midterm" else 3)
    session.flush()
    _backdate_work(session, grant_round, plans, grants, year)


def _decision_line(application: GrantApplication, outcome: str) -> funding.DecisionLine:
    if outcome == "stopped":
        return funding.DecisionLine(application.id, True, application.requested)
    if outcome[0].isdigit():
        return funding.DecisionLine(application.id, True, Decimal(outcome))
    return funding.DecisionLine(application.id, False, None, outcome)


def _report_text(stage: str, failing: bool) -> str:
    if stage == "final":
        return "结项报告：全年开展服务四十余场次，培育社区自组织三个，服务居民五百余人次。"
    if failing:
        return "中期报告：受骨干志愿者流失影响，已开展服务六场次，少于计划的十五场次。"
    return "中期报告：已开展服务二十场次，培育居民骨干三十名，进度符合计划。"


def _last_year(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def _backdate_window(grant_round: GrantRound, plans, year: int) -> None:
    """The round's timetable and the submissions, moved into last year (the window
    then closed on 31 March) so that screening and the decision may follow."""
    grant_round.created_at = grant_round.published_at = _last_year(year, 2, 25)
    grant_round.opens_at = _last_year(year, 3, 1, 9)
    grant_round.closes_at = _last_year(year, 3, 31, 17)
    for n, (application, _, _, _) in enumerate(plans):
        application.created_at = _last_year(year, 3, 10 + n)
        application.submitted_at = _last_year(year, 3, 20 + n)


def _backdate_work(session: Session, grant_round: GrantRound, plans, grants, year: int
                   ) -> None:
    """Every later domain date of the round, moved into last year (see the docstring of
    ``_finished_round``)."""
    from market.grants.funding_models import GrantDecision
    from market.grants.models import GrantScreening

    for application, _, _, _ in plans:
        screening = session.scalar(select(GrantScreening).where(
            GrantScreening.application_id == application.id))
        if screening is not None:
            screening.screened_at = _last_year(year, 4, 3)
        draw = review.draw_of(session, application)
        if draw is not None:
            draw.drawn_at, draw.review_on = _last_year(year, 4, 8), dt.date(year, 4, 8)
        for seat in review.seats(session, application, active_only=False):
            seat.assigned_at = _last_year(year, 4, 8)
            seat.declared_at = seat.declared_at and _last_year(year, 4, 10)
            seat.submitted_at = seat.submitted_at and _last_year(year, 4, 20)
    for decision in session.scalars(select(GrantDecision).where(
            GrantDecision.round_id == grant_round.id)):
        decision.decided_at = _last_year(year, 4, 28)
    stages = {"midterm": ((8, 31), (9, 5), (9, 20)), "final": ((12, 5), (12, 8), (12, 18))}
    for grant in grants:
        grant.approved_at = _last_year(year, 4, 28)
        grant.signed_on, grant.signed_at = dt.date(year, 5, 10), _last_year(year, 5, 10)
        grant.accepted_at = grant.accepted_at and _last_year(year, 5, 12)
        for report in grant.reports:
            report.submitted_at = _last_year(year, *stages[report.stage][0])
        for evaluation in grant.evaluations:
            evaluation.assigned_at = _last_year(year, *stages[evaluation.stage][1])
            evaluation.recorded_at = _last_year(year, *stages[evaluation.stage][2])
        paid_on = {1: (5, 20), 2: (9, 30), 3: (12, 25)}
        for tranche in grant.tranches:
            tranche.paid_at = tranche.paid_at and _last_year(year, *paid_on[tranche.number])
        if grant.closed_at is not None:
            grant.closed_at = _last_year(year, *((9, 20) if grant.status == GrantStatus.STOPPED
                                                 else (12, 25)))
    session.flush()
