"""Read-side queries: public and internal lists, home-panel figures, the audit trail."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from market.accounts.models import Town, User
from market.access.permissions import Role
from market.auditlog.models import AuditEntry
from market.auditlog.services import redacted
from market.core.pagination import Page, paginate
from market.documents.models import Document, OwnerType
from market.orgs.access import registry_scope
from market.orgs.enums import ApplicationState, OrgStatus, Track
from market.orgs.models import AnnualReport, Application, DepartureAudit, Organization
from market.orgs.reporting import due_years


@dataclass
class OrgFilters:
    status: str | None = None
    track: str | None = None
    category: str | None = None
    town_id: int | None = None
    q: str | None = None


def _apply(stmt, f: OrgFilters):
    if f.status:
        stmt = stmt.where(Organization.status == f.status)
    if f.track:
        stmt = stmt.where(Organization.track == f.track)
    if f.category:
        stmt = stmt.where(Organization.category == f.category)
    if f.town_id:
        stmt = stmt.where(Organization.town_id == f.town_id)
    if f.q:
        stmt = stmt.where(or_(Organization.name.contains(f.q.strip(), autoescape=True),
                              Organization.credit_code == f.q.strip().upper()))
    return stmt


def public_list(f: OrgFilters):
    """The public list's statement (every page of it; ``public_page`` pages it)."""
    f.status = OrgStatus.ACTIVE.value
    stmt = _apply(select(Organization).options(selectinload(Organization.town)), f)
    return stmt.order_by(Organization.name, Organization.id)


def public_page(session: Session, f: OrgFilters, page: int, size: int) -> Page:
    return paginate(session, public_list(f), page, size)


def registry_list(user: User, f: OrgFilters):
    stmt = _apply(select(Organization).options(selectinload(Organization.town))
                  .where(registry_scope(user)), f)
    return stmt.order_by(Organization.id.desc())


def registry_page(session: Session, user: User, f: OrgFilters, page: int, size: int) -> Page:
    return paginate(session, registry_list(user, f), page, size)


def applications_page(session: Session, user: User, page: int, size: int, *,
                      state: str | None = None, track: str | None = None) -> Page:
    return paginate(session, applications_list(user, state=state, track=track), page, size)


def applications_list(user: User, *, state: str | None = None, track: str | None = None):
    stmt = (select(Application).join(Application.organization)
            .options(selectinload(Application.organization).selectinload(Organization.town)))
    if user.role == Role.TOWN_OFFICER:  # same rule as access.sees_application
        stmt = stmt.where(Application.track == Track.FILED, Organization.town_id == user.town_id)
    if state:
        stmt = stmt.where(Application.state == state)
    if track:
        stmt = stmt.where(Application.track == track)
    return stmt.order_by(Application.submitted_at.desc(), Application.id.desc())


def annual_reports_page(session: Session, user: User, page: int, size: int, *,
                        pending: bool = False, year: int | None = None) -> Page:
    return paginate(session, annual_reports_list(user, pending=pending, year=year), page, size)


def annual_reports_list(user: User, *, pending: bool = False, year: int | None = None):
    stmt = (select(AnnualReport).join(AnnualReport.organization).where(registry_scope(user))
            .options(selectinload(AnnualReport.organization)))
    if pending:
        stmt = stmt.where(AnnualReport.result.is_(None))
    if year:
        stmt = stmt.where(AnnualReport.year == year)
    return stmt.order_by(AnnualReport.submitted_at.desc(), AnnualReport.id.desc())


def towns(session: Session) -> list[Town]:
    return list(session.scalars(select(Town).order_by(Town.id)))


def departure_audits(session: Session, org_id: int) -> list[DepartureAudit]:
    return list(session.scalars(select(DepartureAudit).where(
        DepartureAudit.organization_id == org_id).order_by(DepartureAudit.departure_date.desc())))


def audit_trail(session: Session, org: Organization) -> list[AuditEntry]:
    """Every audit entry about the organization and the records that belong to it."""
    objects = [("organization", [org.id]),
               ("application", [a.id for a in org.applications]),
               ("annual_report", [r.id for r in org.annual_reports]),
               ("departure_audit", list(session.scalars(select(DepartureAudit.id).where(
                   DepartureAudit.organization_id == org.id)))),
               ("document", list(session.scalars(select(Document.id).where(
                   Document.owner_type == OwnerType.ORGANIZATION, Document.owner_id == org.id))))]
    conditions = [(AuditEntry.object_type == t) & AuditEntry.object_id.in_(ids)
                  for t, ids in objects if ids]
    return list(session.scalars(redacted(select(AuditEntry)).where(or_(*conditions))
                                .order_by(AuditEntry.id)))


# Home panels ---------------------------------------------------------------------------

@dataclass
class OrganizationHome:
    application: Application | None = None
    organization: Organization | None = None
    due_years: list[int] = field(default_factory=list)


def organization_home(session: Session, user: User) -> OrganizationHome:
    application = session.scalar(select(Application).where(Application.applicant_id == user.id)
                                 .order_by(Application.id.desc()).limit(1))
    org = user.organization or (application.organization if application else None)
    return OrganizationHome(application, org, due_years(org) if org else [])


def waiting_registrations(session: Session, limit: int = 5) -> tuple[int, list[Application]]:
    return _waiting(session, Application.track == Track.REGISTERED, limit)


def waiting_filings(session: Session, town_id: int | None, limit: int = 5
                    ) -> tuple[int, list[Application]]:
    return _waiting(session, (Application.track == Track.FILED)
                    & (Organization.town_id == town_id), limit)


def _waiting(session, condition, limit):
    base = (select(Application).join(Application.organization)
            .where(Application.state == ApplicationState.SUBMITTED, condition))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    items = list(session.scalars(base.order_by(Application.submitted_at).limit(limit)))
    return total, items


def waiting_reports(session: Session, limit: int = 5) -> tuple[int, list[AnnualReport]]:
    base = select(AnnualReport).where(AnnualReport.result.is_(None))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    items = list(session.scalars(base.order_by(AnnualReport.submitted_at).limit(limit)))
    return total, items


# Documents an organization files after registration: not part of its application.
_LATER_PURPOSES = ("annual_audit_report", "departure_audit_report")


def application_materials(session: Session, application: Application) -> list[Document]:
    """What the applicant uploaded for the organization (the reviewer reads it before
    deciding): every document of the organization uploaded by the applicant, and the
    prior-approval document, oldest first — not the later annual or departure audits."""
    org_id = application.organization_id
    stmt = select(Document).where(
        Document.owner_type == OwnerType.ORGANIZATION, Document.owner_id == org_id,
        or_(Document.uploaded_by_id == application.applicant_id,
            Document.id == application.prior_approval_id),
        Document.purpose.not_in(_LATER_PURPOSES)).order_by(Document.id)
    return list(session.scalars(stmt))
