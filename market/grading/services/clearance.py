"""清退 — the clearance list, computed by rule as of a date (policy §10).

An organization registered with civil affairs becomes *eligible for evaluation* two full
years after its registration date. It is listed for clearance when

* **never evaluated**: three more years have passed since it became eligible (so five
  years after registration) and it has no grade row at all; or
* **no grade**: its latest grade-evaluation outcome is "no grade" — an announced grade
  evaluation whose proposed grade was 0 (the cycles record no grade row for it), or an
  ``OrgGrade`` row with grade 0 recorded by an evaluation (``source`` in ``NO_GRADE_SOURCES``).

Civil affairs confirms a listed organization's clearance (the organization becomes
``cleared`` through ``market.orgs.status.clear_out``) or records why not; a "why not"
keeps it off the list until a new reason appears (another grade evaluation without a
grade, or another three years without any evaluation).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.permissions import Permission
from market.auditlog.services import record
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.grading.grades import _as_date
from market.grading.models import (REASON_LABELS, ClearanceDecision, ClearanceOutcome,
                                   ClearanceReason, OrgGrade)
from market.orgs import status as org_status
from market.orgs.enums import OrgStatus, Track
from market.orgs.models import Organization

ELIGIBLE_AFTER_YEARS = 2  # 符合评估条件: two full years after registration
GRACE_YEARS = 3  # 三年内未参加评估
# Grade rows whose grade 0 means "evaluated, no grade reached" (grade evaluation cycles
# record their outcome with source "evaluation"; a "downgrade"/revocation is not listed).
NO_GRADE_SOURCES = ("evaluation",)
LISTED_STATUSES = (OrgStatus.ACTIVE, OrgStatus.SUSPENDED)


@dataclass(frozen=True)
class Listing:
    organization: Organization
    reason: ClearanceReason
    key: str
    since: dt.date  # the date the reason arose

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self.reason])


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def eligible_from(org: Organization) -> dt.date | None:
    return add_years(org.registered_on, ELIGIBLE_AFTER_YEARS) if org.registered_on else None


@dataclass(frozen=True)
class Outcome:
    """One evaluation result known on a day: a grade row, or an announced grade evaluation."""

    day: dt.date
    grade: int
    no_grade: bool  # an evaluation that reached no grade
    key: str


def _reason(org: Organization, outcomes: list[Outcome], day: dt.date
            ) -> tuple[ClearanceReason, str, dt.date] | None:
    """The rule for one organization, given the evaluation outcomes known on ``day``."""
    if org.track != Track.REGISTERED or org.status not in LISTED_STATUSES:
        return None
    if outcomes:
        latest = max(outcomes, key=lambda o: (o.day, o.key))
        if latest.no_grade:
            return ClearanceReason.NO_GRADE, latest.key, latest.day
        return None
    start = eligible_from(org)
    if start is None or day < add_years(start, GRACE_YEARS):
        return None
    # Every further three years without an evaluation is a new occurrence of the reason.
    periods = 0
    while add_years(start, GRACE_YEARS * (periods + 2)) <= day:
        periods += 1
    since = add_years(start, GRACE_YEARS * (periods + 1))
    return ClearanceReason.NEVER_EVALUATED, f"period-{since.isoformat()}", since


def _outcomes_by_org(session: Session, org_ids, day: dt.date) -> dict[int, list[Outcome]]:
    out: dict[int, list[Outcome]] = {i: [] for i in org_ids}
    if not out:
        return out
    for row in session.scalars(select(OrgGrade).where(
            OrgGrade.organization_id.in_(list(out)), OrgGrade.valid_from <= day)):
        out[row.organization_id].append(Outcome(
            row.valid_from, row.grade, row.grade == 0 and row.source in NO_GRADE_SOURCES,
            f"grade-{row.id:09d}"))
    for org_id, announced_on, grade_eval_id in _announced_without_grade(session, list(out)):
        if announced_on <= day:
            out[org_id].append(Outcome(announced_on, 0, True, f"cycle-{grade_eval_id:09d}"))
    return out


def _announced_without_grade(session: Session, org_ids: list[int]):
    """(organization id, local date, id) of announced grade evaluations that reached no
    grade — the grade-evaluation cycles record no grade row for them."""
    try:
        from market.grading.models import EvaluationState, GradeEvaluation
    except ImportError:  # the grade-evaluation cycles are not there: grade rows only
        return []
    rows = session.execute(select(GradeEvaluation.organization_id,
                                  GradeEvaluation.announced_at, GradeEvaluation.id).where(
        GradeEvaluation.organization_id.in_(org_ids),
        GradeEvaluation.state == EvaluationState.ANNOUNCED,
        GradeEvaluation.proposed_grade == 0, GradeEvaluation.announced_at.is_not(None)))
    return [(org_id, _as_date(at), i) for org_id, at, i in rows]


def _decided_keys(session: Session, org_ids) -> set[tuple[int, str]]:
    if not org_ids:
        return set()
    return set(session.execute(select(ClearanceDecision.organization_id,
                                      ClearanceDecision.reason_key)
                               .where(ClearanceDecision.organization_id.in_(list(org_ids)))))


def clearance_list(session: Session, at: dt.date | dt.datetime) -> list[Listing]:
    """Every organization listed for clearance on ``at`` (local date), by name."""
    day = _as_date(at)
    orgs = list(session.scalars(
        select(Organization).where(Organization.track == Track.REGISTERED,
                                   Organization.status.in_(LISTED_STATUSES),
                                   Organization.registered_on.is_not(None))
        .order_by(Organization.name, Organization.id)))
    outcomes = _outcomes_by_org(session, [o.id for o in orgs], day)
    decided = _decided_keys(session, [o.id for o in orgs])
    out = []
    for org in orgs:
        found = _reason(org, outcomes[org.id], day)
        if found is not None and (org.id, found[1]) not in decided:
            out.append(Listing(org, *found))
    return out


def listing_for(session: Session, org_id: int, at: dt.date | dt.datetime) -> Listing | None:
    org = session.get(Organization, org_id)
    if org is None:
        return None
    day = _as_date(at)
    found = _reason(org, _outcomes_by_org(session, [org.id], day)[org.id], day)
    if found is None or (org.id, found[1]) in _decided_keys(session, [org.id]):
        return None
    return Listing(org, *found)


def reason_for(session: Session, org_id: int, at: dt.date | dt.datetime) -> str | None:
    """Why the organization is on the clearance list on ``at`` (translated), or None."""
    listing = listing_for(session, org_id, at)
    return listing.label if listing is not None else None


def decide(session: Session, actor, org_id: int, clear: bool, note: str,
           at: dt.date | dt.datetime) -> ClearanceDecision:
    """Civil affairs confirms the clearance, or records why the organization stays."""
    if actor is None or not actor.can(Permission.CLEARANCE_DECIDE):
        raise Forbidden(_l("Only civil affairs decides on clearance."))
    if session.get(Organization, org_id, with_for_update=True) is None:
        raise NotFound(_l("No such organization."))
    note = (note or "").strip()
    if not note:
        raise Invalid(_l("Please give the reason; it is recorded and shown to the "
                         "organization."), field="note")
    listing = listing_for(session, org_id, at)
    if listing is None:
        raise Conflict(_l("This organization is not on the clearance list."))
    decision = ClearanceDecision(
        organization_id=org_id, reason=listing.reason, reason_key=listing.key,
        outcome=ClearanceOutcome.CLEARED if clear else ClearanceOutcome.KEPT,
        note=note[:5000], as_of=_as_date(at), decided_by_id=actor.id)
    session.add(decision)
    if clear:
        org_status.clear_out(session, actor, org_id, f"{listing.label}: {note}"[:5000])
    else:
        record(session, actor, "organization", org_id, "clearance_kept", listing.reason.value,
               None, note[:500])
    session.flush()
    return decision
