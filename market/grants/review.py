"""Screening (资格审查) and review (评审) of venture philanthropy applications (issue 11,
part 3; policy §13–14 yearly venture philanthropy, §10 3A+ priority).

After the window closes, civil affairs screens each submitted application: eligible, or
ineligible with a reason the applicant sees; re-screening is allowed until the reviewers
are drawn. The reviewers of each eligible application are then drawn at random from the
expert pool by a specialty civil affairs chooses (``market.experts``, subject
``grant_application``), never an expert employed by the applicant or with a standing
conflict with it, nor staff of the funding department. Each drawn reviewer first declares
conflicts of interest (利益冲突声明): a declared conflict takes the seat out and a recorded
redraw brings in the next in line. Reviewers score each criterion of the round (0–100,
with a comment), may save until they submit, and see the other reviewers' scores only
once every reviewer of the application has submitted.

The ranking (``ranking``) orders the eligible applications with every score in by the
mean of the reviewers' weighted scores (Σ score × weight / Σ weight), plus the round's
score bonus for 3A+ organizations, shows the spread (highest less lowest) and flags an
application whose reviewers disagree by more than ``grant_review_disagreement_margin``
for a second look. The decision step reads ``ranking`` and ``reviews_complete``.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from market import policy
from market.access.permissions import Permission
from market.auditlog.services import record
from market.clock import now, today_local
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.experts import services as pool
from market.experts.models import Draw, Exclusion, PoolExpert
from market.grading.grades import has_priority
from market.grants.models import (ApplicationStatus, GrantApplication, GrantReviewer,
                                  GrantRound, GrantScreening, PriorityMode, RoundStatus,
                                  ScreeningReason)
from market.grants import services
from market.grants.services import get_round

SUBJECT = "grant_application"
CENT = Decimal("0.01")
SCREENABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE,
              ApplicationStatus.INELIGIBLE)
# Eligible, and what the decision step makes of an eligible application.
REVIEWED = (ApplicationStatus.ELIGIBLE, ApplicationStatus.FUNDED,
            ApplicationStatus.NOT_FUNDED)

CONFLICT_DECLARED = _l("You declared a conflict of interest with this application, so you "
                       "cannot see or score it; nothing was changed.")
SCORES_HIDDEN = _l("The other reviewers' scores are shown once every reviewer of this "
                   "application has submitted; nothing was shown.")


def _manager(session: Session, actor, grant_round: GrantRound) -> None:
    if actor is None or not actor.can(Permission.GRANTS_MANAGE):
        raise Forbidden(_l("Only civil affairs manages venture philanthropy rounds."))
    if grant_round.department_id != actor.department_id:
        raise NotFound(_l("No such venture philanthropy round."))


def _closed(grant_round: GrantRound) -> None:
    if grant_round.status != RoundStatus.PUBLISHED or now() < grant_round.closes_at:
        raise Conflict(_l("Applications are screened and reviewed after the window closes."))


# --- screening (资格审查) ------------------------------------------------------------------

def screenable_query(grant_round: GrantRound) -> Select:
    """The round's submitted applications, screened or not, in the order they came in."""
    return (select(GrantApplication).where(GrantApplication.round_id == grant_round.id,
                                           GrantApplication.status.in_(
                                               SCREENABLE + REVIEWED[1:]))
            .order_by(GrantApplication.submitted_at, GrantApplication.id))


def screenable(session: Session, grant_round: GrantRound) -> list[GrantApplication]:
    return list(session.scalars(screenable_query(grant_round)))


def screenings(session: Session, applications: Sequence[GrantApplication]
               ) -> dict[int, GrantScreening]:
    ids = [a.id for a in applications]
    return {s.application_id: s for s in session.scalars(
        select(GrantScreening).where(GrantScreening.application_id.in_(ids)))}


def screening_of(session: Session, application: GrantApplication) -> GrantScreening | None:
    return session.scalar(select(GrantScreening).where(
        GrantScreening.application_id == application.id))


def reviews_started(session: Session, grant_round: GrantRound) -> bool:
    """The reviewers of the round are drawn (screening is then final)."""
    return session.scalar(select(GrantReviewer.id).join(GrantApplication).where(
        GrantApplication.round_id == grant_round.id).limit(1)) is not None


def screen(session: Session, actor, application_id: int, *, eligible: bool, reason: str,
           note: str = "") -> GrantScreening:
    """Record the screening of one submitted application (again, until review starts)."""
    application = session.get(GrantApplication, application_id, with_for_update=True)
    if application is None or application.status == ApplicationStatus.DRAFT:
        raise NotFound(_l("No such grant application."))
    grant_round = get_round(session, application.round_id, lock=True)
    _manager(session, actor, grant_round)
    if application.status not in SCREENABLE:
        raise Conflict(_l("Only a submitted application can be screened."))
    _closed(grant_round)
    if reviews_started(session, grant_round):
        raise Conflict(_l("The reviewers of this round are drawn: screening can no longer "
                          "change."))
    try:
        code = ScreeningReason(reason or "")
    except ValueError:
        raise Invalid(_l("Choose a reason."), field="reason") from None
    note = (note or "").strip()[:2000]
    if eligible:
        code = ScreeningReason.MEETS_REQUIREMENTS
    elif code == ScreeningReason.MEETS_REQUIREMENTS:
        raise Invalid(_l("Choose why the application does not pass screening."),
                      field="reason")
    elif not note:
        raise Invalid(_l("Explain to the applicant why the application does not pass "
                          "screening."), field="note")
    row = screening_of(session, application)
    if row is None:
        row = GrantScreening(application_id=application.id)
        session.add(row)
    row.eligible, row.reason, row.note = bool(eligible), code, note
    row.screened_at, row.screened_by_id = now(), actor.id
    before = application.status.value
    application.status = ApplicationStatus.ELIGIBLE if eligible else \
        ApplicationStatus.INELIGIBLE
    session.flush()
    record(session, actor, "grant_application", application.id, "screen", before,
           application.status.value, reason=f"{code.value}: {note}"[:500])
    return row


# --- the reviewer draw ---------------------------------------------------------------------

def draw_of(session: Session, application: GrantApplication) -> Draw | None:
    return session.scalar(select(Draw).where(Draw.subject_kind == SUBJECT,
                                             Draw.subject_id == application.id)
                          .order_by(Draw.id.desc()))


def _seat(session: Session, application: GrantApplication, draw: Draw,
          pool_expert_id: int) -> GrantReviewer:
    expert = session.get(PoolExpert, pool_expert_id)
    seat = GrantReviewer(application_id=application.id, draw_id=draw.id,
                         pool_expert_id=expert.id, user_id=expert.user_id, active=True,
                         conflict_note="", scores=[])
    session.add(seat)
    session.flush()
    return seat


def draw_reviewers(session: Session, actor, round_id: int, specialty: str, *,
                   seed: str | None = None) -> list[Draw]:
    """Draw the round's reviewers per application for every eligible application, once,
    after every submitted application is screened. ``seed``: the demo gives one (each
    application's seed is derived from it); otherwise each draw takes a fresh random one."""
    grant_round = get_round(session, round_id, lock=True)
    _manager(session, actor, grant_round)
    _closed(grant_round)
    if reviews_started(session, grant_round):
        raise Conflict(_l("The reviewers of this round have already been drawn."))
    applications = screenable(session, grant_round)
    if any(a.status == ApplicationStatus.SUBMITTED for a in applications):
        raise Conflict(_l("Screen every submitted application before drawing reviewers."))
    eligible = [a for a in applications if a.status == ApplicationStatus.ELIGIBLE]
    if not eligible:
        raise Conflict(_l("No application of this round passed screening."))
    made = []
    for application in eligible:
        own_seed = None if seed is None else \
            hashlib.sha256(f"{seed}:{application.id}".encode()).hexdigest()[:32]
        draw = pool.perform_draw(
            session, actor, subject_kind=SUBJECT, subject_id=application.id,
            specialty=specialty, size=grant_round.reviewers_per_application,
            review_on=today_local(), parties={application.organization_id},
            department_id=grant_round.department_id, seed=own_seed)
        for pool_expert_id in draw.result:
            _seat(session, application, draw, pool_expert_id)
        made.append(draw)
    record(session, actor, "grant_round", grant_round.id, "draw_reviewers",
           to_state=f"{specialty} × {grant_round.reviewers_per_application}")
    return made


def seats(session: Session, application: GrantApplication, *, active_only: bool = True
          ) -> list[GrantReviewer]:
    stmt = select(GrantReviewer).where(GrantReviewer.application_id == application.id)
    if active_only:
        stmt = stmt.where(GrantReviewer.active.is_(True))
    return list(session.scalars(stmt.order_by(GrantReviewer.id)))


# --- the reviewer's side -------------------------------------------------------------------

def _reviewer(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) \
            or not actor.can(Permission.GRANTS_REVIEW):
        raise Forbidden(_l("Only a reviewer drawn from the expert pool reviews applications."))


def my_seat(session: Session, actor, application_id: int, *, lock: bool = False
            ) -> GrantReviewer:
    """The actor's seat on the application (NotFound for anyone not drawn for it)."""
    _reviewer(actor)
    stmt = (select(GrantReviewer).where(GrantReviewer.user_id == actor.id,
                                        GrantReviewer.application_id == application_id)
            .order_by(GrantReviewer.id.desc()).limit(1))
    seat = session.scalar(stmt.with_for_update() if lock else stmt)
    if seat is None:
        raise NotFound(_l("You are not a reviewer of this application."))
    return seat


def my_seats(session: Session, actor) -> list[GrantReviewer]:
    """Every application the actor was drawn for, newest first."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    return list(session.scalars(select(GrantReviewer).where(
        GrantReviewer.user_id == actor.id).order_by(GrantReviewer.id.desc())))


def _under_review(application: GrantApplication) -> None:
    if application.status != ApplicationStatus.ELIGIBLE:
        raise Conflict(_l("This application is no longer under review."))


def declare(session: Session, actor, application_id: int, *, conflict: bool,
            note: str = "") -> GrantReviewer:
    """The drawn reviewer's declaration; a conflict takes the seat out and redraws."""
    seat = my_seat(session, actor, application_id, lock=True)
    if seat.declared_at is not None or not seat.active:
        raise Conflict(_l("You have already made your declaration for this application."))
    _under_review(seat.application)
    note = (note or "").strip()[:2000]
    if conflict and not note:
        raise Invalid(_l("Say briefly what the conflict of interest is."), field="note")
    seat.declared_at, seat.conflict, seat.conflict_note = now(), bool(conflict), note
    record(session, actor, "grant_application", application_id,
           "declare_conflict" if conflict else "declare_no_conflict", reason=note[:500])
    if conflict:
        seat.active = False
        session.flush()
        step = pool.replace(session, actor, seat.draw_id, seat.pool_expert_id,
                            Exclusion.CONFLICT_AT_SEAT, note)
        if step.replacement_id is not None:
            _seat(session, seat.application, session.get(Draw, seat.draw_id),
                  step.replacement_id)
    return seat


def readable_seat(session: Session, actor, application_id: int) -> GrantReviewer:
    """The seat of a reviewer who may read the application: declared, no conflict."""
    seat = my_seat(session, actor, application_id)
    if seat.conflict:
        raise Forbidden(CONFLICT_DECLARED)
    if seat.declared_at is None:
        raise Conflict(_l("Declare whether you have a conflict of interest first."))
    return seat


@dataclass(frozen=True)
class CriterionScore:
    score: int | None
    comment: str = ""


def weighted(criteria: Sequence[dict], scores: Sequence[dict]) -> Decimal:
    """Σ score × weight / Σ weight, to the cent (the round's weights add up to 100)."""
    total_weight = sum(int(c["weight"]) for c in criteria)
    points = sum(Decimal(int(s["score"])) * int(c["weight"])
                 for c, s in zip(criteria, scores, strict=True))
    return (points / total_weight).quantize(CENT, ROUND_HALF_UP)


def save_scores(session: Session, actor, application_id: int,
                scores: Sequence[CriterionScore], *, submit: bool = False) -> GrantReviewer:
    """Save the reviewer's scores (editable) or submit them (final)."""
    seat = my_seat(session, actor, application_id, lock=True)
    if seat.conflict or not seat.active:
        raise Forbidden(CONFLICT_DECLARED)
    if seat.declared_at is None:
        raise Conflict(_l("Declare whether you have a conflict of interest first."))
    if seat.submitted_at is not None:
        raise Conflict(_l("Your scores for this application are submitted and can no longer "
                          "be changed."))
    application = seat.application
    _under_review(application)
    criteria = application.round.criteria
    if len(scores) != len(criteria):
        raise Invalid(_l("Score each criterion of the round."))
    for s in scores:
        if s.score is not None and not 0 <= s.score <= 100:
            raise Invalid(_l("A score is a whole number from 0 to 100."))
    if submit and any(s.score is None or not (s.comment or "").strip() for s in scores):
        raise Invalid(_l("Give every criterion a score and a comment before submitting."))
    seat.scores = [{"score": s.score, "comment": (s.comment or "").strip()[:2000]}
                   for s in scores]
    if submit:
        seat.submitted_at = now()
        record(session, actor, "grant_application", application.id, "submit_scores",
               to_state=str(weighted(criteria, seat.scores)))
    return seat


def reviews_complete(session: Session, application: GrantApplication) -> bool:
    """Every seat of the application is filled and has submitted its scores."""
    active = seats(session, application)
    return (len(active) >= application.round.reviewers_per_application
            and all(s.submitted_at is not None for s in active))


def all_scores(session: Session, actor, application_id: int) -> list[GrantReviewer]:
    """Every reviewer's submitted scores: for civil affairs, and for a reviewer of the
    application once all of its reviewers have submitted (Forbidden before)."""
    application = session.get(GrantApplication, application_id)
    if application is None:
        raise NotFound(_l("No such grant application."))
    manager = (actor is not None and actor.can(Permission.GRANTS_MANAGE)
               and application.round.department_id == actor.department_id
               and application.status != ApplicationStatus.DRAFT)
    if not manager:
        if actor is None or not getattr(actor, "is_authenticated", False) \
                or not actor.can(Permission.GRANTS_REVIEW):
            raise NotFound(_l("No such grant application."))
        seat = readable_seat(session, actor, application_id)
        if not seat.active or not reviews_complete(session, application):
            raise Forbidden(SCORES_HIDDEN)
    return [s for s in seats(session, application) if s.submitted_at is not None]


# --- the ranking ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Ranked:
    """One application in the ranking: ``mean`` of its reviewers' weighted scores, the 3A+
    ``bonus``, ``total`` = mean + bonus, ``spread`` = highest less lowest weighted score,
    ``flagged`` when the spread exceeds the margin; ``complete`` when all scores are in
    (otherwise mean, total and spread are None)."""

    application: GrantApplication
    mean: Decimal | None
    bonus: Decimal
    total: Decimal | None
    spread: Decimal | None
    flagged: bool
    complete: bool
    submitted: int
    seats: int


def bonus_for(session: Session, grant_round: GrantRound, application: GrantApplication
              ) -> Decimal:
    """The round's score bonus when the organization held 3A+ when the window closed."""
    if grant_round.priority_mode != PriorityMode.SCORE_BONUS:
        return Decimal("0.00")
    if not has_priority(session, application.organization_id, grant_round.closes_at):
        return Decimal("0.00")
    return Decimal(grant_round.priority_value).quantize(CENT)


def ranking(session: Session, grant_round: GrantRound) -> list[Ranked]:
    """The eligible applications of the round: those with every score in first, by total
    (highest first), then the others in the order they came in."""
    margin = policy.value("grant_review_disagreement_margin")
    ranked = []
    for application in screenable(session, grant_round):
        if application.status not in REVIEWED:
            continue
        active = seats(session, application)
        done = [weighted(grant_round.criteria, s.scores) for s in active
                if s.submitted_at is not None]
        complete = reviews_complete(session, application)
        bonus = bonus_for(session, grant_round, application)
        mean = total = spread = None
        if complete and done:
            mean = (sum(done) / len(done)).quantize(CENT, ROUND_HALF_UP)
            total = mean + bonus
            spread = max(done) - min(done)
        ranked.append(Ranked(application, mean, bonus, total, spread,
                             spread is not None and spread > margin, complete and bool(done),
                             len(done), len(active)))
    return sorted(ranked, key=lambda r: (not r.complete, -(r.total or 0)))


def progress(session: Session, grant_round: GrantRound) -> dict[int, list[GrantReviewer]]:
    """Every seat (with those taken out) per application, for civil affairs' page."""
    rows = session.scalars(select(GrantReviewer).join(GrantApplication).where(
        GrantApplication.round_id == grant_round.id).order_by(GrantReviewer.id))
    found: dict[int, list[GrantReviewer]] = {}
    for row in rows:
        found.setdefault(row.application_id, []).append(row)
    return found


# --- documents and subjects ----------------------------------------------------------------

def may_read_document(session: Session, user, doc) -> bool:
    """An application's attachments: its organization, civil affairs, and its reviewers
    once they have declared no conflict."""
    if services.may_read_document(session, user, doc):
        return True
    if user is None or not getattr(user, "is_authenticated", False) \
            or not user.can(Permission.GRANTS_REVIEW):
        return False
    return session.scalar(select(GrantReviewer.id).where(
        GrantReviewer.user_id == user.id, GrantReviewer.application_id == doc.owner_id,
        GrantReviewer.active.is_(True), GrantReviewer.conflict.is_(False))) is not None


def subject_label(session: Session, application_id: int) -> str:
    application = session.get(GrantApplication, application_id)
    return application.title if application is not None else f"#{application_id}"


def subject_disclosed(session: Session, application_id: int) -> bool:
    """A grant draw's record (its exclusions name the applicant) may be shown once the
    application is screened eligible: the applicants of a closed round are no secret."""
    application = session.get(GrantApplication, application_id)
    return application is not None and application.status in REVIEWED
