"""Demo: the opened community-governance tender gets its evaluation committee — five
members, four experts drawn at random from the pool's community-governance specialty and
one representative of the civil affairs bureau — and one drawn expert declines, so the
draw record shows a replacement. Idempotent (one draw per tender).

A real draw takes a fresh random seed. The demo takes the first of a fixed list of seeds
with which the demo login ``expert`` keeps a seat (so the expert's pages show a tender to
score); the draw itself, its record and its replay are the real ones."""
from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.experts.draws import draw
from market.experts.models import PoolExpert, Specialty
from market.experts.services import candidates
from market.tenders import sealed
from market.tenders.models import Tender, TenderStatus
from market.tenders.scoring import committee

TITLE = "社区治理创新项目（第一批）"


SPECIALTY = Specialty.COMMUNITY_GOVERNANCE.value


def _seed(session: Session, tender: Tender) -> str | None:
    """The first demo seed whose committee, after the first expert declines, still has
    the demo login ``expert``."""
    demo_expert = session.scalar(select(PoolExpert.id).join(
        User, User.id == PoolExpert.user_id).where(User.username == "expert"))
    pool, excluded = candidates(session, specialty=SPECIALTY,
                                review_on=committee.review_day(tender),
                                parties=sealed.parties_for_conflict_check(session, tender),
                                department_id=tender.department_id)
    for n in range(100):
        seed = hashlib.sha256(f"demo-{n}".encode()).hexdigest()[:32]
        first = draw(pool, seed, 4, excluded)
        after = draw(pool, seed, 4, {**excluded, str(first[0]): "declined"})
        if demo_expert in after:
            return seed
    return None


def seed(session: Session) -> None:
    tender = session.scalar(select(Tender).where(Tender.title == TITLE))
    dept = session.scalar(select(User).where(User.username == "dept-mzj"))
    if tender is None or dept is None or tender.status != TenderStatus.OPENED \
            or committee.draw_of(session, tender) is not None:
        return
    drawn = committee.draw_committee(session, dept, tender.id, SPECIALTY, 5, [dept.id],
                                     seed=_seed(session, tender))
    first = session.scalar(select(User).join(
        PoolExpert, PoolExpert.user_id == User.id).where(
        PoolExpert.id == drawn.result[0]))
    committee.decline(session, first, tender.id, "评标当日需出席学术会议，无法参加。")
    session.flush()
