"""Tender test helpers: a travelling clock, organizations with grades, tenders in any state."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from market.accounts.models import Town, User
from market.accounts.permissions import Role
from market.accounts.services import create_user
from market.catalogs.models import Catalog, CatalogItem
from market.clock import LOCAL_TZ
from market.grading.grades import record_grade
from market.orgs import credit_code
from market.orgs.enums import Category, LegalForm, OrgStatus, Track
from market.orgs.models import Organization
from market.tenders import services
from market.tenders.models import Bid, Tender

PASSWORD = "demo-pass-2026"
SECRET_PRICE = "123456.78"
SECRET_PROPOSAL = "SECRET-PROPOSAL-xyz"
_counter = itertools.count(1)


def local(y, m, d, h=9, mi=0, s=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, s, tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def item(session, dept_code: str = "WJW", position: int = 2, fy: int = 2026) -> CatalogItem:
    from market.accounts.models import Department

    return session.scalar(select(CatalogItem).join(Catalog).join(Department).where(
        Department.code == dept_code, Catalog.fiscal_year == fy, CatalogItem.position == position))


def make_org(session, name: str | None = None, *, category=Category.CHARITY, grade: int = 0,
             track=Track.REGISTERED, status=OrgStatus.ACTIVE, username: str | None = None
             ) -> tuple[Organization, User]:
    """An organization (with a grade valid from a year ago) and a user acting for it."""
    n = next(_counter) + session.scalar(select(func.count(Organization.id)))
    filed = track == Track.FILED
    town = session.scalar(select(Town).limit(1))
    org = Organization(
        name=name or f"测试社会组织{n}", track=track,
        legal_form=None if filed else LegalForm.SOCIAL_SERVICE,
        credit_code=None if filed else credit_code.build("5", "2", "320583", f"T{n:07d}"),
        category=category, town_id=town.id, legal_representative="张三", contact_name="李四",
        contact_phone="0512-57000000", office_address="玉山镇测试路1号", status=status,
        registered_on=dt.date(2020, 1, 1))
    session.add(org)
    session.flush()
    if grade:
        record_grade(session, org.id, grade, dt.date.today() - dt.timedelta(days=365),
                     source="legacy")
    u = create_user(session, username=username or f"orguser{n}", password=PASSWORD,
                    display_name=f"{org.name}联系人", role=Role.ORGANIZATION)
    u.organization_id = org.id
    session.commit()
    return org, u


def terms(clock, **overrides) -> dict:
    """Valid tender terms: questions for 5 days, bids for 10, opening 1 hour later."""
    base = clock.now
    data = dict(
        title="社区健康宣教服务采购", description="面向社区居民的健康讲座与慢病管理小组。",
        procedure="open", ceiling_price="300000.00",
        clarification_deadline=base + dt.timedelta(days=5),
        bid_deadline=base + dt.timedelta(days=10),
        opening_time=base + dt.timedelta(days=10, hours=1),
        priority_rule="price_deduction", priority_value=None,
        criteria=[("报价", "30", True), ("服务方案", "40", False), ("团队与经验", "30", False)],
    )
    data.update(overrides)
    return data


def make_tender(session, clock, *, dept_user: str = "dept", publish: bool = True,
                dept_code: str = "WJW", position: int = 2, **overrides) -> Tender:
    actor = user(session, dept_user)
    tender = services.create_tender(session, actor, item(session, dept_code, position).id,
                                    terms(clock, **overrides))
    if publish:
        services.publish_tender(session, actor, tender.id)
    session.commit()
    return tender


def bid(session, org_user: User, tender: Tender, price="250000.00", proposal="我们的服务方案。",
        documents=()) -> Bid:
    b = services.submit_bid(session, org_user, tender.id, price, proposal, documents)
    session.commit()
    return b


def bidders(session, n: int, **kwargs) -> list[tuple[Organization, User]]:
    return [make_org(session, **kwargs) for _ in range(n)]


def money(s: str) -> Decimal:
    return Decimal(s)
