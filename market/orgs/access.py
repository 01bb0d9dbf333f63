"""Fetch-or-404 helpers: the one place that says who may see which registry object."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.access.permissions import Permission, Role
from market.documents.models import Document
from market.errors import NotFound
from market.orgs.enums import OrgStatus, Track
from market.orgs.models import AnnualReport, Application, Organization


def get_public_organization(session: Session, org_id: int) -> Organization:
    """Only active organizations exist for the public."""
    org = session.get(Organization, org_id)
    if org is None or org.status != OrgStatus.ACTIVE:
        raise NotFound(_l("No such organization in the public registry."))
    return org


def registry_scope(user: User) -> ColumnElement[bool]:
    """The organizations a registry reader may read: a town officer, those of its own town
    only (registry records hold bank accounts and phones); everyone else, all of them.
    Every registry list and fetch goes through here (and ``sees_organization``)."""
    if user.role == Role.TOWN_OFFICER:
        return Organization.town_id == user.town_id if user.town_id is not None else false()
    return true()


def sees_organization(user: User, org: Organization) -> bool:
    if user.role == Role.TOWN_OFFICER:
        return user.town_id is not None and org.town_id == user.town_id
    return True


def get_registry_organization(session: Session, user: User, org_id: int) -> Organization:
    org = session.get(Organization, org_id)
    if org is None or not sees_organization(user, org):
        raise NotFound(_l("No such organization."))
    return org


def sees_application(user: User, application: Application) -> bool:
    """Registry readers see every application — except that a town officer sees only the
    filings of its own town."""
    if not user.can(Permission.ORGS_READ_REGISTRY):
        return application.applicant_id == user.id
    if user.role == Role.TOWN_OFFICER:
        return (application.track == Track.FILED
                and application.organization.town_id == user.town_id)
    return True


def get_registry_application(session: Session, user: User, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None or not sees_application(user, application):
        raise NotFound(_l("No such application."))
    return application


def get_own_application(session: Session, user: User, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None or application.applicant_id != user.id:
        raise NotFound(_l("No such application."))
    return application


def get_registry_report(session: Session, user: User, report_id: int) -> AnnualReport:
    report = session.get(AnnualReport, report_id)
    if report is None or not sees_organization(user, report.organization):
        raise NotFound(_l("No such annual report."))
    return report


def may_read_document(session: Session, user: User, doc: Document) -> bool:
    """An organization's documents: civil affairs, auditors, the organization's users and
    applicants, and the town officer who reviews the organization's filing (document
    policy for ``OwnerType.ORGANIZATION``, registered by the orgs feature)."""
    if user.role in (Role.CIVIL_AFFAIRS, Role.AUDITOR):
        return True
    org = session.get(Organization, doc.owner_id)
    if org is None:
        return False
    if user.organization_id == org.id:
        return True
    if user.role == Role.TOWN_OFFICER:
        return org.track == Track.FILED and user.town_id == org.town_id
    return bool(session.scalar(select(exists().where(
        Application.organization_id == org.id, Application.applicant_id == user.id))))
