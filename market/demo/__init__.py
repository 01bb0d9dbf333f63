"""Demo data: Kunshan's departments and towns, an evaluator agency, one user per role.

Idempotent: running it again adds nothing that exists. Feature packages add their own
demo data with ``register_seeder`` in their ``init_app``.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Department, EvaluatorAgency, Town, User
from market.access.permissions import Role
from market.accounts.services import create_user
from market.core import registry

DEMO_PASSWORD = "demo-pass-2026"

DEPARTMENTS = [
    # code, Chinese name, English name, is the finance bureau
    ("MZJ", "昆山市民政局", "Kunshan Civil Affairs Bureau", False),
    ("CZJ", "昆山市财政局", "Kunshan Finance Bureau", True),
    ("WJW", "昆山市卫生健康委员会", "Kunshan Health Commission", False),
    ("JYJ", "昆山市教育局", "Kunshan Education Bureau", False),
    ("RSJ", "昆山市人力资源和社会保障局", "Kunshan Human Resources and Social Security Bureau", False),
    ("SFJ", "昆山市司法局", "Kunshan Justice Bureau", False),
    ("WTJ", "昆山市文体广电和旅游局", "Kunshan Culture, Sports, Radio, TV and Tourism Bureau", False),
    ("CLH", "昆山市残疾人联合会", "Kunshan Disabled Persons' Federation", False),
    ("FL", "昆山市妇女联合会", "Kunshan Women's Federation", False),
    ("TSW", "共青团昆山市委", "Communist Youth League Kunshan Committee", False),
]

TOWNS = [
    # code, Chinese name, English name, registered residents (operator-entered figure)
    ("YS", "玉山镇", "Yushan Town", 330000),
    ("BC", "巴城镇", "Bacheng Town", 75000),
    ("ZS", "周市镇", "Zhoushi Town", 90000),
    ("LJ", "陆家镇", "Lujia Town", 60000),
    ("HQ", "花桥镇", "Huaqiao Town", 70000),
    ("ZP", "张浦镇", "Zhangpu Town", 85000),
    ("QD", "千灯镇", "Qiandeng Town", 60000),
    ("DSH", "淀山湖镇", "Dianshanhu Town", 35000),
    ("ZZ", "周庄镇", "Zhouzhuang Town", 25000),
    ("JX", "锦溪镇", "Jinxi Town", 30000),
    ("KFQ", "昆山经济技术开发区", "Kunshan Economic and Technological Development Zone", 200000),
    ("GXQ", "昆山高新技术产业开发区", "Kunshan High-tech Zone", 150000),
]

AGENCIES = ["苏州社会组织评估中心", "昆山市公益评估事务所"]

# username, role, display name, affiliation
DEMO_USERS = [
    ("civil", Role.CIVIL_AFFAIRS, "民政局登记管理科", {"department": "MZJ"}),
    ("town", Role.TOWN_OFFICER, "玉山镇社会事务办", {"town": "YS"}),
    ("finance", Role.FINANCE, "财政局社保科", {"department": "CZJ"}),
    ("dept", Role.DEPARTMENT, "卫健委老龄健康科", {"department": "WJW"}),
    ("org", Role.ORGANIZATION, "昆山市阳光社工服务中心联系人", {}),
    ("evaluator", Role.EVALUATOR, "评估中心评估员", {"agency": AGENCIES[0]}),
    ("expert", Role.EXPERT, "评审专家王老师", {}),
    ("auditor", Role.AUDITOR, "市审计局审计员", {}),
]

Seeder = Callable[[Session], None]


def register_seeder(app, name: str, fn: Seeder, *, showcase: bool = False) -> None:
    """A feature adds its demo data: ``fn(session)`` runs after the core seed, in feature
    order. A ``showcase`` seeder (an evaluated, awarded, contracted and partly paid
    tender) runs only for the demo command: it is slow, and tests build such states
    themselves."""
    kind = "demo_showcase" if showcase else "demo_seeders"
    for seeders in registry.targets(app, kind, dict, process=True):
        seeders.setdefault(name, fn)


def seed(session: Session, showcase: bool = False) -> list[tuple[str, str, str]]:
    """Seed everything (with ``showcase``, also a tender carried through to payment);
    returns (username, password, role) for the demo logins."""
    logins = seed_core(session)
    for fn in list(registry.current("demo_seeders", dict, process=True).values()):
        fn(session)
    if showcase:
        for fn in list(registry.current("demo_showcase", dict, process=True).values()):
            fn(session)
    return logins


def seed_core(session: Session) -> list[tuple[str, str, str]]:
    """Departments, towns, agencies and one user per role (idempotent); the demo logins."""
    departments = {}
    for code, zh, en, is_finance in DEPARTMENTS:
        d = session.scalar(select(Department).where(Department.code == code))
        if d is None:
            d = Department(code=code, name_zh=zh, name_en=en, is_finance=is_finance)
            session.add(d)
        departments[code] = d
    towns = {}
    for code, zh, en, population in TOWNS:
        t = session.scalar(select(Town).where(Town.code == code))
        if t is None:
            t = Town(code=code, name_zh=zh, name_en=en, population=population)
            session.add(t)
        towns[code] = t
    agencies = {}
    for name in AGENCIES:
        a = session.scalar(select(EvaluatorAgency).where(EvaluatorAgency.name == name))
        if a is None:
            a = EvaluatorAgency(name=name)
            session.add(a)
        agencies[name] = a
    session.flush()

    logins = []
    for username, role, display, aff in DEMO_USERS:
        if session.scalar(select(User).where(User.username == username)) is None:
            kwargs = {}
            if "department" in aff:
                kwargs["department_id"] = departments[aff["department"]].id
            if "town" in aff:
                kwargs["town_id"] = towns[aff["town"]].id
            if "agency" in aff:
                kwargs["agency_id"] = agencies[aff["agency"]].id
            create_user(session, username=username, password=DEMO_PASSWORD,
                        display_name=display, role=role, **kwargs)
        logins.append((username, DEMO_PASSWORD, str(role)))
    session.flush()
    return logins
