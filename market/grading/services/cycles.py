"""等级评估 — running a yearly grade-evaluation cycle: open it, let eligible organizations
apply, assign an agency, score against the indicator table, publish the notice (公示),
handle re-examination (复核) and announce the grade."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.accounts.models import EvaluatorAgency, User
from market.access.permissions import Permission
from market.auditlog.services import record
from market.clock import now, today_local
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.grading.models import (EvaluationState, GradeCycle, GradeEvaluation,
                                             Indicator, IndicatorScore, Reexamination,
                                             ReexamState)
from market.grading.eligibility import eligibility
from market.grading.grades import record_grade
from market.grading.recusal import conflict_reason
from market.money import CENT
from market.orgs.models import Organization

# 基础条件 150, 内部治理 350, 工作绩效 350, 社会评价 150 — total 1000 (policy rules).
DEFAULT_INDICATORS = [
    ("基础条件", "Basic conditions", "indicator_basic_points"),
    ("内部治理", "Internal governance", "indicator_governance_points"),
    ("工作绩效", "Work performance", "indicator_performance_points"),
    ("社会评价", "Social evaluation", "indicator_social_points"),
]


def _require(actor: User | None, permission: Permission) -> None:
    if actor is None or not actor.can(permission):
        raise Forbidden(_l("You do not have permission to do this."))


def _points(value, field: str) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Invalid(_l("Please enter a number of points."), field=field) from None
    if not points.is_finite() or points < 0 or points != points.quantize(CENT):
        raise Invalid(_l("Points must be zero or more, with at most two decimals."),
                      field=field)
    return points


def grade_for_total(cycle: GradeCycle, total: Decimal) -> int:
    """The grade a total reaches under the cycle's thresholds; 0 = below every grade."""
    for grade, threshold in cycle.thresholds():
        if total >= threshold:
            return grade
    return 0


def get_cycle(session: Session, cycle_id: int) -> GradeCycle:
    cycle = session.get(GradeCycle, cycle_id)
    if cycle is None:
        raise NotFound(_l("No such evaluation cycle."))
    return cycle


def get_evaluation(session: Session, evaluation_id: int) -> GradeEvaluation:
    evaluation = session.get(GradeEvaluation, evaluation_id)
    if evaluation is None:
        raise NotFound(_l("No such grade evaluation."))
    return evaluation


#: Years a grade-evaluation cycle may be opened for (a typo such as 20266 is refused).
CYCLE_YEARS = (2000, 2100)


def _check_notice_days(days: int) -> None:
    """At least one day, at most the longest notice the policy allows for the rule
    ``grade_notice_days`` (a longer one would end past any date the platform can hold)."""
    longest = policy.get("grade_notice_days").maximum
    if days < 1:
        raise Invalid(_l("The notice period must be at least one day."), field="notice_days")
    if days > longest:
        raise Invalid(_l("The notice period is at most %(n)s days.", n=longest),
                      field="notice_days")


def open_cycle(session: Session, actor: User, year: int, reference_date: dt.date | None = None,
               notice_days: int | None = None) -> GradeCycle:
    _require(actor, Permission.EVAL_GRADES_MANAGE)
    if notice_days is None:
        notice_days = policy.value("grade_notice_days")
    if session.scalar(select(GradeCycle.id).where(GradeCycle.year == year)) is not None:
        raise Conflict(_l("A cycle for this year already exists."), field="year")
    if not CYCLE_YEARS[0] <= year <= CYCLE_YEARS[1]:
        raise Invalid(_l("Enter a year between %(a)s and %(b)s.", a=CYCLE_YEARS[0],
                         b=CYCLE_YEARS[1]), field="year")
    _check_notice_days(notice_days)
    cycle = GradeCycle(year=year, reference_date=reference_date or today_local(),
                       notice_days=notice_days, opened_by_id=actor.id)
    cycle.indicators = [Indicator(position=i, name_zh=zh, name_en=en,
                                  max_points=policy.value(rule))
                        for i, (zh, en, rule) in enumerate(DEFAULT_INDICATORS, 1)]
    session.add(cycle)
    session.flush()
    record(session, actor, "grade_cycle", cycle.id, "open", None, str(year))
    return cycle


def scoring_started(session: Session, cycle: GradeCycle) -> bool:
    return session.scalar(select(IndicatorScore.id).join(GradeEvaluation).where(
        GradeEvaluation.cycle_id == cycle.id).limit(1)) is not None


def configure(session: Session, actor: User, cycle_id: int,
              indicators: list[tuple[str, str, object]], thresholds: dict[int, object],
              notice_days: int | None = None) -> GradeCycle:
    """Replace the indicator table and thresholds — only before any score is recorded."""
    _require(actor, Permission.EVAL_GRADES_MANAGE)
    cycle = get_cycle(session, cycle_id)
    if scoring_started(session, cycle):
        raise Conflict(_l("Scoring has started in this cycle; its indicators and thresholds "
                          "can no longer change."))
    rows = [(zh.strip(), (en or zh).strip(), _points(pts, "indicators"))
            for zh, en, pts in indicators if (zh or "").strip()]
    if not rows:
        raise Invalid(_l("The indicator table needs at least one indicator."),
                      field="indicators")
    levels = {g: _points(thresholds[g], f"threshold_{g}") for g in range(1, 6)}
    if not levels[5] > levels[4] > levels[3] > levels[2] > levels[1] > 0:
        raise Invalid(_l("Thresholds must fall strictly from 5A to 1A."), field="threshold_5")
    if levels[5] > sum(p for _, _, p in rows):
        raise Invalid(_l("The 5A threshold cannot exceed the indicators' total."),
                      field="threshold_5")
    cycle.indicators.clear()
    session.flush()
    cycle.indicators.extend(Indicator(position=i, name_zh=zh, name_en=en, max_points=p)
                            for i, (zh, en, p) in enumerate(rows, 1))
    for g, value in levels.items():
        setattr(cycle, f"threshold_{g}", value)
    if notice_days is not None:
        _check_notice_days(notice_days)
        cycle.notice_days = notice_days
    session.flush()
    record(session, actor, "grade_cycle", cycle.id, "configure")
    return cycle


def apply(session: Session, actor: User, cycle_id: int) -> GradeEvaluation:
    """The organization applies; it must be eligible by rule on the reference date."""
    _require(actor, Permission.EVAL_GRADES_APPLY)
    if actor.organization_id is None:
        raise Forbidden(_l("Your account does not act for a registered organization yet."))
    cycle = get_cycle(session, cycle_id)
    org = session.get(Organization, actor.organization_id)
    if session.scalar(select(GradeEvaluation.id).where(
            GradeEvaluation.cycle_id == cycle.id,
            GradeEvaluation.organization_id == org.id)) is not None:
        raise Conflict(_l("The organization has already applied in this cycle."))
    verdict = eligibility(session, org, cycle)
    if not verdict.eligible:
        raise Conflict(verdict.reason)
    evaluation = GradeEvaluation(cycle_id=cycle.id, organization_id=org.id,
                                 eligibility_reason=verdict.reason)
    session.add(evaluation)
    session.flush()
    record(session, actor, "grade_evaluation", evaluation.id, "apply", None,
           EvaluationState.APPLIED.value, verdict.reason)
    return evaluation


def assign(session: Session, actor: User, evaluation_id: int, agency_id: int) -> GradeEvaluation:
    _require(actor, Permission.EVAL_GRADES_MANAGE)
    evaluation = get_evaluation(session, evaluation_id)
    if evaluation.state not in (EvaluationState.APPLIED, EvaluationState.ASSIGNED) \
            or evaluation.scores:
        raise Conflict(_l("The agency can no longer be changed for this evaluation."))
    if session.get(EvaluatorAgency, agency_id) is None:
        raise NotFound(_l("No such evaluator agency."))
    conflict = conflict_reason(session, agency_id, None, evaluation.organization_id, now())
    if conflict:
        raise Conflict(conflict, field="agency_id")
    before = evaluation.state.value
    evaluation.agency_id, evaluation.assigned_at = agency_id, now()
    evaluation.state = EvaluationState.ASSIGNED
    record(session, actor, "grade_evaluation", evaluation.id, "assign", before,
           EvaluationState.ASSIGNED.value, str(agency_id))
    return evaluation


def get_assigned(session: Session, actor: User, evaluation_id: int) -> GradeEvaluation:
    """Fetch-or-404 for evaluators: only their own agency's evaluations exist for them."""
    evaluation = session.get(GradeEvaluation, evaluation_id)
    if evaluation is None or evaluation.agency_id is None \
            or evaluation.agency_id != actor.agency_id:
        raise NotFound(_l("No such grade evaluation."))
    return evaluation


def score(session: Session, actor: User, evaluation_id: int,
          points: dict[int, object]) -> GradeEvaluation:
    """The assigned agency's evaluator scores every indicator; the grade follows."""
    _require(actor, Permission.EVAL_GRADES_SCORE)
    evaluation = get_assigned(session, actor, evaluation_id)
    if evaluation.state != EvaluationState.ASSIGNED:
        raise Conflict(_l("This evaluation is not open for scoring."))
    conflict = conflict_reason(session, evaluation.agency_id, actor.id,
                               evaluation.organization_id, now())
    if conflict:
        raise Conflict(conflict)
    scores, total = [], Decimal("0")
    for indicator in evaluation.cycle.indicators:
        field = f"indicator_{indicator.id}"
        if indicator.id not in points or str(points[indicator.id]).strip() == "":
            raise Invalid(_l("Please score every indicator."), field=field)
        value = _points(points[indicator.id], field)
        if value > indicator.max_points:
            raise Invalid(_l("At most %(max)s points for this indicator.",
                             max=indicator.max_points), field=field)
        scores.append(IndicatorScore(indicator_id=indicator.id, points=value))
        total += value
    evaluation.scores.clear()
    session.flush()
    evaluation.scores.extend(scores)
    evaluation.total = total
    evaluation.proposed_grade = grade_for_total(evaluation.cycle, total)
    evaluation.evaluator_user_id, evaluation.scored_at = actor.id, now()
    evaluation.state = EvaluationState.SCORED
    record(session, actor, "grade_evaluation", evaluation.id, "score",
           EvaluationState.ASSIGNED.value, EvaluationState.SCORED.value,
           f"{total} → {evaluation.proposed_grade}")
    return evaluation


def in_notice(evaluation: GradeEvaluation, at: dt.datetime | None = None) -> bool:
    at = at or now()
    return (evaluation.state == EvaluationState.NOTICE and evaluation.notice_ends_at is not None
            and _aware(evaluation.notice_starts_at) <= at < _aware(evaluation.notice_ends_at))


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands datetimes back naive; they are stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def publish_notice(session: Session, actor: User, cycle_id: int) -> list[GradeEvaluation]:
    """公示 — every scored evaluation of the cycle goes on public notice now."""
    _require(actor, Permission.EVAL_GRADES_MANAGE)
    cycle = get_cycle(session, cycle_id)
    started = now()
    published = []
    for evaluation in cycle.evaluations:
        if evaluation.state == EvaluationState.SCORED:
            evaluation.state = EvaluationState.NOTICE
            evaluation.notice_starts_at = started
            evaluation.notice_ends_at = started + dt.timedelta(days=cycle.notice_days)
            record(session, actor, "grade_evaluation", evaluation.id, "notice",
                   EvaluationState.SCORED.value, EvaluationState.NOTICE.value)
            published.append(evaluation)
    if not published:
        raise Conflict(_l("No scored evaluation is waiting for the public notice."))
    return published


def open_reexamination(evaluation: GradeEvaluation) -> Reexamination | None:
    return next((r for r in evaluation.reexaminations if r.state == ReexamState.REQUESTED),
                None)


def request_reexamination(session: Session, actor: User, evaluation_id: int,
                          reason: str) -> Reexamination:
    """复核 — the organization contests its proposed grade during the notice period."""
    _require(actor, Permission.EVAL_GRADES_APPLY)
    evaluation = session.get(GradeEvaluation, evaluation_id)
    if evaluation is None or evaluation.organization_id != actor.organization_id:
        raise NotFound(_l("No such grade evaluation."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Please give the reasons for the re-examination."), field="reason")
    if not in_notice(evaluation):
        raise Conflict(_l("A re-examination can only be requested during the public notice."))
    if open_reexamination(evaluation) is not None:
        raise Conflict(_l("A re-examination request is already open."))
    request = Reexamination(evaluation=evaluation, reason=reason, requested_by_id=actor.id)
    session.add(request)
    session.flush()
    record(session, actor, "reexamination", request.id, "request", None,
           ReexamState.REQUESTED.value, reason)
    return request


def decide_reexamination(session: Session, actor: User, reexamination_id: int, uphold: bool,
                         reason: str) -> Reexamination:
    """Upheld: the agency scores again (and a new notice follows). Rejected: it stands."""
    _require(actor, Permission.EVAL_GRADES_MANAGE)
    request = session.get(Reexamination, reexamination_id)
    if request is None:
        raise NotFound(_l("No such re-examination request."))
    if request.state != ReexamState.REQUESTED:
        raise Conflict(_l("This request has already been decided."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Please give the reason; it is recorded and shown to the "
                         "organization."), field="reason")
    request.state = ReexamState.UPHELD if uphold else ReexamState.REJECTED
    request.decided_at, request.decided_by_id, request.decision_reason = now(), actor.id, reason
    record(session, actor, "reexamination", request.id, "decide",
           ReexamState.REQUESTED.value, request.state.value, reason)
    if uphold:
        evaluation = request.evaluation
        evaluation.state = EvaluationState.ASSIGNED
        evaluation.notice_starts_at = evaluation.notice_ends_at = None
        record(session, actor, "grade_evaluation", evaluation.id, "rescore",
               EvaluationState.NOTICE.value, EvaluationState.ASSIGNED.value, reason)
    return request


def ready_to_announce(evaluation: GradeEvaluation, at: dt.datetime | None = None) -> bool:
    at = at or now()
    return (evaluation.state == EvaluationState.NOTICE and evaluation.notice_ends_at is not None
            and at >= _aware(evaluation.notice_ends_at)
            and open_reexamination(evaluation) is None)


def announce(session: Session, actor: User, cycle_id: int) -> list[GradeEvaluation]:
    """Announce every evaluation whose notice ended with no open re-examination: the
    grade is recorded, valid five years from today."""
    _require(actor, Permission.EVAL_GRADES_MANAGE)
    cycle = get_cycle(session, cycle_id)
    at, announced = now(), []
    for evaluation in cycle.evaluations:
        if not ready_to_announce(evaluation, at):
            continue
        if evaluation.proposed_grade:
            grade = record_grade(session, evaluation.organization_id, evaluation.proposed_grade,
                                 today_local(), source="evaluation",
                                 note=f"{cycle.year} #{evaluation.id}")
            evaluation.org_grade_id = grade.id
        evaluation.state, evaluation.announced_at = EvaluationState.ANNOUNCED, at
        record(session, actor, "grade_evaluation", evaluation.id, "announce",
               EvaluationState.NOTICE.value, EvaluationState.ANNOUNCED.value,
               str(evaluation.proposed_grade))
        announced.append(evaluation)
    if not announced:
        raise Conflict(_l("No evaluation has finished its public notice without an open "
                          "re-examination."))
    return announced
