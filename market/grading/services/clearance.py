"""清退 — the clearance list, computed by rule as of a date (policy §10).

The seed: "符合评估条件但三年内未参加评估或参加评估但达不到等级" — an organization eligible for
grade evaluation that has not taken part for three years, or that took part and reached
no grade. An organization registered with civil affairs (active or suspended) is listed

* **never evaluated** (``NEVER_EVALUATED``): it became eligible two full years after its
  registration (民政部令第39号 第六条, policy grading_eligible_after_years), has never been
  graded, has not applied in any grade-evaluation cycle since, and three years
  (policy clearance_grace_years) have passed since it became eligible;
* **grade lapsed** (``LAPSED``): it was graded, its last grade expired (five years) or was
  revoked, it became eligible again that day (art. 6(2) for an expiry; for a revocation
  the platform's choice — no waiting period was found in Order 39), and three years have
  passed since without an application in any cycle;
* **no grade** (``NO_GRADE``): its latest grading outcome is "no grade" — an announced
  grade evaluation whose proposed grade was 0 (the cycles record no grade row for it), or a
  grade row 0 recorded by an evaluation.

Taking part means applying in a cycle (a pending application counts) or being graded.
Years in which an art. 7 exclusion kept the organization out are not subtracted (the seed
counts three years from eligibility; civil affairs records "why not" for such a case).
Every entry carries its dates: eligible since, the last grading and its grade, the day
the grade ended and how. Every further three years without taking part is a new
occurrence of the reason.

Civil affairs confirms a listed organization's clearance (the organization becomes
``cleared`` through ``market.orgs.status.clear_out``) or records why not; a "why not"
keeps it off the list until a new reason appears.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.access.permissions import Permission
from market.auditlog.services import record
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.grading.grades import _as_date
from market.grading.labels import REASON_LABELS
from market.grading.models import (ClearanceDecision, ClearanceOutcome, ClearanceReason,
                                   EvaluationState, GradeEvaluation, OrgGrade)
from market.orgs import status as org_status
from market.orgs.enums import OrgStatus, Track
from market.orgs.models import Organization

# Grade rows that are not gradings: a later decision on a grade already given.
CHANGE_SOURCES = ("downgrade", "revocation")
LISTED_STATUSES = (OrgStatus.ACTIVE, OrgStatus.SUSPENDED)


@dataclass(frozen=True)
class Listing:
    organization: Organization
    reason: ClearanceReason
    key: str
    since: dt.date  # the day the organization is listed (the reason arose)
    eligible_since: dt.date | None = None  # eligible for grading from (not for NO_GRADE)
    last_grading: dt.date | None = None  # the last grading's date (grade row or announcement)
    last_grade: int | None = None  # its grade (0: no grade reached)
    grade_ended: dt.date | None = None  # the first day without the last grade
    revoked: bool = False  # the last grade was revoked (not expired)

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self.reason])


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def eligible_from(org: Organization) -> dt.date | None:
    if org.registered_on is None:
        return None
    return add_years(org.registered_on, policy.value("grading_eligible_after_years"))


@dataclass
class _History:
    """What the grading records say about one organization up to a day."""

    grades: list[OrgGrade]
    no_grade_announced: list[tuple[dt.date, int]]  # (announced on, evaluation id)
    applied: list[dt.date]  # every application in a cycle


def _reason(org: Organization, h: _History, day: dt.date) -> Listing | None:
    """The rule for one organization, given its grading history known on ``day``."""
    if org.track != Track.REGISTERED or org.status not in LISTED_STATUSES:
        return None
    gradings = [(g.valid_from, g.grade, f"grade-{g.id:09d}", g) for g in h.grades
                if g.source not in CHANGE_SOURCES]
    gradings += [(on, 0, f"cycle-{i:09d}", None) for on, i in h.no_grade_announced]
    if gradings:
        latest = max(gradings, key=lambda o: (o[0], o[2]))
        if latest[1] == 0:
            return Listing(org, ClearanceReason.NO_GRADE, latest[2], latest[0],
                           last_grading=latest[0], last_grade=0)
    positive = [g for g in gradings if g[1] > 0]
    grace = policy.value("clearance_grace_years")
    if positive:
        on, grade, key, row = max(positive, key=lambda o: (o[0], o[2]))
        ended, revoked = row.valid_until, False
        for change in h.grades:
            if (change.source in CHANGE_SOURCES and change.grade == 0
                    and on <= change.valid_from < ended and change.recorded_at >= row.recorded_at):
                ended, revoked = change.valid_from, True
        if ended > day:
            return None  # holds a grade
        start, reason, extra = ended, ClearanceReason.LAPSED, dict(
            last_grading=on, last_grade=grade, grade_ended=ended, revoked=revoked)
        key_base = f"lapsed-{row.id:09d}"
    else:
        start = eligible_from(org)
        reason, extra, key_base = ClearanceReason.NEVER_EVALUATED, {}, "period"
    if start is None or day < add_years(start, grace):
        return None
    if any(start <= applied <= day for applied in h.applied):
        return None  # took part (its outcome is awaited or was recorded above)
    # Every further three years without taking part is a new occurrence of the reason.
    periods = 0
    while add_years(start, grace * (periods + 2)) <= day:
        periods += 1
    since = add_years(start, grace * (periods + 1))
    return Listing(org, reason, f"{key_base}-{since.isoformat()}", since,
                   eligible_since=start, **extra)


def _histories(session: Session, org_ids, day: dt.date) -> dict[int, _History]:
    out: dict[int, _History] = {i: _History([], [], []) for i in org_ids}
    if not out:
        return out
    ids = list(out)
    for row in session.scalars(select(OrgGrade).where(
            OrgGrade.organization_id.in_(ids), OrgGrade.valid_from <= day)):
        out[row.organization_id].grades.append(row)
    for org_id, state, proposed, applied_at, announced_at, i in session.execute(select(
            GradeEvaluation.organization_id, GradeEvaluation.state,
            GradeEvaluation.proposed_grade, GradeEvaluation.applied_at,
            GradeEvaluation.announced_at, GradeEvaluation.id).where(
            GradeEvaluation.organization_id.in_(ids))):
        if _as_date(applied_at) <= day:
            out[org_id].applied.append(_as_date(applied_at))
        if (state == EvaluationState.ANNOUNCED and proposed == 0 and announced_at is not None
                and _as_date(announced_at) <= day):
            out[org_id].no_grade_announced.append((_as_date(announced_at), i))
    return out


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
    histories = _histories(session, [o.id for o in orgs], day)
    decided = _decided_keys(session, [o.id for o in orgs])
    out = []
    for org in orgs:
        found = _reason(org, histories[org.id], day)
        if found is not None and (org.id, found.key) not in decided:
            out.append(found)
    return out


def listing_for(session: Session, org_id: int, at: dt.date | dt.datetime) -> Listing | None:
    org = session.get(Organization, org_id)
    if org is None:
        return None
    day = _as_date(at)
    found = _reason(org, _histories(session, [org.id], day)[org.id], day)
    if found is None or (org.id, found.key) in _decided_keys(session, [org.id]):
        return None
    return found


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
