"""The only door for writes to a round's decision and its grants (issue 11, parts 4–5).

Decision (立项决定): after the application window has closed, civil affairs decides every
application that passed screening at once — funded with an amount (≤ the request, ≤ the
cap) or not funded with the reason the applicant sees. The grants add up to at most the
pool. When the round reserves a share of its pool for 3A+ organizations
(``PriorityMode.RESERVED_SHARE``, ``priority_value`` % of the pool), that share is held
for organizations graded 3A or above at the decision: organizations below 3A may be
granted at most the pool less the held share, where the held share is the reserved
share or, if less, what the 3A+ applications requested in all (a share nobody of 3A+
asked for is not left idle). Approval creates one ``Grant`` per funded application,
reserves it in the ledger and marks every application FUNDED or NOT_FUNDED, in one
transaction: any refusal (including the ledger's) changes nothing.

Agreement (资助协议): civil affairs records the signing; the ledger commits each tranche
out of the reservation, the mid-term and final tranches each in a pool gated by their
stage's evaluation. The organization may confirm the agreement on the platform.

Tranches (分期拨付): finance pays them in order; the mid-term and final tranches only
after a passing evaluation of their stage (the ledger refuses it too). Reports: the
organization's mid-term and final reports. Evaluations: civil affairs assigns an
evaluator agency free of conflicts (the recusal rules of ``market.performance``), an
evaluator of that agency records pass or fail — written to the ledger as the same
``custom "evaluation"`` entry as a contract's. A failing evaluation stops the grant:
what is still committed goes back to the item's available budget (the pool), the later
tranches are cancelled and refused.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import funds
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.clock import now, today_local
from market.documents.models import OwnerType
from market.documents.storage import Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.grading.grades import has_priority
from market.grants.funding_models import (EVALUATED_STAGES, MIDTERM, Grant, GrantDecision,
                                          GrantEvaluation, GrantReport, GrantStatus,
                                          GrantTranche, TrancheStatus)
from market.grants.labels import stage_label
from market.grants.models import (ApplicationStatus, GrantApplication, GrantRound,
                                  PriorityMode)
from market.grants import review
from market.grants.services import get_round
from market.money import format_money
from market.performance.services import conflict_reason, parse_score

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _yuan(value: Decimal) -> str:
    return format_money(value, unit=False)


# --- the decision -------------------------------------------------------------------------

@dataclass
class DecisionLine:
    application_id: int
    funded: bool
    amount: Decimal | None
    reason: str = ""


def may_decide(actor, grant_round: GrantRound) -> bool:
    return (actor is not None and getattr(actor, "is_authenticated", False)
            and actor.can(Permission.GRANTS_MANAGE)
            and actor.department_id == grant_round.department_id)


def eligible_applications(session: Session, grant_round: GrantRound) -> list[GrantApplication]:
    """The applications that passed screening and wait for the decision."""
    return list(session.scalars(select(GrantApplication).where(
        GrantApplication.round_id == grant_round.id,
        GrantApplication.status == ApplicationStatus.ELIGIBLE).order_by(GrantApplication.id)))


def decisions(session: Session, grant_round: GrantRound) -> list[GrantDecision]:
    return list(session.scalars(select(GrantDecision).where(
        GrantDecision.round_id == grant_round.id).order_by(GrantDecision.id)))


def decision_for(session: Session, application: GrantApplication) -> GrantDecision | None:
    return session.scalar(select(GrantDecision).where(
        GrantDecision.application_id == application.id))


def reserved_share(grant_round: GrantRound) -> Decimal:
    """The part of the pool reserved for 3A+ organizations (0 unless the round says so)."""
    if grant_round.priority_mode != PriorityMode.RESERVED_SHARE:
        return ZERO
    return (grant_round.pool * grant_round.priority_value / HUNDRED).quantize(CENT, ROUND_DOWN)


def decision_blocker(session: Session, grant_round: GrantRound, at: dt.datetime):
    """Why the round cannot be decided now (a translated message), or None."""
    if session.scalar(select(GrantDecision.id).where(
            GrantDecision.round_id == grant_round.id).limit(1)) is not None:
        return _l("This round has already been decided.")
    if at < grant_round.closes_at:
        return _l("The decision comes after the application window has closed.")
    waiting = [a.title for a in eligible_applications(session, grant_round)
               if not review.reviews_complete(session, a)]
    if waiting:
        return _l("The reviewers' scores are not all in yet for: %(t)s.",
                  t="; ".join(waiting[:5]) + ("…" if len(waiting) > 5 else ""))
    return None


def _check_line(line: DecisionLine, application: GrantApplication, grant_round: GrantRound
                ) -> None:
    title = application.title
    if line.funded:
        if line.amount is None or line.amount <= 0:
            raise Invalid(_l("“%(t)s”: give the amount granted (more than zero).", t=title))
        if line.amount > application.requested:
            raise Invalid(_l("“%(t)s”: the amount granted exceeds the %(r)s yuan requested.",
                             t=title, r=_yuan(application.requested)))
        if line.amount > grant_round.cap:
            raise Invalid(_l("“%(t)s”: the amount granted exceeds the round's cap of %(c)s "
                             "yuan.", t=title, c=_yuan(grant_round.cap)))
    elif not (line.reason or "").strip():
        raise Invalid(_l("“%(t)s”: give the reason for not funding it; the applicant sees "
                         "it.", t=title))


def _tranche_amounts(grant_round: GrantRound, amount: Decimal) -> list[tuple[str, Decimal,
                                                                               Decimal]]:
    """(stage, percent, amount) per tranche with a share; the last takes the rounding."""
    shares = [(t["stage"], Decimal(str(t["percent"]))) for t in grant_round.tranches
              if Decimal(str(t["percent"])) > 0]
    out, left = [], amount
    for n, (stage, percent) in enumerate(shares):
        part = left if n == len(shares) - 1 else (amount * percent / HUNDRED).quantize(
            CENT, ROUND_DOWN)
        out.append((stage, percent, part))
        left -= part
    return out


def decide_round(session: Session, actor, round_id: int, lines: list[DecisionLine]
                 ) -> list[Grant]:
    """Approve the funded list of a round (立项): all of it or nothing."""
    grant_round = get_round(session, round_id, lock=True)
    if not may_decide(actor, grant_round):
        raise Forbidden(_l("Only civil affairs of the round's department decides it."))
    at = now()
    blocker = decision_blocker(session, grant_round, at)
    if blocker is not None:
        raise Conflict(blocker)
    applications = {a.id: a for a in eligible_applications(session, grant_round)}
    if not applications:
        raise Conflict(_l("No application of this round has passed screening."))
    by_id = {line.application_id: line for line in lines}
    if set(by_id) != set(applications) or len(by_id) != len(lines):
        raise Invalid(_l("Decide on every application that passed screening, once."))
    for app_id, line in by_id.items():
        _check_line(line, applications[app_id], grant_round)
    funded = [line for line in lines if line.funded]
    total = sum((line.amount for line in funded), ZERO)
    if total > grant_round.pool:
        raise Conflict(_l("The grants add up to %(t)s yuan, over the pool of %(p)s yuan; "
                          "nothing was decided.", t=_yuan(total), p=_yuan(grant_round.pool)))
    priority = {app_id: has_priority(session, a.organization_id, at)
                for app_id, a in applications.items()}
    share = reserved_share(grant_round)
    if share > 0:
        asked = sum((a.requested for app_id, a in applications.items() if priority[app_id]),
                    ZERO)
        held = min(share, asked)
        others = sum((line.amount for line in funded if not priority[line.application_id]),
                     ZERO)
        if others > grant_round.pool - held:
            raise Conflict(_l("Organizations below 3A are granted %(o)s yuan, but %(h)s yuan "
                              "of the pool is reserved for 3A+ organizations, so at most "
                              "%(m)s yuan is open to them; nothing was decided.",
                              o=_yuan(others), h=_yuan(held),
                              m=_yuan(grant_round.pool - held)))
    grants = []
    for line in lines:
        application = applications[line.application_id]
        reason = (line.reason or "").strip()[:2000]
        session.add(GrantDecision(round_id=grant_round.id, application_id=application.id,
                                  funded=line.funded, amount=line.amount if line.funded else None,
                                  reason=reason, priority=priority[application.id],
                                  decided_at=at, decided_by_id=actor.id))
        before = application.status.value
        if not line.funded:
            application.status = ApplicationStatus.NOT_FUNDED
            record(session, actor, "grant_application", application.id, "not_fund", before,
                   ApplicationStatus.NOT_FUNDED.value, reason)
            continue
        application.status = ApplicationStatus.FUNDED
        grant = Grant(round_id=grant_round.id, application_id=application.id,
                      organization_id=application.organization_id, amount=line.amount,
                      status=GrantStatus.APPROVED, approved_at=at, approved_by_id=actor.id)
        session.add(grant)
        session.flush()
        for number, (stage, percent, amount) in enumerate(
                _tranche_amounts(grant_round, line.amount), start=1):
            grant.tranches.append(GrantTranche(number=number, stage=stage, percent=percent,
                                               amount=amount, status=TrancheStatus.PENDING))
        session.flush()
        grant.reserve_txn_id = funds.reserve_grant(session, grant, by=actor)
        record(session, actor, "grant_application", application.id, "fund", before,
               ApplicationStatus.FUNDED.value, f"{line.amount}")
        record(session, actor, "grant", grant.id, "approve", None, GrantStatus.APPROVED.value,
               f"round {grant_round.id} {line.amount}")
        grants.append(grant)
    record(session, actor, "grant_round", grant_round.id, "decide", None, None,
           f"{len(grants)} funded, {total} of {grant_round.pool}")
    return grants


# --- a grant: access ----------------------------------------------------------------------

def may_read(session: Session, actor, grant: Grant) -> bool:
    """Civil affairs (the round's department), the organization, finance, auditors, and an
    evaluator of an agency assigned to one of the grant's evaluations."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if may_decide(actor, grant.round) or actor.organization_id == grant.organization_id:
        return True
    if actor.can(Permission.PAYMENTS_APPROVE) or actor.can(Permission.LEDGER_READ):
        return True
    return actor.role == Role.EVALUATOR and any(
        e.agency_id == actor.agency_id for e in grant.evaluations)


def get_grant(session: Session, actor, grant_id: int, *, lock: bool = False) -> Grant:
    found = session.get(Grant, grant_id, with_for_update=lock or None)
    if found is None or not may_read(session, actor, found):
        raise NotFound(_l("No such grant."))
    return found


def may_read_document(session: Session, user, doc) -> bool:
    """A grant's reports and evaluation reports: whoever may read the grant."""
    grant = session.get(Grant, doc.owner_id)
    return grant is not None and may_read(session, user, grant)


def _own(actor, grant: Grant) -> None:
    if actor is None or not actor.can(Permission.GRANTS_APPLY) or \
            actor.organization_id != grant.organization_id:
        raise Forbidden(_l("Only the funded organization does this."))


def _signed(grant: Grant) -> None:
    if grant.status != GrantStatus.SIGNED:
        raise Conflict(_l("The grant is not in progress (its agreement is not signed, or it "
                          "is completed or stopped)."))


def _stage(stage: str) -> str:
    if stage not in EVALUATED_STAGES:
        raise NotFound(_l("No such stage."))
    return stage


# --- the agreement ------------------------------------------------------------------------

def sign_agreement(session: Session, actor, grant_id: int, signed_on: dt.date | None
                   ) -> Grant:
    """资助协议 — civil affairs records the signed agreement: the grant is committed."""
    grant = get_grant(session, actor, grant_id, lock=True)
    if not may_decide(actor, grant.round):
        raise Forbidden(_l("Only civil affairs of the round's department records the "
                           "agreement."))
    if grant.status != GrantStatus.APPROVED:
        raise Conflict(_l("The agreement of this grant is already recorded."))
    today = today_local()
    if signed_on is None or signed_on > today:
        raise Invalid(_l("Give the date the agreement was signed (today or earlier)."),
                      field="signed_on")
    refs = funds.commit_grant(session, grant, by=actor)
    for tranche in grant.tranches:
        tranche.commit_txn_id = refs.get(tranche.number)
    grant.status, grant.signed_on = GrantStatus.SIGNED, signed_on
    grant.signed_at, grant.signed_by_id = now(), actor.id
    record(session, actor, "grant", grant.id, "sign", GrantStatus.APPROVED.value,
           GrantStatus.SIGNED.value, signed_on.isoformat())
    return grant


def accept_agreement(session: Session, actor, grant_id: int) -> Grant:
    """The organization confirms the agreement on the platform (optional)."""
    grant = get_grant(session, actor, grant_id, lock=True)
    _own(actor, grant)
    if grant.status not in (GrantStatus.APPROVED, GrantStatus.SIGNED):
        raise Conflict(_l("This grant is closed."))
    if grant.accepted_at is not None:
        raise Conflict(_l("Your organization has already confirmed the agreement."))
    grant.accepted_at, grant.accepted_by_id = now(), actor.id
    record(session, actor, "grant", grant.id, "accept", None, None, None)
    return grant


# --- reports ------------------------------------------------------------------------------

def report_blocker(grant: Grant, stage: str):
    if grant.status != GrantStatus.SIGNED:
        return _l("Reports are submitted while the grant is in progress.")
    if grant.report(stage) is not None:
        return _l("This report has already been submitted.")
    if stage != MIDTERM and not grant.evaluation_passed(MIDTERM):
        return _l("The final report follows a passing mid-term evaluation.")
    return None


def submit_report(session: Session, actor, grant_id: int, stage: str, text: str,
                  upload: Upload | None = None) -> GrantReport:
    """The organization's mid-term or final report (中期/结项报告)."""
    grant = get_grant(session, actor, grant_id, lock=True)
    _own(actor, grant)
    _stage(stage)
    blocker = report_blocker(grant, stage)
    if blocker is not None:
        raise Conflict(blocker)
    text = (text or "").strip()
    if not text:
        raise Invalid(_l("Write the report."), field="text")
    report = GrantReport(grant_id=grant.id, stage=stage, text=text[:20000],
                         submitted_by_id=actor.id)
    grant.reports.append(report)
    session.flush()
    if upload is not None:
        report.document_id = store_document(session, upload, owner_type=OwnerType.GRANT,
                                            owner_id=grant.id, purpose=f"report-{stage}",
                                            actor=actor).id
    record(session, actor, "grant", grant.id, f"report_{stage}", None, None, None)
    return report


# --- evaluations --------------------------------------------------------------------------

def open_evaluation(grant: Grant, stage: str) -> GrantEvaluation | None:
    return next((e for e in grant.evaluations if e.stage == stage and e.passed is None), None)


def evaluation_blocker(grant: Grant, stage: str):
    """Why an agency cannot be assigned to evaluate the stage now, or None."""
    if grant.status != GrantStatus.SIGNED:
        return _l("Evaluations are assigned while the grant is in progress.")
    if grant.report(stage) is None:
        return _l("The evaluation follows the organization's report of this stage.")
    if open_evaluation(grant, stage) is not None:
        return _l("An evaluation of this stage is already under way.")
    if grant.evaluation_passed(stage):
        return _l("This stage has already passed its evaluation.")
    return None


def assign_evaluation(session: Session, actor, grant_id: int, stage: str, agency_id: int
                      ) -> GrantEvaluation:
    """Civil affairs assigns an evaluator agency with no conflict of interest."""
    from market.accounts.models import EvaluatorAgency

    grant = get_grant(session, actor, grant_id, lock=True)
    if not (may_decide(actor, grant.round) and actor.can(Permission.EVALUATIONS_ASSIGN)):
        raise Forbidden(_l("Only civil affairs of the round's department assigns the "
                           "evaluator agency."))
    _stage(stage)
    blocker = evaluation_blocker(grant, stage)
    if blocker is not None:
        raise Conflict(blocker)
    agency = session.get(EvaluatorAgency, agency_id) if agency_id else None
    if agency is None:
        raise Invalid(_l("Choose an evaluator agency."), field="agency_id")
    conflict = conflict_reason(session, agency.id, None, grant.organization_id, now())
    if conflict is not None:
        raise Conflict(_l("This agency has a conflict of interest with the organization: "
                          "%(reason)s", reason=conflict), field="agency_id")
    evaluation = GrantEvaluation(grant_id=grant.id, stage=stage, agency_id=agency.id,
                                 assigned_at=now(), assigned_by_id=actor.id)
    grant.evaluations.append(evaluation)
    session.flush()
    record(session, actor, "grant", grant.id, f"assign_{stage}", None, None, agency.name)
    return evaluation


def record_evaluation(session: Session, actor, grant_id: int, stage: str, passed: bool,
                      score=None, report: str | None = None,
                      report_document: Upload | None = None) -> GrantEvaluation:
    """An evaluator of the assigned agency records the stage's evaluation; a fail stops
    the grant and releases what remains committed."""
    grant = get_grant(session, actor, grant_id, lock=True)
    _stage(stage)
    if actor.role != Role.EVALUATOR or not actor.can(Permission.CONTRACTS_EVALUATE):
        raise Forbidden(_l("Only a third-party evaluator records performance evaluations."))
    evaluation = open_evaluation(grant, stage)
    if grant.status != GrantStatus.SIGNED or evaluation is None:
        raise Conflict(_l("No evaluator agency is assigned to evaluate this stage."))
    if evaluation.agency_id != actor.agency_id:
        raise Forbidden(_l("Only an evaluator of the assigned agency records this "
                           "evaluation."))
    conflict = conflict_reason(session, evaluation.agency_id, actor.id, grant.organization_id,
                               now())
    if conflict is not None:
        raise Conflict(_l("You have a conflict of interest with the organization: "
                          "%(reason)s", reason=conflict))
    if not isinstance(passed, bool):
        raise Invalid(_l("Say whether the evaluation passed."), field="passed")
    value = parse_score(score)
    documents = []
    if report_document is not None:
        doc = store_document(session, report_document, owner_type=OwnerType.GRANT,
                             owner_id=grant.id, purpose=f"evaluation-{stage}", actor=actor)
        evaluation.report_document_id = doc.id
        documents = [doc.id]
    evaluation.passed, evaluation.score = passed, value
    evaluation.report = (report or "").strip()[:20000] or None
    evaluation.recorded_at, evaluation.recorded_by_id = now(), actor.id
    evaluation.ledger_evaluation_id = funds.record_grant_evaluation(
        session, grant, stage, passed, value, by=actor, documents=documents)
    record(session, actor, "grant", grant.id, f"evaluate_{stage}", None,
           "passed" if passed else "failed", f"{value or ''}")
    if not passed:
        _stop(session, actor, grant, f"failed {stage} evaluation")
    return evaluation


def _stop(session: Session, actor, grant: Grant, reason: str) -> None:
    grant.released = funds.release_grant(session, grant, by=actor, reason=reason)
    for tranche in grant.tranches:
        if tranche.status == TrancheStatus.PENDING:
            tranche.status = TrancheStatus.CANCELLED
    before = grant.status.value
    grant.status, grant.closed_at, grant.stop_reason = GrantStatus.STOPPED, now(), reason
    record(session, actor, "grant", grant.id, "stop", before, GrantStatus.STOPPED.value,
           f"{reason}; released {grant.released}")


# --- tranches -----------------------------------------------------------------------------

def tranche_blocker(grant: Grant, tranche: GrantTranche):
    """Why the tranche cannot be paid now (a translated message), or None."""
    if tranche.status != TrancheStatus.PENDING:
        return _l("This tranche is not waiting for payment.")
    if grant.status != GrantStatus.SIGNED:
        return _l("The grant is not in progress (its agreement is not signed, or it is "
                  "completed or stopped).")
    if any(t.status != TrancheStatus.PAID for t in grant.tranches if t.number < tranche.number):
        return _l("The tranches are paid in order; an earlier one is not paid yet.")
    if tranche.gated and not grant.evaluation_passed(tranche.stage):
        return _l("This tranche is paid only after a passing evaluation of its stage "
                  "(%(s)s); none is recorded. Nothing was paid.",
                  s=stage_label(tranche.stage))
    return None


def pay_tranche(session: Session, actor, grant_id: int, number: int) -> GrantTranche:
    """Finance pays a tranche (拨付); it posts to the ledger."""
    if actor is None or not actor.can(Permission.PAYMENTS_APPROVE):
        raise Forbidden(_l("Only the finance bureau approves payments."))
    grant = get_grant(session, actor, grant_id, lock=True)
    tranche = next((t for t in grant.tranches if t.number == number), None)
    if tranche is None:
        raise NotFound(_l("No such tranche."))
    blocker = tranche_blocker(grant, tranche)
    if blocker is not None:
        raise Conflict(blocker)
    documents = [r.document_id for r in grant.reports if r.document_id]
    tranche.payment_txn_id = funds.pay_grant_tranche(session, grant, tranche, by=actor,
                                                     documents=documents)
    tranche.status, tranche.paid_at, tranche.paid_by_id = TrancheStatus.PAID, now(), actor.id
    record(session, actor, "grant", grant.id, "pay", None, None,
           f"tranche {number} {tranche.amount}")
    if all(t.status == TrancheStatus.PAID for t in grant.tranches):
        grant.released = funds.release_grant(session, grant, by=actor, reason="completed")
        grant.status, grant.closed_at = GrantStatus.COMPLETED, now()
        record(session, actor, "grant", grant.id, "complete", GrantStatus.SIGNED.value,
               GrantStatus.COMPLETED.value, f"paid {grant.paid}")
    return tranche


def payable_tranches(session: Session) -> list[tuple[Grant, GrantTranche]]:
    """The tranches finance may pay now, oldest grant first."""
    out = []
    for grant in session.scalars(select(Grant).where(Grant.status == GrantStatus.SIGNED)
                                 .order_by(Grant.id)):
        for tranche in grant.tranches:
            if tranche_blocker(grant, tranche) is None:
                out.append((grant, tranche))
    return out
