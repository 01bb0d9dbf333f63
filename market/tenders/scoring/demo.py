"""Demo: the opened community-governance tender gets its evaluation committee — five
members, four experts drawn at random from the pool's community-governance specialty and
one representative of the civil affairs bureau — and one drawn expert declines, so the
draw record shows a replacement. Idempotent (one draw per tender)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.experts.models import PoolExpert, Specialty
from market.tenders.models import Tender, TenderStatus
from market.tenders.scoring import committee

TITLE = "社区治理创新项目（第一批）"


def seed(session: Session) -> None:
    tender = session.scalar(select(Tender).where(Tender.title == TITLE))
    dept = session.scalar(select(User).where(User.username == "dept-mzj"))
    if tender is None or dept is None or tender.status != TenderStatus.OPENED \
            or committee.draw_of(session, tender) is not None:
        return
    draw = committee.draw_committee(session, dept, tender.id,
                                    Specialty.COMMUNITY_GOVERNANCE.value, 5, [dept.id])
    first = session.scalar(select(User).join(
        PoolExpert, PoolExpert.user_id == User.id).where(
        PoolExpert.id == draw.result[0]))
    committee.decline(session, first, tender.id, "评标当日需出席学术会议，无法参加。")
    session.flush()
