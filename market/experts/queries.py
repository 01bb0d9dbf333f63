"""Reads for the expert pool's pages."""
from __future__ import annotations

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.experts.models import Draw, PoolExpert, StandingConflict, Unavailability


def pool(search: str = "", specialty: str = ""):
    """The pool, by name; ``search`` matches name, username or employer."""
    stmt = select(PoolExpert).join(User, User.id == PoolExpert.user_id)
    search = (search or "").strip()
    if search:
        like = f"%{search}%"
        stmt = stmt.where(or_(User.display_name.ilike(like), User.username.ilike(like),
                              PoolExpert.employer_name.ilike(like)))
    if specialty:
        # The JSON list as text holds each code in quotes (SQLite and PostgreSQL alike).
        stmt = stmt.where(cast(PoolExpert.specialties, String).like(f'%"{specialty}"%'))
    return stmt.order_by(User.display_name, PoolExpert.id)


def unavailability(session: Session, expert: PoolExpert) -> list[Unavailability]:
    return list(session.scalars(select(Unavailability).where(
        Unavailability.expert_id == expert.id).order_by(Unavailability.starts_on.desc())))


def conflicts(session: Session, expert: PoolExpert) -> list[StandingConflict]:
    return list(session.scalars(select(StandingConflict).where(
        StandingConflict.expert_id == expert.id).order_by(StandingConflict.id)))


def draws():
    return select(Draw).order_by(Draw.drawn_at.desc(), Draw.id.desc())


def draws_for(session: Session, subject_kind: str, subject_id: int) -> list[Draw]:
    return list(session.scalars(select(Draw).where(
        Draw.subject_kind == subject_kind, Draw.subject_id == subject_id).order_by(Draw.id)))


def expert_names(session: Session, ids) -> dict[int, str]:
    rows = session.execute(select(PoolExpert.id, User.display_name).join(
        User, User.id == PoolExpert.user_id).where(PoolExpert.id.in_(list(ids))))
    return dict(rows.all())
