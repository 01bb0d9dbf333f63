"""Who sees which credit entries: everyone the public ones; departments, civil affairs,
finance, town officers and auditors all of them (``Permission.CREDIT_READ``); an
organization's own users all of its own."""
from __future__ import annotations

from flask import abort
from sqlalchemy.orm import Session

from market.access.permissions import Permission
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization


def may_read_full(user, organization_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.can(Permission.CREDIT_READ):
        return True
    return user.organization_id is not None and user.organization_id == organization_id


def get_organization(session: Session, org_id: int) -> Organization:
    """The organization whose record is asked for, or 404 (an application never approved
    has no credit record)."""
    org = session.get(Organization, org_id)
    if org is None or org.status in (OrgStatus.PENDING, OrgStatus.REJECTED):
        abort(404)
    return org
