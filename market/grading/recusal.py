"""回避 — may this agency (and this evaluator) evaluate this organization on this date?

The one rule every evaluation calls (grade evaluations here, performance evaluations and
the clearance work elsewhere): an agency or evaluator that worked for the organization in
the last two years, or declared any other relation with it, or that the organization had
recused by civil affairs, does not evaluate it.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.grading.models import (AgencyRelation, RecusalRequest, RecusalState,
                                              RelationKind)
from market.grading.grades import _as_date

COOLING_OFF_YEARS = 2  # 两年内为其提供过服务的须回避


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def conflict_reason(session: Session, agency_id: int, evaluator_user_id: int | None,
                    organization_id: int, at: dt.date | dt.datetime) -> str | None:
    """Why the agency (and, when named, the evaluator) must stand aside; None if free.

    ``at`` is the day of the evaluation (a datetime is read as its Asia/Shanghai date).
    Agency-wide declarations always count; an evaluator's own declarations and granted
    recusal requests count when that evaluator is named. Work that ended exactly two
    years before ``at`` still conflicts; a day earlier it no longer does.
    """
    day = _as_date(at)
    if evaluator_user_id is not None:
        evaluator = session.get(User, evaluator_user_id)
        if evaluator is None or evaluator.agency_id != agency_id:
            return str(_l("The evaluator does not act for this agency."))
        granted = session.scalar(select(RecusalRequest).where(
            RecusalRequest.organization_id == organization_id,
            RecusalRequest.evaluator_user_id == evaluator_user_id,
            RecusalRequest.state == RecusalState.GRANTED).limit(1))
        if granted is not None:
            return str(_l("Civil affairs granted the organization's request that this "
                          "evaluator be recused: %(reason)s", reason=granted.reason))
    who = [AgencyRelation.evaluator_user_id.is_(None)]
    if evaluator_user_id is not None:
        who.append(AgencyRelation.evaluator_user_id == evaluator_user_id)
    relations = session.scalars(select(AgencyRelation).where(
        AgencyRelation.agency_id == agency_id,
        AgencyRelation.organization_id == organization_id,
        AgencyRelation.withdrawn_at.is_(None), or_(*who)).order_by(AgencyRelation.id))
    cutoff = years_before(day, COOLING_OFF_YEARS)
    for rel in relations:
        by_agency = rel.evaluator_user_id is None
        if rel.kind == RelationKind.RELATED:
            if by_agency:
                return str(_l("The agency declared a relation with the organization: "
                              "%(note)s", note=rel.note or "—"))
            return str(_l("The evaluator declared a relation with the organization: "
                          "%(note)s", note=rel.note or "—"))
        if rel.work_ended_on is None or rel.work_ended_on >= cutoff:
            ended = rel.work_ended_on.isoformat() if rel.work_ended_on else "—"
            if by_agency:
                return str(_l("The agency worked for the organization within the last two "
                              "years (work ended: %(ended)s).", ended=ended))
            return str(_l("The evaluator worked for the organization within the last two "
                          "years (work ended: %(ended)s).", ended=ended))
    return None
