"""承接主体条件 as SQL: which open tenders an organization may bid on, as a condition on
``Tender`` — so "Tenders I can bid on" and the "eligible for me" filter page in the
database instead of loading and judging every open tender (issue 13).

``may_bid_clause(session, org, on)`` is true for a tender exactly where
``eligibility.provider_conditions(session, org, tender, on)`` is empty; that function stays
the rule's single source of truth and gives the reasons. What does not depend on the tender
(standing, the annual report's acceptance, credit) is judged once in Python with the same
helpers; what does (filed organizations, category, grade at the deadline, a 基本合格 report)
becomes a clause. tests/tenders/test_for_me_sql.py holds the two to the same answers.
"""
from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import and_, cast, exists, false, func, or_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from market import policy
from market.clock import LOCAL_TZ
from market.orgs.models import Organization
from market.orgs.status import OrganizationCannotTransact, ensure_can_transact
from market.tenders.eligibility import Known, _annual_report
from market.tenders.models import PriorityRule, Tender


def may_bid_clause(session: Session, org: Organization, on: dt.date,
                   known: Known | None = None) -> ColumnElement[bool]:
    """A condition on ``Tender``, never NULL (so ``not_()`` of it is the other tenders):
    ``org`` meets every provider condition of the tender on ``on`` (a local date)."""
    if known is None or known.on != on:
        known = Known(session, org, on)
    if known.credit:
        return false()
    try:  # active; filed organizations are narrowed to allow_filed below
        ensure_can_transact(org, community_project=True)
    except OrganizationCannotTransact:
        return false()
    if _annual_report(org, True, on):  # missing, pending or failed: no tender accepts it
        return false()
    clauses = [_category_clause(session, org.category.value), _grade_clause(known)]
    if org.is_filed:
        clauses.append(Tender.allow_filed.is_(True))
    if _annual_report(org, False, on):  # only 基本合格
        clauses.append(Tender.accept_basic_pass_report.is_(True))
    return and_(*clauses)


def _category_clause(session: Session, category: str) -> ColumnElement[bool]:
    # eligible_categories is a JSON list of enum values: "the list has this exact element".
    # The JSON functions test elements, not text (a LIKE would depend on how the list was
    # serialized); the column is plain JSON, hence the cast to jsonb for @> on PostgreSQL.
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return func.coalesce(cast(Tender.eligible_categories, JSONB).contains([category]),
                             false())
    if dialect == "sqlite":
        element = func.json_each(Tender.eligible_categories).table_valued("value")
        return exists().where(element.c.value == category)
    raise NotImplementedError(f"no JSON element test for the {dialect} dialect")


def _needs_at_most(grade: int) -> ColumnElement[bool]:
    """``eligibility.required_grade(tender) <= grade``, as SQL."""
    clause = Tender.min_grade <= grade
    if policy.value("priority_grade") > grade:
        clause = and_(clause, Tender.priority_rule != PriorityRule.RESTRICTED)
    return clause


def _grade_clause(known: Known) -> ColumnElement[bool]:
    """The grade valid at the tender's bid deadline is enough: the tender needs none, or the
    deadline falls in a period whose grade is at least what it needs."""
    periods = [_needs_at_most(0)]
    for start, end, grade in grade_periods(known):
        if grade <= 0:
            continue
        bounds = [_needs_at_most(grade)]
        if (at := _local_midnight(start)) is not None:
            bounds.append(Tender.bid_deadline >= at)
        if (at := _local_midnight(end)) is not None:
            bounds.append(Tender.bid_deadline < at)
        periods.append(and_(*bounds))
    return or_(*periods)


def grade_periods(known: Known) -> list[tuple[dt.date, dt.date, int]]:
    """``Known.grade_on`` as periods: (first day, day after the last, grade), local days,
    in order, adjacent periods of the same grade merged; days outside them have none (0).

    Between two consecutive validity boundaries of the organization's decisions the set of
    decisions in force does not change, so neither does the grade."""
    days = sorted({g.valid_from for g in known.grades} | {g.valid_until for g in known.grades})
    periods: list[tuple[dt.date, dt.date, int]] = []
    for start, end in itertools.pairwise(days):
        grade = known.grade_on(start)
        if periods and periods[-1][1] == start and periods[-1][2] == grade:
            periods[-1] = (periods[-1][0], end, grade)
        else:
            periods.append((start, end, grade))
    return periods


def _local_midnight(day: dt.date) -> dt.datetime | None:
    """The UTC moment the local day begins (bid deadlines are stored in UTC, and a grade is
    valid on the deadline's local day: ``grading.grades._as_date``); None beyond the
    datetime range, as for ``date.min``: no bound."""
    try:
        return dt.datetime.combine(day, dt.time.min, LOCAL_TZ).astimezone(dt.timezone.utc)
    except OverflowError:
        return None
