"""Demo expert pool: twelve experts in five specialties, ten of them in community
governance (the opened demo tender's specialty), among them one who works for the civil
affairs bureau, one employed by a bidder, one with a declared conflict and one
unavailable this fortnight — so the demo draw shows each exclusion. Idempotent."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Department, User
from market.access.permissions import Role
from market.accounts.services import create_user
from market.clock import LOCAL_TZ, now
from market.demo import DEMO_PASSWORD
from market.experts.models import PoolExpert, StandingConflict, Unavailability
from market.orgs.models import Organization

CG, SW, EC, LEGAL, FIN = ("community_governance", "social_work", "elderly_care", "legal",
                          "finance")
# username, name, title, specialties, employer (free text), employer organization,
# employer department code
EXPERTS = [
    ("expert", "评审专家王老师", "教授", [CG, SW], "苏州大学社会学院", None, None),
    ("expert2", "评审专家李老师", "高级社会工作师", [CG, EC], "昆山市社会工作协会", None, None),
    ("expert3", "评审专家陈老师", "副研究员", [CG], "苏州市委党校", None, None),
    ("expert4", "评审专家张老师", "高级会计师", [CG, FIN], "昆山信达会计师事务所", None, None),
    ("expert5", "评审专家刘老师", "律师", [CG, LEGAL], "江苏昆仑律师事务所", None, None),
    ("expert6", "评审专家杨老师", "副教授", [CG, SW], "苏州科技大学", None, None),
    ("expert7", "评审专家赵老师", "高级社会工作师", [CG], "", "玉山镇邻里互助协会", None),
    ("expert8", "评审专家黄老师", "科长", [CG], "", None, "MZJ"),
    ("expert9", "评审专家周老师", "研究员", [CG, EC], "昆山市社会科学界联合会", None, None),
    ("expert10", "评审专家吴老师", "副教授", [CG], "昆山杜克大学", None, None),
    ("expert11", "评审专家徐老师", "主任医师", [EC], "昆山市第一人民医院", None, None),
    ("expert12", "评审专家孙老师", "高级会计师", [FIN, EC], "昆山市审计事务所", None, None),
]
CONFLICT = ("expert9", "巴城镇乐龄之家服务中心", "曾担任该机构理事，离任未满三年。")
UNAVAILABLE = ("expert10", "赴外地参加为期两周的培训。")


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _org(session: Session, name: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.name == name))


def seed(session: Session) -> None:
    if session.scalar(select(PoolExpert.id).limit(1)) is not None:
        return
    civil = _user(session, "civil")
    if civil is None:
        return
    by_username = {}
    for username, name, title, specialties, employer, org_name, dept_code in EXPERTS:
        user = _user(session, username) or create_user(
            session, username=username, password=DEMO_PASSWORD, display_name=name,
            role=Role.EXPERT)
        org = _org(session, org_name) if org_name else None
        dept = session.scalar(select(Department).where(Department.code == dept_code)) \
            if dept_code else None
        expert = PoolExpert(user_id=user.id, specialties=specialties, title=title,
                            employer_name=employer or (org.name if org else "")
                            or (dept.name_zh if dept else ""),
                            employer_org_id=org.id if org else None,
                            employer_department_id=dept.id if dept else None)
        session.add(expert)
        by_username[username] = expert
    session.flush()
    username, org_name, note = CONFLICT
    org = _org(session, org_name)
    if org is not None:
        session.add(StandingConflict(expert_id=by_username[username].id,
                                     organization_id=org.id, note=note,
                                     recorded_by_id=civil.id))
    today = now().astimezone(LOCAL_TZ).date()
    username, reason = UNAVAILABLE
    session.add(Unavailability(expert_id=by_username[username].id,
                               starts_on=today - dt.timedelta(days=3),
                               ends_on=today + dt.timedelta(days=11), reason=reason,
                               recorded_by_id=civil.id))
    session.flush()
