"""Demo incubation bases (run by ``flask demo seed``, idempotent): a city-level base run by a
4A organization, hosting two organizations, with one graduated, a passing evaluation of
last year and its reward paid through the ledger; a town-level base whose evaluation
failed, so no reward is paid."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Department, Town, User
from market.catalogs.models import Catalog, CatalogItem
from market.clock import today_local
from market.incubation import services
from market.incubation.models import IncubationBase
from market.orgs.models import Organization

CITY_BASE = "昆山市社会组织培育基地"
TOWN_BASE = "巴城镇社会组织孵化园"


def _org(session: Session, name: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.name == name))


def _reward_item(session: Session) -> CatalogItem | None:
    """Civil affairs' FY2026 community-governance line (培育志愿服务组织)."""
    return session.scalar(select(CatalogItem).join(Catalog).join(
        Department, Catalog.department_id == Department.id).where(
        Department.code == "MZJ", Catalog.fiscal_year == 2026, CatalogItem.position == 1))


def seed(session: Session) -> None:
    civil = session.scalar(select(User).where(User.username == "civil"))
    if civil is None or session.scalar(select(IncubationBase.id).where(
            IncubationBase.name == CITY_BASE)):
        return
    today = today_local()
    last_year = today.year - 1
    ago = lambda days: today - dt.timedelta(days=days)  # noqa: E731
    city_operator = _org(session, "昆山市阳光社工服务中心")
    town_operator = _org(session, "巴城镇乐龄之家服务中心")
    if city_operator is None or town_operator is None:
        return
    city = services.create_base(session, civil, services.BaseData(
        CITY_BASE, "city", None, city_operator.id, 12,
        ["space", "funds", "training", "mentoring", "registration"], ago(3 * 365)))
    bacheng = session.scalar(select(Town.id).where(Town.code == "BC"))
    town = services.create_base(session, civil, services.BaseData(
        TOWN_BASE, "town", bacheng, town_operator.id, 4, ["space", "training"],
        ago(2 * 365)))
    for name, admitted, graduated in (("昆山市健康促进会", 600, 120),
                                      ("昆山市心理健康服务中心", 500, None),
                                      ("昆山市家庭教育指导服务中心", 300, None)):
        org = _org(session, name)
        if org is None:
            continue
        residency = services.admit(session, civil, city.id, org.id, ago(admitted))
        if graduated is not None:
            services.graduate(session, civil, residency.id, ago(graduated))
    for name, admitted in (("巴城镇正仪社区读书会", 400),):
        org = _org(session, name)
        if org is not None:
            services.admit(session, civil, town.id, org.id, ago(admitted))
    services.record_evaluation(session, civil, city.id, last_year, True, "88.50",
                               "苏州社会组织评估中心")
    services.record_evaluation(session, civil, town.id, last_year, False, "52.00",
                               "苏州社会组织评估中心")
    item = _reward_item(session)
    if item is not None:
        reward = services.propose_reward(session, civil, city.id, last_year, item.id,
                                         "50000.00")
        if services.reward_blocker(session, reward) is None:
            services.pay_reward(session, civil, reward.id)
    session.flush()
