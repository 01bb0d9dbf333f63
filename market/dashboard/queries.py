"""The dashboard's figures (policy §2, 工作目标), city-wide and per town, for every year from
the base year (policy ``target_base_year``) to this one, and purchase funds by department.

Definitions (each figure is read at the year's end, 31 December, or today for this year):

- **registered organizations** (登记数): organizations of the registered track (登记) whose
  registration date is on or before the day and that had not been cleared out (清退) by
  then — the day of clearance is the audit-log entry that moved them to "cleared"; a
  cleared organization without one is not counted in any year. Suspended organizations
  (暂停活动) are still registered and count. Filed community organizations (备案, the
  town-level track) are counted the same way but separately: the policy's figure is the
  registration count (万人拥有社会组织（登记数）).
- **per 10,000 residents**: registered organizations × 10,000 ÷ registered residents
  (户籍人口, entered by civil affairs per town and year). The city figure needs every
  town's figure for the year; without it the page says which are missing.
- **graded share** (等级社会组织占比): registered organizations holding a grade (1A–5A) valid
  on the day (``grading.grades.grades_at``: the latest recorded decision covering the day;
  0 = revoked does not count) ÷ registered organizations.
- **doubling** (翻番): registered organizations against ``target_org_growth`` × the count at
  the end of the base year.
- **incubation bases** (培育基地): bases opened on or before the day; town-level bases per
  town, and city-level bases, each against ``target_bases_per_town``.

Funds are read from the ledger's balance rows as the auditors' budget execution reads
them: per department, the appropriation equity account (appropriated) and the sum of its
approved items' splits (``funds.item_funds``: reserved, committed, paid).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from market import policy
from market.accounts.models import Department, Town
from market.auditlog.models import AuditEntry
from market.catalogs.queries import department_figures, fiscal_years
from market.clock import LOCAL_TZ, today_local
from market.core.pagination import Page, paginate
from market.dashboard.models import TownPopulation
from market.grading.grades import grades_at
from market.incubation.models import BaseLevel, IncubationBase
from market.orgs.enums import OrgStatus, Track
from market.orgs.models import Organization

ZERO = Decimal("0.00")
MAX_YEARS = 40  # the longest span a page shows


def _ratio(numerator: int, denominator: int | None, scale: int, places: str) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP)


@dataclass
class Area:
    """One town (or the city, ``town`` None) in one year."""

    town: Town | None
    registered: int = 0
    filed: int = 0
    graded: int = 0
    residents: int | None = None
    bases: int = 0

    @property
    def per_10k(self) -> Decimal | None:
        return _ratio(self.registered, self.residents, 10000, "0.01")

    @property
    def graded_share(self) -> Decimal | None:
        return _ratio(self.graded, self.registered, 100, "0.1")


@dataclass
class Year:
    year: int
    day: dt.date
    city: Area
    towns: list[Area]
    city_bases: int = 0  # city-level bases (市级培育基地)
    missing_population: list[Town] = field(default_factory=list)

    @property
    def towns_with_bases(self) -> int:
        return sum(1 for a in self.towns if a.bases >= policy.value("target_bases_per_town"))


@dataclass
class Targets:
    per_10k: Decimal
    graded_share: Decimal
    growth: Decimal
    base_year: int
    due_year: int
    bases_per_town: int
    base_count: int | None  # registered at the end of the base year (None: not shown)

    @property
    def doubling(self) -> Decimal | None:
        """The count the growth target asks for (None when the base year holds none)."""
        if not self.base_count:
            return None
        return (self.growth * self.base_count).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass
class Indicators:
    targets: Targets
    years: list[Year]

    def year(self, year: int) -> Year | None:
        return next((y for y in self.years if y.year == year), None)


def _day(year: int, today: dt.date) -> dt.date:
    return min(dt.date(year, 12, 31), today)


def _cleared_on(session: Session) -> dict[int, dt.date]:
    """The local date each organization moved to "cleared" (the first such entry)."""
    rows = session.execute(
        select(AuditEntry.object_id, func.min(AuditEntry.at))
        .where(AuditEntry.object_type == "organization",
               AuditEntry.to_state == OrgStatus.CLEARED.value)
        .group_by(AuditEntry.object_id))
    return {org_id: at.astimezone(LOCAL_TZ).date() for org_id, at in rows}


def _organizations(session: Session):
    """(id, track, town_id, registered_on, out_on) of every organization ever admitted;
    ``out_on`` is the day it stopped counting (cleared), or None."""
    cleared = _cleared_on(session)
    rows = session.execute(
        select(Organization.id, Organization.track, Organization.town_id,
               Organization.registered_on, Organization.status)
        .where(Organization.registered_on.is_not(None),
               Organization.status.not_in([OrgStatus.PENDING, OrgStatus.REJECTED])))
    out = []
    for org_id, track, town_id, registered_on, status in rows:
        out_on = cleared.get(org_id)
        if status == OrgStatus.CLEARED and out_on is None:
            out_on = registered_on  # cleared at a date the record does not hold
        out.append((org_id, Track(track), town_id, registered_on, out_on))
    return out


def years_shown(today: dt.date | None = None) -> list[int]:
    this_year = (today or today_local()).year
    first = max(min(policy.value("target_base_year"), this_year), this_year - MAX_YEARS + 1)
    return list(range(first, this_year + 1))


def indicators(session: Session, years: list[int] | None = None) -> Indicators:
    """Every figure of the policy targets for ``years`` (default: base year to this year)."""
    today = today_local()
    years = years if years is not None else years_shown(today)
    towns = list(session.scalars(select(Town).order_by(Town.id)))
    orgs = _organizations(session)
    bases = session.execute(select(IncubationBase.level, IncubationBase.town_id,
                                   IncubationBase.opened_on)).all()
    population = {(t, y): r for t, y, r in session.execute(
        select(TownPopulation.town_id, TownPopulation.year, TownPopulation.residents))}

    out = []
    for year in years:
        day = _day(year, today)
        areas = {t.id: Area(t, residents=population.get((t.id, year))) for t in towns}
        registered_ids = []
        for org_id, track, town_id, registered_on, out_on in orgs:
            if registered_on > day or (out_on is not None and out_on <= day):
                continue
            area = areas.get(town_id)
            if area is None:
                continue
            if track == Track.REGISTERED:
                area.registered += 1
                registered_ids.append((org_id, town_id))
            else:
                area.filed += 1
        grades = grades_at(session, (i for i, _ in registered_ids), day)
        for org_id, town_id in registered_ids:
            if grades.get(org_id, 0) > 0:
                areas[town_id].graded += 1
        city_bases = 0
        for level, town_id, opened_on in bases:
            if opened_on > day:
                continue
            if level == BaseLevel.CITY:
                city_bases += 1
            elif town_id in areas:
                areas[town_id].bases += 1
        town_areas = list(areas.values())
        missing = [a.town for a in town_areas if a.residents is None]
        city = Area(None, registered=sum(a.registered for a in town_areas),
                    filed=sum(a.filed for a in town_areas),
                    graded=sum(a.graded for a in town_areas),
                    residents=None if missing or not town_areas
                    else sum(a.residents for a in town_areas),
                    bases=city_bases + sum(a.bases for a in town_areas))
        out.append(Year(year, day, city, town_areas, city_bases, missing))

    base_year = policy.value("target_base_year")
    base = next((y for y in out if y.year == base_year), None)
    if base is None and base_year <= today.year:
        base = indicators(session, [base_year]).years[0]
    targets = Targets(
        per_10k=policy.value("target_orgs_per_10k_residents"),
        graded_share=policy.value("target_graded_share_percent"),
        growth=policy.value("target_org_growth"), base_year=base_year,
        due_year=policy.value("target_due_year"),
        bases_per_town=policy.value("target_bases_per_town"),
        base_count=base.city.registered if base is not None else None)
    return Indicators(targets, out)


# --- purchase funds --------------------------------------------------------------------

@dataclass
class DepartmentFunds:
    department: Department
    appropriated: Decimal = ZERO
    reserved: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO


@dataclass
class Funds:
    fiscal_year: int
    departments: list[DepartmentFunds]

    def total(self, attr: str) -> Decimal:
        return sum((getattr(d, attr) for d in self.departments), ZERO)


def funds_years(session: Session) -> list[int]:
    return fiscal_years(session)


def funds(session: Session, fiscal_year: int) -> Funds:
    """Purchase funds of ``fiscal_year`` per department, read from the ledger's balance
    rows summed by department (``catalogs.queries.department_figures``, what the auditors'
    budget execution totals): a few grouped queries, however many items the year holds."""
    figures = department_figures(session, fiscal_year)
    departments = session.scalars(
        select(Department).where(Department.code.in_(figures))
        .order_by(Department.id)).all() if figures else []
    return Funds(fiscal_year, [
        DepartmentFunds(d, figures[d.code].appropriated_in_ledger, figures[d.code].reserved,
                        figures[d.code].committed, figures[d.code].paid)
        for d in departments])


def populations_page(session: Session, page: int, size: int) -> Page:
    """The population figures entered, newest year first."""
    return paginate(session, select(TownPopulation).join(Town)
                    .order_by(TownPopulation.year.desc(), Town.id), page, size)
