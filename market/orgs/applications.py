"""Registration (登记) and filing (备案) applications: submit, review, correct, resubmit."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.accounts.permissions import Permission
from market.auditlog.services import record
from market.clock import now, today_local
from market.documents.storage import PDF_OR_IMAGE, DocumentStore, Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.orgs.enums import ApplicationState, Category, Decision, OrgStatus, Track
from market.orgs.models import Application, Organization
from market.orgs.rules import OrgDetails, check_details, reusable_rejected

_FIELDS = ("name", "credit_code", "legal_form", "category", "industry_code", "town_id",
           "legal_representative", "contact_name", "contact_phone", "office_address",
           "bank_name", "bank_account", "supervising_unit", "no_official_declared",
           "party_org_established")


def submit_application(session: Session, actor: User, details: OrgDetails, track: Track, *,
                       prior_approval: Upload | None = None,
                       store: DocumentStore | None = None) -> Application:
    """An organization user applies to register (Track.REGISTERED) or file (Track.FILED)."""
    track = Track(track)
    _require(actor, Permission.ORGS_APPLY)
    if actor.organization_id is not None:
        raise Conflict(_l("Your account already acts for an organization."))
    if _open_application(session, actor.id) is not None:
        raise Conflict(_l("You already have an application in progress; correct or wait for "
                          "it instead of starting another."))
    org = reusable_rejected(session, details.credit_code, actor.id)
    cleaned = check_details(session, details, track, organization_id=org.id if org else None)
    _require_prior_approval(cleaned, track, prior_approval, existing=None)
    from_state = org.status.value if org else None
    if org is None:
        org = Organization(track=track)
        session.add(org)
    org.track, org.status, org.status_reason = track, OrgStatus.PENDING, None
    _copy(cleaned, org)
    _flush_or_conflict(session)
    application = Application(organization=org, track=track, state=ApplicationState.SUBMITTED,
                              applicant_id=actor.id, submitted_at=now())
    session.add(application)
    session.flush()
    if prior_approval is not None and cleaned.category == Category.OTHER:
        application.prior_approval = _store_prior_approval(session, actor, org, prior_approval,
                                                           store)
    record(session, actor, "organization", org.id, "apply", from_state, OrgStatus.PENDING.value)
    record(session, actor, "application", application.id, f"submit_{track.value}", None,
           ApplicationState.SUBMITTED.value)
    return application


def resubmit_application(session: Session, actor: User, application_id: int,
                         details: OrgDetails, *, prior_approval: Upload | None = None,
                         store: DocumentStore | None = None) -> Application:
    """The applicant corrects a returned application (退回补正) and submits it again."""
    application = session.get(Application, application_id, with_for_update=True)
    if application is None or application.applicant_id != actor.id:
        raise NotFound(_l("No such application."))
    if application.state != ApplicationState.RETURNED:
        raise Conflict(_l("Only an application returned for correction can be resubmitted."))
    org = application.organization
    cleaned = check_details(session, details, application.track, organization_id=org.id)
    _require_prior_approval(cleaned, application.track, prior_approval,
                            existing=application.prior_approval_id)
    _copy(cleaned, org)
    _flush_or_conflict(session)
    if prior_approval is not None and cleaned.category == Category.OTHER:
        application.prior_approval = _store_prior_approval(session, actor, org, prior_approval,
                                                           store)
    application.state = ApplicationState.SUBMITTED
    application.submissions += 1
    application.submitted_at = now()
    record(session, actor, "application", application.id, "resubmit",
           ApplicationState.RETURNED.value, ApplicationState.SUBMITTED.value)
    return application


def decide_application(session: Session, actor: User, application_id: int, decision: Decision,
                       reason: str | None = None) -> Application:
    """Approve, return for correction, or reject; a reason is required unless approving.

    Registrations are decided by civil affairs; filings by the town officer of the
    organization's own town (anyone else: not found).
    """
    decision = Decision(decision)
    # Locked, so two reviewers deciding at once cannot both see it waiting (PostgreSQL).
    application = session.get(Application, application_id, with_for_update=True)
    if application is None or not may_decide(actor, application):
        raise NotFound(_l("No such application awaiting your review."))
    if application.state != ApplicationState.SUBMITTED:
        raise Conflict(_l("This application is not awaiting review (it is %(state)s).",
                          state=application.state.label))
    reason = (reason or "").strip() or None
    if decision != Decision.APPROVE and not reason:
        raise Invalid(_l("Please give the reasons, so the applicant knows what to do."),
                      field="reason")
    org = application.organization
    before_app, before_org = application.state.value, org.status.value
    application.decided_at, application.decided_by_id = now(), actor.id
    application.decision_reason = reason
    if decision == Decision.APPROVE:
        _approve(session, actor, application, org, reason)
    elif decision == Decision.REJECT:
        application.state = ApplicationState.REJECTED
        org.status, org.status_reason = OrgStatus.REJECTED, reason
    else:
        application.state = ApplicationState.RETURNED
    record(session, actor, "application", application.id, decision.value, before_app,
           application.state.value, reason)
    if org.status.value != before_org:
        record(session, actor, "organization", org.id, decision.value, before_org,
               org.status.value, reason)
    return application


def may_decide(actor: User, application: Application) -> bool:
    if application.track == Track.REGISTERED:
        return actor.can(Permission.ORGS_REVIEW_REGISTRATION)
    return (actor.can(Permission.ORGS_REVIEW_FILING) and actor.town_id is not None
            and actor.town_id == application.organization.town_id)


def _approve(session: Session, actor: User, application: Application, org: Organization,
             reason: str | None) -> None:
    applicant = application.applicant
    if applicant.organization_id not in (None, org.id):
        raise Conflict(_l("The applicant's account already acts for another organization."))
    application.state = ApplicationState.APPROVED
    org.status, org.status_reason = OrgStatus.ACTIVE, None
    org.registered_on = today_local()
    applicant.organization_id = org.id
    record(session, actor, "user", applicant.id, "link_organization", None, str(org.id), reason)


def _open_application(session: Session, applicant_id: int) -> Application | None:
    return session.scalar(select(Application).where(
        Application.applicant_id == applicant_id,
        Application.state.in_([ApplicationState.SUBMITTED, ApplicationState.RETURNED])))


def _require_prior_approval(d: OrgDetails, track: Track, upload: Upload | None,
                            existing: int | None) -> None:
    if track == Track.REGISTERED and d.category == Category.OTHER and upload is None \
            and existing is None:
        raise Invalid(_l("Organizations of other categories must upload the supervising "
                         "unit's prior-approval document."), field="prior_approval")


def _store_prior_approval(session, actor, org, upload, store):
    return store_document(session, upload, owner_type="organization", owner_id=org.id,
                          purpose="prior_approval", actor=actor, allowed=PDF_OR_IMAGE,
                          store=store)


def _copy(d: OrgDetails, org: Organization) -> None:
    for field in _FIELDS:
        setattr(org, field, getattr(d, field))


def _flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as e:  # a concurrent application took the same code
        raise Conflict(_l("An organization with this unified social credit code is already "
                          "registered or has applied; a code can be used only once."),
                       field="credit_code") from e


def _require(actor: User, permission: Permission) -> None:
    if actor is None or not actor.can(permission):
        raise Forbidden(_l("You do not have permission to do this."))


