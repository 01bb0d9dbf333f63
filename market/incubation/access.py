"""Who may see or do what in the incubation room (fetch-or-404)."""
from __future__ import annotations

from flask import abort
from sqlalchemy.orm import Session

from market.access.permissions import Permission, Role
from market.incubation.models import BaseEvaluation, IncubationBase


def get_base(session: Session, base_id: int) -> IncubationBase:
    base = session.get(IncubationBase, base_id)
    if base is None:
        abort(404)
    return base


def may_manage(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)
                and user.can(Permission.INCUBATION_MANAGE))


def may_read_report(session: Session, user, doc) -> bool:
    """A base's evaluation report: civil affairs, finance, auditors and the operating
    organization (document policy for ``OwnerType.INCUBATION_EVALUATION``)."""
    if user.role in (Role.CIVIL_AFFAIRS, Role.FINANCE, Role.AUDITOR):
        return True
    evaluation = session.get(BaseEvaluation, doc.owner_id)
    return (evaluation is not None and user.organization_id is not None
            and user.organization_id == evaluation.base.operator_id)
