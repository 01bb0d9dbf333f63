"""承接主体条件 — who may bid on a tender, one function for every reader.

``provider_conditions(session, org, tender, on)`` lists each condition the organization
does not meet on ``on`` (a local date), each with a code and a translated reason:

* standing: active (not pending, suspended or cleared); a filed (备案) community
  organization only where the tender accepts them;
* category among the tender's;
* grade: the grade valid at the tender's bid deadline, at least the tender's minimum (3A
  for a restricted tender). Before the deadline that is the grade on record now; once the
  bids are opened, each bid's frozen snapshot (``Bid.grade_at_deadline``, see
  ``freeze_grade``) — a grade change recorded after the deadline, even one dated back as a
  correction, changes neither admission nor priority;
* the previous year's annual report (年度报告/年检) filed and accepted: 合格, or 基本合格
  where the tender allows it (``Tender.accept_basic_pass_report``). Filed community
  organizations and organizations registered after that year owe none;
* good credit (信用记录, ``market.credit.queries.standing_on``): no sanction (行政处罚) in
  force on ``on``, no serious violation (重大违法记录) in the three years before it
  (policy ``provider_serious_violation_years``), not on the clearance list (清退), no
  contract terminated for the organization's fault in the years before it (policy
  ``credit_negative_years``).

Sources: 政府购买服务管理办法 (MOF Order No. 102) art. 7 — providers meet the conditions
of the procurement laws, and the purchaser may add conditions of its own; 政府采购法
art. 22 (5) — no serious violation in the three years before taking part. Bid submission
refuses with these reasons (nothing written); the organization's "Tenders I can bid on"
page shows them before it tries. ``may_bid.may_bid_clause`` states the same rule as a SQL
condition on ``Tender`` for that page's lists: a condition added here needs its clause
there (tests/tenders/test_for_me_sql.py compares the two).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.clock import LOCAL_TZ, now
from market.credit.queries import barring
from market.grading.grades import _as_date, grade_row_at
from market.grading.models import OrgGrade
from market.orgs.enums import InspectionResult, Track
from market.orgs.models import Organization
from market.orgs.status import OrganizationCannotTransact, ensure_can_transact
from market.tenders.models import Bid, PriorityRule, Tender


@dataclass(frozen=True)
class Unmet:
    """One condition not met: a stable ``code`` (API, tests) and the translated reason."""

    code: str
    reason: object  # a lazy translated string; str() renders it in the reader's language

    def __str__(self) -> str:
        return str(self.reason)


def required_grade(tender: Tender) -> int:
    if tender.priority_rule == PriorityRule.RESTRICTED:
        return max(tender.min_grade, policy.value("priority_grade"))
    return tender.min_grade


def report_year(on: dt.date) -> int:
    """The year whose annual report must be accepted on ``on``: the previous year; in the
    first ``provider_annual_report_grace_months`` months of a year, the one before."""
    grace = policy.value("provider_annual_report_grace_months")
    return on.year - 1 if on.month > grace else on.year - 2


def _standing(org: Organization, tender: Tender) -> list[Unmet]:
    if org.is_filed and not tender.allow_filed:
        return [Unmet("filed_not_accepted", _l(
            "This tender does not accept filed (备案) community organizations."))]
    try:
        ensure_can_transact(org, community_project=tender.allow_filed)
    except OrganizationCannotTransact as e:
        return [Unmet("standing", e.message)]
    return []


class Known:
    """What the conditions read about one organization that is the same for every tender
    on one day: its credit standing (``credit.queries.barring``) and its grade decisions —
    read once, so a list of tenders costs two queries, not two per tender."""

    def __init__(self, session: Session, org: Organization, on: dt.date):
        self.on = on
        self.credit = [Unmet(a.code, a.reason) for a in barring(session, org.id, on)]
        self.grades = list(session.scalars(select(OrgGrade).where(
            OrgGrade.organization_id == org.id)))

    def grade_on(self, at) -> int:
        """``grading.grades.grade_row_at`` over the rows read: the decision valid on the
        day, the latest recorded winning."""
        day = _as_date(at)
        valid = [g for g in self.grades if g.valid_from <= day < g.valid_until]
        if not valid:
            return 0
        return max(valid, key=lambda g: (g.recorded_at, g.id)).grade


def _grade(session: Session, org: Organization, tender: Tender, grade: int | None,
           known: Known | None = None) -> list[Unmet]:
    needed = required_grade(tender)
    if not needed:
        return []
    if grade is None and known is not None:
        grade = known.grade_on(tender.bid_deadline)
    elif grade is None:
        row = grade_row_at(session, org.id, tender.bid_deadline)
        grade = row.grade if row is not None else 0
    if grade < needed:
        return [Unmet("grade", _l("This tender needs a grade of %(g)sA or above, valid at "
                                  "the bid deadline.", g=needed))]
    return []


def _annual_report(org: Organization, accept_basic_pass: bool, on: dt.date) -> list[Unmet]:
    """``accept_basic_pass``: the tender's ``accept_basic_pass_report``."""
    year = report_year(on)
    if org.track != Track.REGISTERED or org.registered_on is None \
            or org.registered_on.year > year:
        return []
    report = next((r for r in org.annual_reports if r.year == year), None)
    if report is None:
        return [Unmet("annual_report_missing", _l(
            "The annual report for %(year)s has not been filed.", year=year))]
    if report.result is None:
        return [Unmet("annual_report_pending", _l(
            "The annual report for %(year)s has not been accepted yet: civil affairs has "
            "not recorded the inspection result.", year=year))]
    if report.result == InspectionResult.FAIL:
        return [Unmet("annual_report_failed", _l(
            "The annual inspection for %(year)s was failed.", year=year))]
    if report.result == InspectionResult.BASIC_PASS and not accept_basic_pass:
        return [Unmet("annual_report_basic_pass", _l(
            "The annual inspection for %(year)s was only basically passed; this "
            "tender requires a pass.", year=year))]
    return []


def _credit(session: Session, org: Organization, on: dt.date) -> list[Unmet]:
    """The negative-credit conditions, decided in one place (``credit.queries.barring``):
    sanctions in force, serious violations, the clearance list, contracts terminated for
    the organization's fault."""
    return [Unmet(a.code, a.reason) for a in barring(session, org.id, on)]


def provider_conditions(session: Session, org: Organization, tender: Tender, on: dt.date,
                        *, grade: int | None = None, known: Known | None = None
                        ) -> list[Unmet]:
    """Every condition ``org`` does not meet to bid on ``tender`` on ``on`` (empty: it may).

    ``grade``: the grade to judge by (a bid's frozen snapshot); default the grade on record
    valid at the bid deadline. ``known``: what was read once about the organization for
    ``on`` (``Known``), when judging many tenders."""
    if known is not None and known.on != on:
        known = None
    return (_standing(org, tender)
            + ([Unmet("category", _l("Your organization's category is not among those this "
                                     "tender accepts."))]
               if org.category.value not in (tender.eligible_categories or []) else [])
            + _grade(session, org, tender, grade, known)
            + _annual_report(org, tender.accept_basic_pass_report, on)
            + (list(known.credit) if known is not None else _credit(session, org, on)))


def bid_day(at: dt.datetime | None = None) -> dt.date:
    return (at or now()).astimezone(LOCAL_TZ).date()


def deadline_day(tender: Tender) -> dt.date:
    return tender.bid_deadline.astimezone(LOCAL_TZ).date()


def snapshot_grade(session: Session, bid: Bid, tender: Tender) -> None:
    """Copy onto the bid the grade valid at the bid deadline as the record stands now —
    provisional (shown to the bidder) until ``freeze_grade`` fixes it."""
    row = grade_row_at(session, bid.organization_id, tender.bid_deadline)
    bid.grade_at_deadline = row.grade if row is not None else 0
    bid.grade_valid_from = row.valid_from if row is not None else None
    bid.grade_valid_until = row.valid_until if row is not None else None


def freeze_grade(session: Session, bid: Bid, tender: Tender) -> int:
    """Fix the bid's grade: the decision valid at the bid deadline among those recorded by
    the deadline (never one recorded later, dated back or not). Idempotent."""
    if bid.grade_frozen_at is None:
        row = grade_row_at(session, bid.organization_id, tender.bid_deadline,
                           known_at=tender.bid_deadline)
        bid.grade_at_deadline = row.grade if row is not None else 0
        bid.grade_valid_from = row.valid_from if row is not None else None
        bid.grade_valid_until = row.valid_until if row is not None else None
        bid.grade_frozen_at = now()
    return bid.grade_at_deadline
