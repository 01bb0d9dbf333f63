"""Who may take part in a grade-evaluation cycle, and why — decided by rule as of the
cycle's reference date (policy §10; 民政部令第39号 社会组织评估管理办法).

Art. 6 — who may apply: registered for two full years and never evaluated, or holding a
grade whose five-year validity ends (here: by the end of the cycle's year).
Art. 7 — who is not evaluated (不予评估), each shown with its reason:
(1) last year's annual inspection (年检/年度报告) not taken — no report, or no result yet;
(2) last year's inspection failed, or "basically passed" two years running;
(3) an administrative penalty (行政处罚) imposed last year, or one not yet executed;
(4) an investigation (立案调查) open on the reference date.
Sanctions are read from the registry (market.orgs.sanctions).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.grading.grades import _as_date
from market.grading.models import GradeCycle, OrgGrade
from market.grading.recusal import years_before
from market.orgs import sanctions
from market.orgs.enums import InspectionResult, OrgStatus, SanctionKind, Track
from market.orgs.models import Organization


@dataclass(frozen=True)
class Eligibility:
    organization: Organization
    eligible: bool
    reason: str  # all the reasons, joined (stored with an application, shown in refusals)
    exclusions: list[str] = field(default_factory=list)  # art. 7, one line each


def exclusions(session: Session, org: Organization, year: int, day: dt.date) -> list[str]:
    """Every art. 7 exclusion that holds for a cycle of ``year`` on ``day``, translated."""
    out: list[str] = []
    last = year - 1
    reports = {r.year: r for r in org.annual_reports}
    report = reports.get(last)
    if org.registered_on is not None and org.registered_on.year <= last:
        if report is None:
            out.append(str(_l("Excluded: no annual report was filed for the %(year)s annual "
                              "inspection.", year=last)))
        elif report.result is None:
            out.append(str(_l("Excluded: the %(year)s annual inspection has no result yet.",
                              year=last)))
    if report is not None and report.result == InspectionResult.FAIL:
        out.append(str(_l("Excluded: the annual inspection for %(year)s was failed.",
                          year=last)))
    basic = policy.value("grading_basic_pass_years_excluded")  # 连续2年基本合格
    if all(getattr(reports.get(year - k), "result", None) == InspectionResult.BASIC_PASS
           for k in range(1, basic + 1)):
        out.append(str(_l("Excluded: the annual inspections for %(first)s and %(second)s "
                          "were both only basically passed.", first=year - basic,
                          second=last)))
    in_force = sanctions.sanctions_in_force(session, org, day)
    for s in sanctions.penalties_imposed_in(session, org, last):
        if s not in in_force:
            out.append(str(_l("Excluded: an administrative penalty (%(kind)s) was imposed "
                              "on %(day)s, in %(year)s.", kind=s.kind.label,
                              day=s.imposed_on.isoformat(), year=last)))
    for s in in_force:
        if s.kind == SanctionKind.INVESTIGATION:
            out.append(str(_l("Excluded: under investigation since %(since)s.",
                              since=s.imposed_on.isoformat())))
        else:
            out.append(str(_l("Excluded: an administrative penalty (%(kind)s) imposed on "
                              "%(day)s has not been executed or lifted yet.",
                              kind=s.kind.label, day=s.imposed_on.isoformat())))
    return out


def eligibility(session: Session, org: Organization, cycle: GradeCycle) -> Eligibility:
    """Whether ``org`` may apply in ``cycle``, with the reason either way and every
    exclusion that holds."""
    day = _as_date(cycle.reference_date)
    if org.status != OrgStatus.ACTIVE:
        return Eligibility(org, False, str(_l("Not eligible: the organization is not "
                                              "active.")))
    if org.track == Track.FILED:
        return Eligibility(org, False, str(_l("Not eligible: filed community organizations "
                                              "are not graded.")))
    excluded = exclusions(session, org, cycle.year, day)
    ok, reason = _condition(session, org, cycle, day)
    if excluded:
        reasons = ([] if ok else [reason]) + excluded
        return Eligibility(org, False, " ".join(reasons), excluded)
    return Eligibility(org, ok, reason, [])


def _condition(session: Session, org: Organization, cycle: GradeCycle, day: dt.date
               ) -> tuple[bool, str]:
    """Art. 6: registered two full years and never evaluated, or the grade is due."""
    grades = list(session.scalars(select(OrgGrade).where(OrgGrade.organization_id == org.id)
                                  .order_by(OrgGrade.recorded_at.desc(), OrgGrade.id.desc())))
    current = next((g for g in grades if g.valid_from <= day < g.valid_until), None)
    if current is not None and current.grade > 0:
        last_day = current.last_day
        if last_day.year <= cycle.year:
            return True, str(_l(
                "Eligible: the %(grade)sA grade expires on %(until)s, within this cycle.",
                grade=current.grade, until=last_day.isoformat()))
        return False, str(_l("Not due: the %(grade)sA grade is valid until %(until)s.",
                             grade=current.grade, until=last_day.isoformat()))
    if org.registered_on is None or org.registered_on > years_before(
            day, policy.value("grading_eligible_after_years")):
        return False, str(_l("Not eligible yet: registered less than two full years before "
                             "%(day)s.", day=day.isoformat()))
    if not any(g.grade > 0 for g in grades):
        return True, str(_l(
            "Eligible: registered for at least two full years and never graded."))
    return True, str(_l(
        "Eligible: the organization holds no valid grade on %(day)s.", day=day.isoformat()))


def eligibility_list(session: Session, cycle: GradeCycle) -> list[Eligibility]:
    """Every active registered organization, eligible ones first."""
    orgs = session.scalars(select(Organization).where(
        Organization.status == OrgStatus.ACTIVE).order_by(Organization.name, Organization.id))
    rows = [eligibility(session, org, cycle) for org in orgs]
    return sorted(rows, key=lambda e: not e.eligible)
