"""The only door for writes to the expert pool and its draws.

Civil affairs keeps the pool (add, edit, deactivate, unavailable periods, standing
conflicts); each change is audit-logged. ``perform_draw`` draws reviewers for a subject
(a tender's committee, later a grant) and records everything needed to replay it;
``replace`` records a replacement. The caller (the subject's own room) decides who the
parties are and checks the committee's shape; this room never learns what a party is
beyond its organization id, and shows nothing of it (``disclosed`` below).
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Department, User
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.clock import now
from market.core import registry
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.experts import draws
from market.experts.models import (Draw, DrawStep, Exclusion, PoolExpert, Specialty,
                                   StandingConflict, Unavailability)
from market.orgs.models import Organization


# --- subjects: what a draw is for, registered by the room that owns it ------------------

@dataclass(frozen=True)
class Subject:
    """How the draw pages speak of one kind of subject. ``disclosed(session, id)``: may the
    record's exclusions, seed and replay be shown (a tender: once its bids are opened, as
    the exclusions could tell who bid); ``label(session, id)`` and ``url(id)`` name it."""

    label: Callable[[Session, int], str]
    url: Callable[[int], str]
    disclosed: Callable[[Session, int], bool]


def register_subject(app, kind: str, subject: Subject) -> None:
    for subjects in registry.targets(app, "draw_subjects", dict, process=True):
        subjects[kind] = subject


def subject(kind: str) -> Subject | None:
    return registry.current("draw_subjects", dict, process=True).get(kind)


def disclosed(session: Session, draw: Draw) -> bool:
    found = subject(draw.subject_kind)
    return found is not None and found.disclosed(session, draw.subject_id)


# --- the pool ------------------------------------------------------------------------------

@dataclass
class ExpertData:
    user_id: int
    specialties: list[str]
    title: str = ""
    employer_name: str = ""
    employer_org_id: int | None = None
    employer_department_id: int | None = None
    active: bool = True


def _manager(actor) -> None:
    if not actor.can(Permission.EXPERTS_MANAGE):
        raise Forbidden(_l("Only civil affairs keeps the expert pool."))


def get_expert(session: Session, expert_id: int, *, lock: bool = False) -> PoolExpert:
    expert = session.get(PoolExpert, expert_id, with_for_update=lock or None)
    if expert is None:
        raise NotFound(_l("No such expert in the pool."))
    return expert


def _clean(session: Session, data: ExpertData, expert: PoolExpert | None) -> ExpertData:
    user = session.get(User, data.user_id)
    if user is None or user.role != Role.EXPERT:
        raise Invalid(_l("Choose the expert's user account (a user with the expert role)."),
                      field="user_id")
    other = session.scalar(select(PoolExpert).where(PoolExpert.user_id == user.id))
    if other is not None and (expert is None or other.id != expert.id):
        raise Conflict(_l("This user is already in the expert pool."), field="user_id")
    codes = {s.value for s in Specialty}
    specialties = sorted(set(data.specialties or []))
    if not specialties:
        raise Invalid(_l("Choose at least one specialty."), field="specialties")
    if not set(specialties) <= codes:
        raise Invalid(_l("Unknown specialty."), field="specialties")
    if data.employer_org_id and session.get(Organization, data.employer_org_id) is None:
        raise Invalid(_l("No such organization."), field="employer_org_id")
    if data.employer_department_id and session.get(Department,
                                                   data.employer_department_id) is None:
        raise Invalid(_l("No such department."), field="employer_department_id")
    employer = (data.employer_name or "").strip()[:200]
    if not (employer or data.employer_org_id or data.employer_department_id):
        raise Invalid(_l("Name the expert's employer."), field="employer_name")
    return ExpertData(user.id, specialties, (data.title or "").strip()[:100], employer,
                      data.employer_org_id or None, data.employer_department_id or None,
                      bool(data.active))


def add_expert(session: Session, actor, data: ExpertData) -> PoolExpert:
    _manager(actor)
    clean = _clean(session, data, None)
    expert = PoolExpert(**clean.__dict__)
    session.add(expert)
    session.flush()
    record(session, actor, "pool_expert", expert.id, "add", reason=",".join(clean.specialties))
    return expert


def edit_expert(session: Session, actor, expert_id: int, data: ExpertData) -> PoolExpert:
    _manager(actor)
    expert = get_expert(session, expert_id, lock=True)
    clean = _clean(session, data, expert)
    before = ",".join(expert.specialties or []) + ("" if expert.active else " (inactive)")
    for key, value in clean.__dict__.items():
        setattr(expert, key, value)
    expert.updated_at = now()
    after = ",".join(clean.specialties) + ("" if clean.active else " (inactive)")
    record(session, actor, "pool_expert", expert.id, "edit", before, after)
    return expert


def mark_unavailable(session: Session, actor, expert_id: int, starts_on: dt.date,
                     ends_on: dt.date, reason: str) -> Unavailability:
    _manager(actor)
    expert = get_expert(session, expert_id, lock=True)
    if ends_on < starts_on:
        raise Invalid(_l("The period ends before it starts."), field="ends_on")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Say why the expert is unavailable."), field="reason")
    row = Unavailability(expert_id=expert.id, starts_on=starts_on, ends_on=ends_on,
                         reason=reason[:2000], recorded_by_id=actor.id)
    session.add(row)
    session.flush()
    record(session, actor, "pool_expert", expert.id, "unavailable",
           to_state=f"{starts_on.isoformat()}..{ends_on.isoformat()}", reason=reason[:500])
    return row


def declare_standing_conflict(session: Session, actor, expert_id: int, organization_id: int,
                              note: str) -> StandingConflict:
    """Record a conflict the expert declared with an organization (kept by civil affairs)."""
    _manager(actor)
    expert = get_expert(session, expert_id, lock=True)
    if session.get(Organization, organization_id) is None:
        raise Invalid(_l("No such organization."), field="organization_id")
    note = (note or "").strip()
    if not note:
        raise Invalid(_l("Say briefly what the conflict of interest is."), field="note")
    if session.scalar(select(StandingConflict.id).where(
            StandingConflict.expert_id == expert.id,
            StandingConflict.organization_id == organization_id)):
        raise Conflict(_l("This conflict is already recorded."), field="organization_id")
    row = StandingConflict(expert_id=expert.id, organization_id=organization_id,
                           note=note[:2000], recorded_by_id=actor.id)
    session.add(row)
    session.flush()
    record(session, actor, "pool_expert", expert.id, "declare_conflict",
           to_state=str(organization_id), reason=note[:500])
    return row


# --- the draw ------------------------------------------------------------------------------

def _exclusion(expert: PoolExpert, day: dt.date, parties: set[int],
               department_id: int | None, conflicts: dict[int, set[int]],
               unavailable: dict[int, list[Unavailability]]) -> str | None:
    """Why ``expert`` may not sit, in order of weight, or None."""
    if department_id is not None and department_id in (expert.employer_department_id,
                                                       expert.user.department_id):
        return Exclusion.DEPARTMENT_STAFF.value
    if expert.employer_org_id is not None and expert.employer_org_id in parties:
        return Exclusion.EMPLOYER_PARTY.value
    if expert.user.organization_id is not None and expert.user.organization_id in parties:
        return Exclusion.EMPLOYER_PARTY.value
    if conflicts.get(expert.id, set()) & parties:
        return Exclusion.DECLARED_CONFLICT.value
    if any(u.covers(day) for u in unavailable.get(expert.id, [])):
        return Exclusion.UNAVAILABLE.value
    return None


def snapshot(session: Session, specialty: str) -> list[PoolExpert]:
    """The active experts of ``specialty`` whose accounts are active, sorted by id."""
    experts = session.scalars(select(PoolExpert).join(User, User.id == PoolExpert.user_id)
                              .where(PoolExpert.active.is_(True), User.active.is_(True))
                              .order_by(PoolExpert.id))
    return [e for e in experts if specialty in (e.specialties or [])]


def candidates(session: Session, *, specialty: str, review_on: dt.date,
               parties: Iterable[int] = (), department_id: int | None = None
               ) -> tuple[list[dict], dict[str, str]]:
    """The pool snapshot of ``specialty`` ([{id, name, employer}], sorted by id) and who in
    it may not sit, with why (str(expert id) -> an ``Exclusion`` value)."""
    if specialty not in {s.value for s in Specialty}:
        raise Invalid(_l("Choose a specialty."), field="specialty")
    parties = set(parties)
    members = snapshot(session, specialty)
    ids = [e.id for e in members]
    unavailable: dict[int, list[Unavailability]] = {}
    for row in session.scalars(select(Unavailability).where(Unavailability.expert_id.in_(ids))):
        unavailable.setdefault(row.expert_id, []).append(row)
    conflicts: dict[int, set[int]] = {}
    for row in session.scalars(select(StandingConflict).where(
            StandingConflict.expert_id.in_(ids))):
        conflicts.setdefault(row.expert_id, set()).add(row.organization_id)
    exclusions = {}
    for e in members:
        why = _exclusion(e, review_on, parties, department_id, conflicts, unavailable)
        if why:
            exclusions[str(e.id)] = why
    return [{"id": e.id, "name": e.name, "employer": e.employer} for e in members], exclusions


def perform_draw(session: Session, actor, *, subject_kind: str, subject_id: int,
                 specialty: str, size: int, representative_ids: Iterable[int] = (),
                 review_on: dt.date, parties: Iterable[int] = (),
                 department_id: int | None = None, seed: str | None = None) -> Draw:
    """Draw ``size`` experts of ``specialty`` for the subject and record the draw.

    ``parties``: organization ids an expert must have no tie with (a tender's bidders) —
    checked here, on the server, and shown to nobody before the subject discloses them;
    ``department_id``: the purchasing department, whose staff never sit as experts.
    ``seed``: a fresh random one unless given (the demo gives one). Refused (Conflict)
    when the pool cannot give ``size`` experts; nothing is stored then.
    """
    pool, exclusions = candidates(session, specialty=specialty, review_on=review_on,
                                  parties=parties, department_id=department_id)
    seed = seed or secrets.token_hex(16)
    result = draws.draw(pool, seed, size, exclusions)
    if len(result) < size:
        # How many are eligible is not said: with the bidders unknown to the department,
        # the number left out could tell it something about who bid.
        raise Conflict(_l("The expert pool does not have %(size)s eligible experts of this "
                          "specialty: choose another specialty or ask civil affairs to extend "
                          "the pool.", size=size), field="specialty")
    representative_ids = list(representative_ids)
    row = Draw(subject_kind=subject_kind, subject_id=subject_id, specialty=specialty,
               size=size, members_total=size + len(representative_ids),
               representative_ids=representative_ids, review_on=review_on, seed=seed,
               pool=pool, exclusions=exclusions, result=result, drawn_by_id=actor.id)
    session.add(row)
    session.flush()
    record(session, actor, "expert_draw", row.id, "draw", to_state=f"{subject_kind}:{subject_id}")
    return row


def replace(session: Session, actor, draw_id: int, expert_id: int, reason: Exclusion,
            note: str = "") -> DrawStep:
    """Take ``expert_id`` off the draw for ``reason`` and draw again with it excluded: the
    others stay, the next in line comes in (``replacement_id``; None if the pool ran out)."""
    draw = session.get(Draw, draw_id, with_for_update=True, populate_existing=True)
    if draw is None:
        raise NotFound(_l("No such draw."))
    current = draw.current
    if expert_id not in current:
        raise Conflict(_l("This expert is not on the drawn committee."))
    excluded = dict(draw.exclusions)
    for step in draw.steps:
        excluded[str(step.expert_id)] = step.reason
    excluded[str(expert_id)] = reason.value
    result = draws.draw(draw.pool, draw.seed, draw.size, excluded)
    new = [i for i in result if i not in current]
    step = DrawStep(draw_id=draw.id, seq=len(draw.steps) + 1, expert_id=expert_id,
                    reason=reason.value, note=(note or "").strip()[:2000], result=result,
                    replacement_id=new[0] if new else None, by_id=actor.id)
    session.add(step)
    session.flush()
    session.refresh(draw)
    record(session, actor, "expert_draw", draw.id, "replace", str(expert_id),
           str(step.replacement_id or ""), reason=reason.value)
    return step


def replay(draw: Draw) -> list[draws.ReplayStep]:
    """The draw and each replacement recomputed from the stored record alone."""
    return draws.replay(draw.pool, draw.seed, draw.size, draw.exclusions, draw.result,
                        [(s.expert_id, s.reason, s.result) for s in draw.steps])


def pool_expert_of(session: Session, user_id: int) -> PoolExpert | None:
    return session.scalar(select(PoolExpert).where(PoolExpert.user_id == user_id))


def get_draw(session: Session, user, draw_id: int) -> Draw:
    if user is None or not getattr(user, "is_authenticated", False) \
            or not user.can(Permission.EXPERTS_DRAWS_READ):
        raise NotFound(_l("No such draw."))
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise NotFound(_l("No such draw."))
    return draw
