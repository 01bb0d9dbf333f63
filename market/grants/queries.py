"""Reads of venture philanthropy for the pages."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from market.grants.models import GrantApplication, GrantRound, RoundStatus


def public_rounds() -> Select:
    return (select(GrantRound).where(GrantRound.status == RoundStatus.PUBLISHED)
            .order_by(GrantRound.opens_at.desc(), GrantRound.id.desc()))


def department_rounds(department_id: int | None) -> Select:
    return (select(GrantRound).where(GrantRound.department_id == (department_id or 0))
            .order_by(GrantRound.created_at.desc(), GrantRound.id.desc()))


def organization_applications(session: Session, organization_id: int | None
                              ) -> list[GrantApplication]:
    if not organization_id:
        return []
    return list(session.scalars(
        select(GrantApplication).where(GrantApplication.organization_id == organization_id)
        .order_by(GrantApplication.created_at.desc(), GrantApplication.id.desc())))


def round_applications(session: Session, grant_round: GrantRound, organization_id: int
                       ) -> list[GrantApplication]:
    return list(session.scalars(
        select(GrantApplication).where(GrantApplication.round_id == grant_round.id,
                                       GrantApplication.organization_id == organization_id)
        .order_by(GrantApplication.id)))
