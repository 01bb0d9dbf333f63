"""An organization's standing: suspend (暂停活动), reactivate, clear out (清退) — and the
guard every later feature calls before an organization bids or applies."""
from __future__ import annotations

from http import HTTPStatus

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.accounts.permissions import Permission
from market.auditlog.services import record
from market.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization


class OrganizationCannotTransact(DomainError):
    """The organization may not bid, sign or apply in its present standing."""

    status = HTTPStatus.FORBIDDEN
    code = "organization_cannot_transact"


_NOT_ACTIVE = {
    OrgStatus.PENDING: _l("The organization's registration has not been approved yet, so it "
                          "cannot bid or apply."),
    OrgStatus.SUSPENDED: _l("The organization is suspended, so it cannot bid or apply until "
                            "civil affairs reactivates it."),
    OrgStatus.CLEARED: _l("The organization has been cleared out, so it can no longer "
                          "bid or apply."),
    OrgStatus.REJECTED: _l("The organization was not admitted, so it cannot bid or apply."),
}


def ensure_can_transact(org: Organization | None, *, community_project: bool = False) -> None:
    """Raise OrganizationCannotTransact unless ``org`` may bid or apply now.

    Only active organizations may; a filed (备案) organization only for community projects.
    Tenders and grants call this inside the service that accepts the bid or application.
    """
    if org is None:
        raise OrganizationCannotTransact(_l("Your account does not act for a registered "
                                            "organization yet."))
    if org.status != OrgStatus.ACTIVE:
        raise OrganizationCannotTransact(_NOT_ACTIVE[org.status])
    if org.is_filed and not community_project:
        raise OrganizationCannotTransact(_l("A filed community organization may only take "
                                            "community projects."))


def suspend(session: Session, actor: User, org_id: int, reason: str) -> Organization:
    return _change(session, actor, org_id, "suspend", {OrgStatus.ACTIVE}, OrgStatus.SUSPENDED,
                   reason, reason_required=True)


def reactivate(session: Session, actor: User, org_id: int, reason: str | None = None
               ) -> Organization:
    return _change(session, actor, org_id, "reactivate", {OrgStatus.SUSPENDED},
                   OrgStatus.ACTIVE, reason, reason_required=False)


def clear_out(session: Session, actor: User, org_id: int, reason: str) -> Organization:
    """清退 — final: the organization leaves the qualified registry for good."""
    return _change(session, actor, org_id, "clear", {OrgStatus.ACTIVE, OrgStatus.SUSPENDED},
                   OrgStatus.CLEARED, reason, reason_required=True)


STATUS_ACTIONS = {"suspend": suspend, "reactivate": reactivate, "clear": clear_out}


def change_status(session: Session, actor: User, org_id: int, action: str,
                  reason: str | None) -> Organization:
    try:
        fn = STATUS_ACTIONS[action]
    except KeyError:
        raise Invalid(_l("Unknown action.")) from None
    return fn(session, actor, org_id, reason)


def _change(session: Session, actor: User, org_id: int, action: str, allowed_from: set,
            to: OrgStatus, reason: str | None, *, reason_required: bool) -> Organization:
    if actor is None or not actor.can(Permission.ORGS_MANAGE_STATUS):
        raise Forbidden(_l("You do not have permission to do this."))
    org = session.get(Organization, org_id, with_for_update=True)
    if org is None:
        raise NotFound(_l("No such organization."))
    reason = (reason or "").strip() or None
    if reason_required and not reason:
        raise Invalid(_l("Please give the reason; it is recorded and shown to the "
                         "organization."), field="reason")
    if org.status not in allowed_from:
        raise Conflict(_l("This cannot be done while the organization is %(status)s.",
                          status=org.status.label))
    before = org.status.value
    org.status, org.status_reason = to, reason
    record(session, actor, "organization", org.id, action, before, to.value, reason)
    return org
