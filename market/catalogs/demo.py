"""Demo catalogs: FY2026 approved for several departments (appropriated in the ledger),
each item's procurement intention published (dated back far enough for its tenders), a
FY2027 draft for the demo department. Idempotent."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.accounts.models import Department, User
from market.catalogs import services
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus
from market.clock import now

# The expected month of purchase of the demo's FY2026 items, by position.
INTENTION_MONTHS = {1: "2026-03", 2: "2026-04", 3: "2026-05"}

CATALOGS = {
    "WJW": [
        ("elderly", "社区居家养老上门服务", "为高龄、失能老人提供助餐、助浴、助洁、健康监测", "24000", "人次",
         "3000000.00", ["charity", "community"], 3),
        ("health", "家庭医生签约健康宣教", "社区健康讲座与慢病管理小组", "360", "场次",
         "1600000.00", ["charity", "community", "science"], 0),
    ],
    "MZJ": [
        ("community", "社区治理创新项目", "社区议事协商、楼道自治、志愿服务组织培育", "40", "个社区",
         "1200000.00", ["community", "charity"], 0),
        ("disability", "困境儿童关爱服务", "个案管理、学业辅导、心理支持", "500", "人",
         "650000.00", ["charity"], 3),
        ("evaluation", "购买服务项目第三方评估", "中期与末期绩效评价", "30", "个项目",
         "300000.00", ["science", "other"], 0),
    ],
    "SFJ": [
        ("legal_aid", "社区人民调解与法律援助", "驻点调解、法律咨询", "2000", "小时",
         "380000.00", ["charity", "community", "industry"], 0),
    ],
}


def _department_user(session: Session, dept: Department) -> User:
    from market.access.permissions import Role
    from market.accounts.services import create_user

    username = f"dept-{dept.code.lower()}"
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = session.scalar(select(User).where(User.role == Role.DEPARTMENT,
                                                 User.department_id == dept.id))
    if user is None:
        from market.demo import DEMO_PASSWORD

        user = create_user(session, username=username, password=DEMO_PASSWORD,
                           display_name=dept.name_zh, role=Role.DEPARTMENT,
                           department_id=dept.id)
    return user


def seed(session: Session) -> None:
    finance = session.scalar(select(User).where(User.username == "finance"))
    for code, items in CATALOGS.items():
        dept = session.scalar(select(Department).where(Department.code == code))
        if session.scalar(select(Catalog.id).where(Catalog.department_id == dept.id,
                                                   Catalog.fiscal_year == 2026)):
            continue
        author = _department_user(session, dept)
        catalog = services.create_catalog(session, author, 2026)
        for cat, title, desc, qty, unit, budget, eligible, grade in items:
            services.add_item(session, author, catalog.id, services.ItemData(
                cat, title, desc, qty, unit, budget, eligible, grade))
        services.submit_catalog(session, author, catalog.id)
        services.approve_catalog(session, finance, catalog.id)
    _publish_intentions(session)
    dept_user = session.scalar(select(User).where(User.username == "dept"))
    if not session.scalar(select(Catalog.id).where(Catalog.department_id == dept_user.department_id,
                                                   Catalog.fiscal_year == 2027)):
        draft = services.create_catalog(session, dept_user, 2027)
        services.add_item(session, dept_user, draft.id, services.ItemData(
            "elderly", "老年人防跌倒干预", "居家环境评估与适老化改造指导", "800", "户",
            "260000.00", ["charity", "community"], 0))



def _publish_intentions(session: Session) -> None:
    """Each approved FY2026 item without an intention publishes one (also in a database
    seeded before intentions existed), dated back past the waiting period plus a month, so
    the demo's tenders — published now and moved into the past — came after it."""
    items = session.scalars(select(CatalogItem).join(Catalog).where(
        Catalog.fiscal_year == 2026, Catalog.status == CatalogStatus.APPROVED,
        CatalogItem.intention_published_at.is_(None)).order_by(CatalogItem.id)).all()
    back = dt.timedelta(days=policy.value("intention_public_days") + 30)
    for item in items:
        author = _department_user(session, item.catalog.department)
        services.publish_intention(session, author, item.id, item.description or item.title,
                                   INTENTION_MONTHS.get(item.position, "2026-06"))
        item.intention_published_at = now() - back
    session.flush()
