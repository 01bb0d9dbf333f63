"""Grade downgrades and revocations, and an organization's standing (current grade,
history, next-cycle eligibility with every exclusion, sanctions in force, clearance)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.access.permissions import Permission
from market.auditlog.services import record
from market.clock import today_local
from market.errors import Conflict, Forbidden, Invalid
from market.grading.models import GradeCycle
from market.grading.eligibility import Eligibility, eligibility
from market.grading.grades import _as_date, check_effective
from market.grading.labels import grade_label
from market.grading.models import OrgGrade
from market.orgs import sanctions
from market.orgs.models import Organization


def _require(actor: User | None) -> None:
    if actor is None or not actor.can(Permission.EVAL_GRADES_MANAGE):
        raise Forbidden(_l("You do not have permission to do this."))


def current_grade(session: Session, organization_id: int, at: dt.date | dt.datetime
                  ) -> OrgGrade | None:
    """The grade row in force on ``at`` (the same choice grade_at makes)."""
    day = _as_date(at)
    return session.scalar(
        select(OrgGrade).where(OrgGrade.organization_id == organization_id,
                               OrgGrade.valid_from <= day, OrgGrade.valid_until > day)
        .order_by(OrgGrade.recorded_at.desc(), OrgGrade.id.desc()).limit(1))


def history(session: Session, organization_id: int) -> list[OrgGrade]:
    return list(session.scalars(select(OrgGrade).where(
        OrgGrade.organization_id == organization_id)
        .order_by(OrgGrade.recorded_at.desc(), OrgGrade.id.desc())))


def change_grade(session: Session, actor: User, organization_id: int, new_grade: int,
                 reason: str, effective: dt.date | None = None, *, correction: bool = False,
                 correction_reason: str | None = None) -> OrgGrade:
    """降级 / 撤销 — a new row from ``effective`` to the old grade's expiry; history kept.

    ``new_grade`` 0 revokes the grade. ``effective`` before today only as a correction
    (更正) with its reason (``grades.check_effective``)."""
    _require(actor)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Please give the reason; it is recorded and shown to the "
                         "organization."), field="reason")
    effective = effective or today_local()
    fix = check_effective(effective, correction, correction_reason)
    current = current_grade(session, organization_id, effective)
    if current is None or current.grade == 0:
        raise Conflict(_l("The organization holds no grade to downgrade or revoke."))
    if not 0 <= new_grade < current.grade:
        raise Invalid(_l("The new grade must be lower than the current one."),
                      field="grade")
    row = OrgGrade(organization_id=organization_id, grade=new_grade, valid_from=effective,
                   valid_until=current.valid_until,
                   source="revocation" if new_grade == 0 else "downgrade", note=reason,
                   correction=fix is not None, correction_reason=fix)
    session.add(row)
    session.flush()
    record(session, actor, "organization", organization_id,
           "grade_revoke" if new_grade == 0 else "grade_downgrade",
           grade_label(current.grade), grade_label(new_grade) if new_grade else "—",
           reason if fix is None else f"{reason} · 更正 {effective.isoformat()}: {fix}")
    return row


@dataclass
class Standing:
    grade: OrgGrade | None
    history: list[OrgGrade]
    cycle: GradeCycle | None
    eligibility: Eligibility | None
    clearance_reason: str | None
    clearance: object | None = None  # clearance.Listing
    sanctions: list = None  # market.orgs.models.Sanction in force on the day


def latest_cycle(session: Session) -> GradeCycle | None:
    return session.scalar(select(GradeCycle).order_by(GradeCycle.year.desc()).limit(1))


def standing(session: Session, org: Organization, at: dt.date | dt.datetime) -> Standing:
    from market.grading.services import clearance

    cycle = latest_cycle(session)
    if cycle is None or cycle.year < _as_date(at).year:
        # No cycle opened for this year yet: judge as if one were, as of today.
        cycle = GradeCycle(year=_as_date(at).year, reference_date=_as_date(at))
    verdict = eligibility(session, org, cycle)
    listing = clearance.listing_for(session, org.id, at)
    return Standing(grade=current_grade(session, org.id, at), history=history(session, org.id),
                    cycle=cycle, eligibility=verdict,
                    clearance_reason=listing.label if listing else None, clearance=listing,
                    sanctions=sanctions.sanctions_in_force(session, org, _as_date(at)))
