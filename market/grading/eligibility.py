"""Who may take part in a grade-evaluation cycle, and why — decided by rule as of the
cycle's reference date (policy §10)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from market.grading.models import GradeCycle, Sanction, SanctionKind
from market.grading.grades import _as_date
from market.grading.models import OrgGrade
from market.grading.recusal import years_before
from market.orgs.enums import InspectionResult, OrgStatus, Track
from market.orgs.models import Organization

MIN_REGISTERED_YEARS = 2


@dataclass(frozen=True)
class Eligibility:
    organization: Organization
    eligible: bool
    reason: str


def sanctions_in_force(session: Session, org_id: int, day: dt.date) -> list[Sanction]:
    return list(session.scalars(select(Sanction).where(
        Sanction.organization_id == org_id, Sanction.started_on <= day,
        or_(Sanction.ended_on.is_(None), Sanction.ended_on >= day)).order_by(Sanction.id)))


def _exclusion(session: Session, org: Organization, year: int, day: dt.date) -> str | None:
    results = {r.year: r.result for r in org.annual_reports}
    if results.get(year - 1) == InspectionResult.FAIL:
        return str(_l("Excluded: the annual inspection for %(year)s was failed.",
                      year=year - 1))
    if results.get(year - 1) == results.get(year - 2) == InspectionResult.BASIC_PASS:
        return str(_l("Excluded: the annual inspections for %(first)s and %(second)s were "
                      "both only basically passed.", first=year - 2, second=year - 1))
    for sanction in sanctions_in_force(session, org.id, day):
        if sanction.kind == SanctionKind.PENALTY:
            return str(_l("Excluded: under an administrative penalty since %(since)s.",
                          since=sanction.started_on.isoformat()))
        return str(_l("Excluded: under investigation since %(since)s.",
                      since=sanction.started_on.isoformat()))
    return None


def eligibility(session: Session, org: Organization, cycle: GradeCycle) -> Eligibility:
    """Whether ``org`` may apply in ``cycle``, with the reason either way."""
    day = _as_date(cycle.reference_date)

    def no(reason) -> Eligibility:
        return Eligibility(org, False, str(reason))

    if org.status != OrgStatus.ACTIVE:
        return no(_l("Not eligible: the organization is not active."))
    if org.track == Track.FILED:
        return no(_l("Not eligible: filed community organizations are not graded."))
    excluded = _exclusion(session, org, cycle.year, day)
    if excluded:
        return no(excluded)
    grades = list(session.scalars(select(OrgGrade).where(OrgGrade.organization_id == org.id)
                                  .order_by(OrgGrade.recorded_at.desc(), OrgGrade.id.desc())))
    current = next((g for g in grades if g.valid_from <= day < g.valid_until), None)
    if current is not None and current.grade > 0:
        last_day = current.valid_until - dt.timedelta(days=1)
        if last_day.year <= cycle.year:
            return Eligibility(org, True, str(_l(
                "Eligible: the %(grade)sA grade expires on %(until)s, within this cycle.",
                grade=current.grade, until=last_day.isoformat())))
        return no(_l("Not due: the %(grade)sA grade is valid until %(until)s.",
                     grade=current.grade, until=last_day.isoformat()))
    if org.registered_on is None or org.registered_on > years_before(day, MIN_REGISTERED_YEARS):
        return no(_l("Not eligible yet: registered less than two full years before "
                     "%(day)s.", day=day.isoformat()))
    if not any(g.grade > 0 for g in grades):
        return Eligibility(org, True, str(_l(
            "Eligible: registered for at least two full years and never graded.")))
    return Eligibility(org, True, str(_l(
        "Eligible: the organization holds no valid grade on %(day)s.", day=day.isoformat())))


def eligibility_list(session: Session, cycle: GradeCycle) -> list[Eligibility]:
    """Every active registered organization, eligible ones first."""
    orgs = session.scalars(select(Organization).where(
        Organization.status == OrgStatus.ACTIVE).order_by(Organization.name, Organization.id))
    rows = [eligibility(session, org, cycle) for org in orgs]
    return sorted(rows, key=lambda e: not e.eligible)
