"""第三方评估机构 — civil affairs registers agencies and their evaluators; agencies and
evaluators declare their relations; organizations ask for an evaluator's recusal."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import EvaluatorAgency, User
from market.accounts.permissions import Permission, Role
from market.accounts.services import create_user
from market.auditlog.services import record
from market.clock import now
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.grading.models import (AgencyRelation, RecusalRequest, RecusalState,
                                              RelationKind)
from market.orgs.models import Organization


def _require(actor: User | None, permission: Permission) -> None:
    if actor is None or not actor.can(permission):
        raise Forbidden(_l("You do not have permission to do this."))


def add_agency(session: Session, actor: User, name: str) -> EvaluatorAgency:
    _require(actor, Permission.EVAL_AGENCIES_MANAGE)
    name = (name or "").strip()
    if not name:
        raise Invalid(_l("Please enter the agency's name."), field="name")
    if session.scalar(select(EvaluatorAgency.id).where(EvaluatorAgency.name == name)):
        raise Conflict(_l("An agency with this name is already registered."), field="name")
    agency = EvaluatorAgency(name=name)
    session.add(agency)
    session.flush()
    record(session, actor, "evaluator_agency", agency.id, "register", None, None, name)
    return agency


def add_evaluator(session: Session, actor: User, agency_id: int, username: str,
                  display_name: str, password: str) -> User:
    _require(actor, Permission.EVAL_AGENCIES_MANAGE)
    if session.get(EvaluatorAgency, agency_id) is None:
        raise NotFound(_l("No such evaluator agency."))
    return create_user(session, username=username, password=password,
                       display_name=display_name, role=Role.EVALUATOR, actor=actor,
                       agency_id=agency_id)


def declare_relation(session: Session, actor: User, organization_id: int, kind: str,
                     *, on_behalf_of_agency: bool, work_ended_on: dt.date | None = None,
                     note: str | None = None) -> AgencyRelation:
    """An evaluator declares a relation for itself or for its whole agency."""
    _require(actor, Permission.EVAL_RELATIONS_DECLARE)
    if actor.agency_id is None:
        raise Forbidden(_l("Your account does not act for an evaluator agency."))
    if session.get(Organization, organization_id) is None:
        raise NotFound(_l("No such organization."), field="organization_id")
    try:
        kind = RelationKind(kind)
    except ValueError:
        raise Invalid(_l("Please choose the kind of relation."), field="kind") from None
    note = (note or "").strip() or None
    if kind == RelationKind.RELATED and not note:
        raise Invalid(_l("Please describe the relation."), field="note")
    relation = AgencyRelation(
        agency_id=actor.agency_id, organization_id=organization_id, kind=kind,
        evaluator_user_id=None if on_behalf_of_agency else actor.id,
        work_ended_on=work_ended_on if kind == RelationKind.WORKED_FOR else None,
        note=note, declared_by_id=actor.id)
    session.add(relation)
    session.flush()
    record(session, actor, "agency_relation", relation.id, "declare", None, kind.value, note)
    return relation


def relations_of_agency(session: Session, agency_id: int) -> list[AgencyRelation]:
    return list(session.scalars(select(AgencyRelation).where(
        AgencyRelation.agency_id == agency_id).order_by(AgencyRelation.id.desc())))


def evaluators(session: Session, agency_id: int | None = None) -> list[User]:
    stmt = select(User).where(User.role == Role.EVALUATOR).order_by(User.display_name)
    if agency_id is not None:
        stmt = stmt.where(User.agency_id == agency_id)
    return list(session.scalars(stmt))


def request_recusal(session: Session, actor: User, evaluator_user_id: int,
                    reason: str) -> RecusalRequest:
    """回避申请 — an organization names an evaluator who should not evaluate it."""
    _require(actor, Permission.EVAL_GRADES_APPLY)
    if actor.organization_id is None:
        raise Forbidden(_l("Your account does not act for a registered organization yet."))
    evaluator = session.get(User, evaluator_user_id)
    if evaluator is None or evaluator.role != Role.EVALUATOR:
        raise NotFound(_l("No such evaluator."), field="evaluator_user_id")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Please give the reason for the recusal."), field="reason")
    if session.scalar(select(RecusalRequest.id).where(
            RecusalRequest.organization_id == actor.organization_id,
            RecusalRequest.evaluator_user_id == evaluator_user_id,
            RecusalRequest.state != RecusalState.DENIED)):
        raise Conflict(_l("A recusal of this evaluator is already requested or granted."))
    request = RecusalRequest(organization_id=actor.organization_id,
                             evaluator_user_id=evaluator_user_id, reason=reason,
                             requested_by_id=actor.id)
    session.add(request)
    session.flush()
    record(session, actor, "recusal_request", request.id, "request", None,
           RecusalState.REQUESTED.value, reason)
    return request


def decide_recusal(session: Session, actor: User, request_id: int, grant: bool,
                   reason: str | None = None) -> RecusalRequest:
    _require(actor, Permission.EVAL_GRADES_MANAGE)
    request = session.get(RecusalRequest, request_id)
    if request is None:
        raise NotFound(_l("No such recusal request."))
    if request.state != RecusalState.REQUESTED:
        raise Conflict(_l("This request has already been decided."))
    request.state = RecusalState.GRANTED if grant else RecusalState.DENIED
    request.decided_at, request.decided_by_id = now(), actor.id
    request.decision_reason = (reason or "").strip() or None
    record(session, actor, "recusal_request", request.id, "decide",
           RecusalState.REQUESTED.value, request.state.value, request.decision_reason)
    return request


def recusal_requests(session: Session, organization_id: int | None = None
                     ) -> list[RecusalRequest]:
    stmt = select(RecusalRequest).order_by(RecusalRequest.id.desc())
    if organization_id is not None:
        stmt = stmt.where(RecusalRequest.organization_id == organization_id)
    return list(session.scalars(stmt))
