"""Reads for the incubation pages."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Town
from market.incubation.models import IncubationBase, Residency, Reward, RewardStatus
from market.orgs.enums import OrgStatus, Track
from market.orgs.models import Organization


def bases(session: Session) -> list[IncubationBase]:
    return list(session.scalars(select(IncubationBase).order_by(
        IncubationBase.level, IncubationBase.opened_on, IncubationBase.id)))


def towns(session: Session) -> list[Town]:
    return list(session.scalars(select(Town).order_by(Town.id)))


def operators(session: Session) -> list[Organization]:
    """Registered organizations in good standing, which may run a base."""
    return list(session.scalars(select(Organization).where(
        Organization.track == Track.REGISTERED, Organization.status == OrgStatus.ACTIVE)
        .order_by(Organization.name)))


def admissible(session: Session, base: IncubationBase) -> list[Organization]:
    """Organizations in good standing hosted by no base, other than the base's operator."""
    hosted = select(Residency.organization_id).where(Residency.graduated_on.is_(None))
    return list(session.scalars(select(Organization).where(
        Organization.status == OrgStatus.ACTIVE, Organization.id != base.operator_id,
        Organization.id.not_in(hosted)).order_by(Organization.name)))


def residencies_of(session: Session, organization_id: int) -> list[Residency]:
    """An organization's stays in bases, the current one first."""
    return list(session.scalars(select(Residency).where(
        Residency.organization_id == organization_id)
        .order_by(Residency.graduated_on.is_not(None), Residency.admitted_on.desc())))


def operated_by(session: Session, organization_id: int) -> list[IncubationBase]:
    return list(session.scalars(select(IncubationBase).where(
        IncubationBase.operator_id == organization_id).order_by(IncubationBase.id)))


def waiting_rewards(session: Session) -> list[Reward]:
    return list(session.scalars(select(Reward).where(Reward.status == RewardStatus.PROPOSED)
                                .order_by(Reward.year, Reward.id)))
