"""Demo for the portal (showcase): a termination notice (终止公告) — the civil affairs
bureau publishes the third-party evaluation tender and cancels it a few days later, as its
needs changed. With the core demo (intentions, tender notices, a correction) and the
contracts showcase (an award result, a published contract), every announcement type has
one. Idempotent."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Department, User
from market.catalogs.models import Catalog, CatalogItem
from market.clock import LOCAL_TZ, now
from market.tenders import tender_services
from market.tenders.demo import attach_demo_document
from market.tenders.models import Tender

TITLE = "购买服务项目第三方评估（2026年上半年）"
REASON = "评估范围调整为全年项目，本项目终止，将重新发布采购公告。"


def seed(session: Session) -> None:
    if session.scalar(select(Tender.id).where(Tender.title == TITLE)) is not None:
        return
    author = session.scalar(select(User).where(User.username == "dept-mzj"))
    item = session.scalar(select(CatalogItem).join(Catalog).join(Department).where(
        Department.code == "MZJ", Catalog.fiscal_year == 2026, CatalogItem.position == 3))
    if author is None or item is None or item.intention_published_at is None:
        return
    start = now().astimezone(LOCAL_TZ).replace(hour=17, minute=0, second=0, microsecond=0)
    deadline = (start + dt.timedelta(days=20)).replace(hour=9, minute=30)
    tender = tender_services.create_tender(session, author, item.id, dict(
        title=TITLE, description="对2026年上半年购买服务项目开展中期绩效评价。",
        ceiling_price="150000.00", clarification_deadline=start + dt.timedelta(days=10),
        bid_deadline=deadline, opening_time=deadline + dt.timedelta(minutes=30),
        criteria=[("报价", "30", True), ("评估方案", "70", False)]))
    attach_demo_document(session, author, tender)
    tender_services.publish_tender(session, author, tender.id)
    tender_services.cancel_tender(session, author, tender.id, REASON)
    session.flush()
