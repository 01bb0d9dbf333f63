"""Demo tenders on the FY2026 catalog items: two open for bids (with sealed bids and a
clarification), one awaiting opening, one already opened, one draft. Idempotent. Every
published one holds its ceiling reserved in the ledger (预留), also in a demo database
seeded before reservations existed.

Tenders in the past are made through the real services at the present time and then
moved back in time as a whole (deadlines, publication, bids), so every rule still ran.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Department, User
from market.access.permissions import Role
from market.accounts.services import create_user
from market.catalogs.models import Catalog, CatalogItem
from market.clock import LOCAL_TZ, now
from market.demo import DEMO_PASSWORD
from market.documents.storage import Upload
from market.grading.grades import record_grade
from market.grading.models import OrgGrade
from market.orgs.enums import SanctionKind
from market.orgs.demo import minimal_pdf
from market.orgs.models import Organization, Sanction
from market.tenders import bid_services, clarifications, tender_services
from market.tenders.models import Bid, Question, Tender, TenderChange

# Grades of the demo registry (imported from the legacy system when none is recorded).
GRADES = {
    "昆山市阳光社工服务中心": 4, "昆山市慈善基金会": 5, "周市镇居家养老服务中心": 3,
    "巴城镇乐龄之家服务中心": 2, "玉山镇邻里互助协会": 3, "昆山市微笑公益服务社": 3,
    "陆家镇社区志愿者协会": 1, "昆山市心理健康服务中心": 4, "昆山市助学促进会": 3,
}
# Demo bidders: username → organization (the demo user ``org`` already acts for 阳光社工).
BIDDERS = {
    "org-cishan": "昆山市慈善基金会", "org-zhoushi": "周市镇居家养老服务中心",
    "org-yushan": "玉山镇邻里互助协会", "org-weixiao": "昆山市微笑公益服务社",
    "org-bacheng": "巴城镇乐龄之家服务中心", "org-xinli": "昆山市心理健康服务中心",
}
CRITERIA = [("价格", "30", True), ("服务方案与实施计划", "40", False),
            ("团队资质与服务经验", "20", False), ("质量保障与应急预案", "10", False)]


def _item(session: Session, dept_code: str, position: int) -> CatalogItem | None:
    return session.scalar(select(CatalogItem).join(Catalog).join(Department).where(
        Department.code == dept_code, Catalog.fiscal_year == 2026,
        CatalogItem.position == position))


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _grades(session: Session) -> None:
    since = now().astimezone(LOCAL_TZ).date() - dt.timedelta(days=400)
    for name, grade in GRADES.items():
        org = session.scalar(select(Organization).where(Organization.name == name))
        if org is None or session.scalar(select(OrgGrade.id).where(
                OrgGrade.organization_id == org.id)):
            continue
        row = record_grade(session, org.id, grade, since, source="legacy",
                           note="评估等级（导入）")
        # An imported decision was on record from the day it took effect: the grade frozen
        # at a (back-dated) demo tender's deadline must see it.
        row.recorded_at = dt.datetime.combine(since, dt.time(9), tzinfo=LOCAL_TZ)


def _bidder_users(session: Session) -> dict[str, User]:
    users = {"org": _user(session, "org")}
    for username, name in BIDDERS.items():
        user = _user(session, username)
        if user is None:
            org = session.scalar(select(Organization).where(Organization.name == name))
            user = create_user(session, username=username, password=DEMO_PASSWORD,
                               display_name=f"{name}投标联系人", role=Role.ORGANIZATION)
            user.organization_id = org.id
        users[username] = user
    session.flush()
    return users


def _terms(title: str, description: str, ceiling: str, start: dt.datetime, *, days: int,
           **extra) -> dict:
    start = start.astimezone(LOCAL_TZ).replace(hour=17, minute=0, second=0, microsecond=0)
    bid_deadline = (start + dt.timedelta(days=days)).replace(hour=9, minute=30)
    return dict(title=title, description=description, ceiling_price=ceiling,
                clarification_deadline=start + dt.timedelta(days=days // 2),
                bid_deadline=bid_deadline, opening_time=bid_deadline + dt.timedelta(minutes=30),
                criteria=CRITERIA, **extra)


def _move_back(session: Session, tender: Tender, delta: dt.timedelta) -> None:
    """Shift a whole tender (its terms, publication, questions and bids) into the past."""
    session.flush()
    for column in ("clarification_deadline", "bid_deadline", "opening_time", "created_at",
                   "published_at"):
        setattr(tender, column, getattr(tender, column) - delta)
    for bid in session.scalars(select(Bid).where(Bid.tender_id == tender.id)):
        bid.submitted_at -= delta
        if bid.revised_at:
            bid.revised_at -= delta
    for q in session.scalars(select(Question).where(Question.tender_id == tender.id)):
        q.asked_at -= delta
        if q.answered_at:
            q.answered_at -= delta
    for change in session.scalars(select(TenderChange).where(
            TenderChange.tender_id == tender.id)):
        change.at -= delta
    session.flush()


def attach_demo_document(session, dept_user, tender: Tender) -> None:
    """A small tender document (招标文件), which publication requires."""
    tender_services.attach_document(session, dept_user, tender.id, Upload(
        f"招标文件-{tender.reference}.pdf", minimal_pdf(f"Tender documents {tender.reference}")))


def _make(session, dept_user, item, terms, bids=(), questions=(), publish=True) -> Tender:
    tender = tender_services.create_tender(session, dept_user, item.id, terms)
    attach_demo_document(session, dept_user, tender)
    if publish:
        tender_services.publish_tender(session, dept_user, tender.id)
    for user, text, answer in questions:
        q = clarifications.ask_question(session, user, tender.id, text)
        if answer:
            clarifications.answer_question(session, dept_user, q.id, answer)
    for user, price, proposal in bids:
        bid_services.submit_bid(session, user, tender.id, price, proposal)
    session.flush()
    return tender


#: the departments whose tenders this demo writes (the city-year of ``flask demo seed``
#: has tenders of its own, in other departments)
OWN_DEPARTMENTS = ("WJW", "MZJ", "SFJ")


def _own_tenders():
    return select(Tender).join(Department, Tender.department_id == Department.id).where(
        Department.code.in_(OWN_DEPARTMENTS)).order_by(Tender.id)


def _reserve_published(session: Session) -> None:
    """A demo database seeded before budget reservations: its open tenders reserve their
    ceilings now, so the auditor's budget execution shows them (idempotent)."""
    for tender in session.scalars(_own_tenders()):
        author = session.get(User, tender.created_by_id) if tender.created_by_id else None
        if author is not None:
            tender_services.reserve_if_unreserved(session, author, tender)


def seed(session: Session) -> None:
    _grades(session)
    if session.scalar(_own_tenders().limit(1)) is not None:
        _reserve_published(session)
        return
    wjw, mzj, sfj = _user(session, "dept"), _user(session, "dept-mzj"), _user(session, "dept-sfj")
    items = {key: _item(session, *key) for key in (("WJW", 1), ("WJW", 2), ("MZJ", 1),
                                                   ("MZJ", 2), ("SFJ", 1))}
    if None in (wjw, mzj, sfj) or None in items.values():
        return
    u = _bidder_users(session)
    t0 = now()
    # 1. Home care — open for bids, 3A+ only, one answered question.
    _make(session, wjw, items["WJW", 1], _terms(
        "2026年度社区居家养老上门服务项目", "为玉山镇、周市镇高龄、失能老人提供助餐、助浴、助洁和健康"
        "监测上门服务，全年不少于24000人次。", "1750000.00", t0, days=20,
        priority_rule="restricted"),
        bids=[(u["org-cishan"], "1688000.00", "组建30人专职护理团队，分片包干，24小时应急响应。"),
              (u["org-zhoushi"], "1650000.00", "依托镇居家养老服务中心，助餐点全覆盖，配送到户。")],
        questions=[(u["org-yushan"], "助浴服务是否需要配备专用助浴车？",
                    "不强制要求，但需保证服务安全，投标方案中应说明助浴设备与安全措施。")])
    # 2. Health education — open for bids, 6 % price deduction for 3A+.
    health = _make(session, wjw, items["WJW", 2], _terms(
        "家庭医生签约健康宣教服务", "在全市社区开展健康讲座与慢病管理小组活动360场。", "400000.00",
        t0, days=14, procedure="negotiation", accept_basic_pass_report=True),
        bids=[(u["org"], "368000.00", "社工+家庭医生双师模式，每场活动配备健康评估与随访。"),
              (u["org-xinli"], "379500.00", "心理健康与慢病管理结合，小组活动全程记录。")],
        questions=[(u["org-weixiao"], "讲座场地由谁提供？", None)])
    # 2b. The department adds a service requirement less than 15 days before the deadline:
    # the change affects how bids are prepared, so the deadline moves (MOF Order No. 87,
    # art. 27) and both bidders are told to reconfirm; one already has.
    tender_services.amend_tender(session, wjw, health.id, dict(
        title=health.title, procedure=health.procedure.value,
        description=health.description + "每场活动须配备执业医师一名。",
        ceiling_price=str(health.ceiling_price),
        clarification_deadline=health.clarification_deadline,
        bid_deadline=health.bid_deadline, opening_time=health.opening_time,
        priority_rule=health.priority_rule.value,
        accept_basic_pass_report=health.accept_basic_pass_report,
        criteria=[(c.name, c.weight, c.is_price) for c in health.criteria]),
        "补充服务要求：每场活动须配备执业医师。")
    bid_services.reconfirm_bid(session, u["org"], health.id)
    # 3. Community governance — opened a week ago (filed organizations welcome).
    opened = _make(session, mzj, items["MZJ", 1], _terms(
        "社区治理创新项目（第一批）", "在40个社区开展议事协商、楼道自治和志愿服务组织培育。",
        "1100000.00", t0, days=10, procedure="open", allow_filed=True,
        accept_basic_pass_report=True, priority_rule="score_bonus", priority_value="2"),
        bids=[(u["org-yushan"], "1050000.00", "以邻里互助会为基础，推广“楼道议事会”。"),
              (u["org-bacheng"], "998000.00", "乐龄志愿者参与社区自治，建立积分激励机制。"),
              (u["org"], "1080000.00", "专业社工驻点，培育社区社会组织20家以上。")])
    _move_back(session, opened, dt.timedelta(days=18))
    tender_services.open_bids(session, mzj, opened.id)
    opened.opened_at = opened.opening_time + dt.timedelta(minutes=3)  # opened on time
    # 4. Children — bids closed yesterday evening, waiting to be opened.
    waiting = _make(session, mzj, items["MZJ", 2], _terms(
        "困境儿童关爱服务项目", "为500名困境儿童提供个案管理、学业辅导和心理支持。", "640000.00",
        t0, days=12, priority_rule="tie_break", accept_basic_pass_report=True),
        bids=[(u["org-cishan"], "620000.00", "基金会配套资金10万元，一对一结对帮扶。"),
              (u["org"], "598000.00", "个案管理+学业辅导+心理支持三位一体。"),
              (u["org-weixiao"], "615000.00", "志愿者陪伴成长计划，每月家访。")])
    _move_back(session, waiting, dt.timedelta(days=13))
    # 5. Mediation — a draft the justice bureau is still preparing.
    _make(session, sfj, items["SFJ", 1], _terms(
        "社区人民调解驻点服务", "在各镇派驻调解员，提供法律咨询和矛盾纠纷调解。", "360000.00", t0,
        days=21), publish=False)
    _sanctions(session)
    session.flush()


def _sanctions(session: Session) -> None:
    """Provider conditions (承接主体条件) the demo shows on "Tenders I can bid on": 微笑
    (org-weixiao) under a sanction in force since today — after its bid on the children's
    tender closed, so that bid still counts; 巴城 (org-bacheng) with a serious violation two
    years ago, so it may not bid for three years after it. The demo user ``org`` sees
    the home-care tender refuse its 基本合格 annual inspection (market/orgs/demo.py)."""
    today = now().astimezone(LOCAL_TZ).date()
    rows = [("昆山市微笑公益服务社", SanctionKind.WARNING, False, today, today + dt.timedelta(days=90),
             "昆山市民政局", "未按规定公开年度工作报告，责令限期改正。"),
            ("巴城镇乐龄之家服务中心", SanctionKind.FINE, True, today - dt.timedelta(days=730),
             today - dt.timedelta(days=700), "昆山市市场监督管理局",
             "虚假宣传养老服务项目，处较大数额罚款。")]
    for name, kind, serious, imposed, ends, authority, reason in rows:
        org = session.scalar(select(Organization).where(Organization.name == name))
        if org is not None:
            session.add(Sanction(organization_id=org.id, kind=kind, serious=serious,
                                 imposed_on=imposed, ends_on=ends, authority=authority,
                                 reason=reason))

