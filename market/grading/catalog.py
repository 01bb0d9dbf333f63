"""有资格承接政府委托事项的社会组织目录 — the qualified-organization catalog (policy §10).

The public list of organizations in good standing whose grade on the day is 3A or above.
It reads grades exactly as ``grades.grade_at`` does (the grade row covering the day, the
latest recorded winning), so a grade means the same here as for the tenders' 3A+ priority.

Good standing (issue 10, part 11): active (not suspended, not cleared out); no sanction in
force on the day (market.orgs.sanctions); and its latest annual report accepted by the
annual inspection (合格 or 基本合格) and recent — covering a year no more than policy
``catalog_annual_report_max_age_years`` before the day's year.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from market import policy
from market.core.listing import Column, Listing, local_name
from market.grading.grades import _as_date
from market.grading.labels import grade_label
from market.grading.models import OrgGrade, last_valid_day
from market.orgs.enums import Category, InspectionResult, OrgStatus
from market.orgs.models import AnnualReport, Organization
from market.orgs.sanctions import sanctioned_ids

ACCEPTED = (InspectionResult.PASS, InspectionResult.BASIC_PASS)


@dataclass
class Filters:
    category: str | None = None
    town_id: int | None = None
    min_grade: int | None = None
    q: str | None = None


def _grade_rows(day: dt.date):
    """One row per organization: the grade row ``grade_at`` would read on ``day``."""
    rank = func.row_number().over(partition_by=OrgGrade.organization_id,
                                  order_by=(OrgGrade.recorded_at.desc(), OrgGrade.id.desc()))
    covering = (select(OrgGrade.organization_id, OrgGrade.grade, OrgGrade.valid_until,
                       rank.label("rank"))
                .where(OrgGrade.valid_from <= day, OrgGrade.valid_until > day).subquery())
    return select(covering.c.organization_id, covering.c.grade, covering.c.valid_until) \
        .where(covering.c.rank == 1).subquery()


def _accepted_latest_report(day: dt.date):
    """Organizations whose latest annual report was accepted and is recent enough."""
    latest = (select(AnnualReport.organization_id, func.max(AnnualReport.year).label("year"))
              .group_by(AnnualReport.organization_id).subquery())
    return (select(AnnualReport.organization_id)
            .join(latest, (latest.c.organization_id == AnnualReport.organization_id)
                  & (latest.c.year == AnnualReport.year))
            .where(AnnualReport.result.in_(ACCEPTED),
                   AnnualReport.year >= day.year - policy.value(
                       "catalog_annual_report_max_age_years")))


def qualified(at: dt.date | dt.datetime, filters: Filters | None = None) -> Select:
    """(Organization, grade, valid_until) rows, best grade first, then by name."""
    day, f = _as_date(at), filters or Filters()
    g = _grade_rows(day)
    stmt = (select(Organization, g.c.grade, g.c.valid_until)
            .join(g, g.c.organization_id == Organization.id)
            .where(Organization.status == OrgStatus.ACTIVE,
                   Organization.id.not_in(sanctioned_ids(day)),
                   Organization.id.in_(_accepted_latest_report(day)),
                   g.c.grade >= max(policy.value("priority_grade"), f.min_grade or 0)))
    if f.category and f.category in {c.value for c in Category}:
        stmt = stmt.where(Organization.category == Category(f.category))
    if f.town_id:
        stmt = stmt.where(Organization.town_id == f.town_id)
    if f.q:
        stmt = stmt.where(Organization.name.contains(f.q.strip()[:100], autoescape=True))
    return stmt.order_by(g.c.grade.desc(), Organization.name, Organization.id)


def qualified_ids(session: Session, at: dt.date | dt.datetime) -> set[int]:
    return {org.id for org, _, _ in session.execute(qualified(at))}


def page(session: Session, at, filters: Filters, page_no: int, size: int):
    stmt = qualified(at, filters)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.execute(stmt.offset((page_no - 1) * size).limit(size)))
    return rows, total


def rows(session: Session, at, filters: Filters) -> list:
    """Every (organization, grade, valid until) the page lists, for the downloads."""
    return list(session.execute(qualified(at, filters)))


def _last_valid_day(row) -> dt.date:
    return last_valid_day(row[2])


#: The catalog as CSV and Excel (market/core/listing.py), as the page shows it.
QUALIFIED = Listing("qualified-organizations", _l("Qualified organizations"), (
    Column(_l("Name"), lambda r: r[0].name),
    Column(_l("Unified social credit code"), lambda r: r[0].credit_code),
    Column(_l("Grade"), lambda r: grade_label(r[1])),
    Column(_l("Grade valid until"), _last_valid_day),
    Column(_l("Category"), lambda r: r[0].category.label),
    Column(_l("Town or district"), lambda r: local_name(r[0].town)),
))
