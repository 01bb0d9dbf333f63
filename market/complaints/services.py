"""Writes for complaints (投诉举报): file, route, dismiss, respond. Every step is in the
audit log; the complainant's contact never is (only whether one was given)."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.access.permissions import Permission
from market.accounts.models import Department
from market.auditlog.services import record
from market.clock import now, today_local
from market.complaints.access import is_handler
from market.complaints.models import Complaint, ComplaintStatus, Outcome, SubjectKind
from market.contracts.models import Contract, Milestone, MilestoneStatus
from market.credit import services as credit
from market.documents.models import OwnerType
from market.documents.storage import Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization
from market.tenders.calendar import end_of_working_day
from market.tenders.models import Tender

# Outcomes that count against the organization complained about (信用记录).
UPHELD = (Outcome.UPHELD, Outcome.PARTLY_UPHELD)

# Tracking codes: 12 characters from 31 that cannot be confused (no 0/O, 1/I/L): ~59 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
MIN_CHARS = 10  # a complaint, a finding: a sentence at least
RATE_KIND = "complaint-filing"
# Who filed, as the audit log and the documents record it: nobody in particular.
PUBLIC = SimpleNamespace(id=None, username="public")
RATE_WINDOW_SECONDS = 3600  # the rule counts filings per hour


# --- tracking codes -------------------------------------------------------------------

def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str | None) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-]", "", code or "").upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def show_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to copy down."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def find_by_code(session: Session, code: str | None) -> Complaint:
    code = normalize_code(code)
    complaint = None
    if len(code) == CODE_LENGTH:
        complaint = session.scalar(select(Complaint).where(
            Complaint.tracking_hash == code_hash(code)))
    if complaint is None:
        raise NotFound(_l("No complaint has this tracking code. Check the code and try "
                          "again."), field="code")
    return complaint


# --- the subject ----------------------------------------------------------------------

@dataclass(frozen=True)
class Subject:
    title: str
    organization_id: int | None = None  # the organization complained about
    department_id: int | None = None  # the department the subject belongs to


def resolve_subject(session: Session, kind: str, subject_id: int | None) -> Subject:
    """The public subject a complaint may be about, or Invalid (on ``subject_id``)."""
    refused = Invalid(_l("There is no public organization, tender, contract or payment "
                         "with this number. Check the kind and the number on its public "
                         "page."), field="subject_id")
    try:
        kind = SubjectKind(kind)
    except ValueError:
        raise Invalid(_l("Choose what the complaint is about."), field="subject_kind") from None
    if subject_id is None or subject_id < 1:
        raise refused
    if kind == SubjectKind.ORGANIZATION:
        org = session.get(Organization, subject_id)
        if org is None or org.status != OrgStatus.ACTIVE:
            raise refused
        return Subject(org.name, organization_id=org.id)
    if kind == SubjectKind.TENDER:
        tender = session.get(Tender, subject_id)
        if tender is None or tender.published_at is None:
            raise refused
        return Subject(tender.title, department_id=tender.department_id)
    if kind == SubjectKind.CONTRACT:
        contract = session.get(Contract, subject_id)
        if contract is None:
            raise refused
        return Subject(session.get(Tender, contract.tender_id).title,
                       department_id=contract.department_id)
    milestone = session.get(Milestone, subject_id)
    if milestone is None or milestone.status != MilestoneStatus.PAID:
        raise refused
    contract = session.get(Contract, milestone.contract_id)
    title = session.get(Tender, contract.tender_id).title
    return Subject(f"{title} · {milestone.number}. {milestone.title}",
                   department_id=contract.department_id)


# --- filing ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintData:
    subject_kind: str
    subject_id: int | None
    text: str
    anonymous: bool = True
    contact_name: str | None = None
    contact_phone: str | None = None


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    tracking_code: str  # given once to the complainant; only its hash is kept


def due_at(session: Session, filed_at: dt.datetime) -> dt.datetime:
    """The end of the last working day to answer a complaint filed at ``filed_at``."""
    return end_of_working_day(session, filed_at,
                              policy.value("complaint_response_working_days"))


def check_rate(throttle, keys: tuple[str, ...]) -> None:
    """TooManyRequests when any of ``keys`` (the address, the browser session) has filed
    the maximum in the current hour. Counted in the login throttle's shared store."""
    limit = policy.value("complaint_filings_per_hour")
    if any(throttle.count(RATE_KIND, key) >= limit for key in keys):
        raise TooManyRequests(_l("Too many complaints were filed from here in the last "
                                 "hour (at most %(n)s). Please try again later.", n=limit))


def file_complaint(session: Session, data: ComplaintData, uploads: list[Upload] = (), *,
                   throttle=None, rate_keys: tuple[str, ...] = ()) -> Filed:
    """Anyone files a complaint about a public subject; returns it with its tracking code.
    ``throttle`` (the app's login throttle) limits filings per ``rate_keys``."""
    if throttle is not None:
        check_rate(throttle, rate_keys)
    subject = resolve_subject(session, data.subject_kind, data.subject_id)
    text = (data.text or "").strip()
    most_chars = policy.value("complaint_max_chars")
    if not MIN_CHARS <= len(text) <= most_chars:
        raise Invalid(_l("Describe the complaint in %(a)s to %(b)s characters.",
                         a=MIN_CHARS, b=most_chars), field="text")
    name = (data.contact_name or "").strip() or None
    phone = (data.contact_phone or "").strip() or None
    if data.anonymous:
        name = phone = None
    elif not (name or phone):
        raise Invalid(_l("Give a name or a phone number, or file anonymously."),
                      field="contact_name")
    if phone and not re.fullmatch(r"\+?[0-9][0-9 \-]{5,30}", phone):
        raise Invalid(_l("Enter a phone number of digits (spaces and dashes allowed)."),
                      field="contact_phone")
    uploads = [u for u in uploads if u is not None]
    most = policy.value("complaint_max_attachments")
    if len(uploads) > most:
        raise Invalid(_l("Attach at most %(n)s files.", n=most), field="attachments")
    code = new_tracking_code()
    filed_at = now()
    complaint = Complaint(
        tracking_hash=code_hash(code), subject_kind=SubjectKind(data.subject_kind),
        subject_id=data.subject_id, subject_title=subject.title[:300],
        organization_id=subject.organization_id,
        subject_department_id=subject.department_id, text=text, contact_name=name,
        contact_phone=phone, status=ComplaintStatus.FILED, filed_at=filed_at,
        due_at=due_at(session, filed_at))
    session.add(complaint)
    session.flush()
    for upload in uploads:
        store_document(session, upload, owner_type=OwnerType.COMPLAINT,
                       owner_id=complaint.id, purpose="complaint_evidence", actor=PUBLIC)
    # No actor and no contact in the log: who filed is known only to civil affairs and
    # the department that answers, from the complaint itself.
    record(session, PUBLIC, "complaint", complaint.id, "file", None, ComplaintStatus.FILED,
           reason=f"{complaint.subject_kind}:{complaint.subject_id}; "
                  f"contact:{'none' if complaint.anonymous else 'given'}; "
                  f"attachments:{len(uploads)}")
    if throttle is not None:
        for key in rate_keys:
            throttle.hit(RATE_KIND, key, RATE_WINDOW_SECONDS)
    return Filed(complaint, code)


# --- civil affairs: route or dismiss --------------------------------------------------

def _managed(session: Session, actor, complaint_id: int) -> Complaint:
    if actor is None or not actor.can(Permission.COMPLAINTS_MANAGE):
        raise Forbidden(_l("Only civil affairs routes and dismisses complaints."))
    complaint = session.get(Complaint, complaint_id, with_for_update=True)
    if complaint is None:
        raise NotFound(_l("No such complaint."))
    return complaint


def route(session: Session, actor, complaint_id: int, department_id: int | None) -> Complaint:
    """Civil affairs sends the complaint to the department that answers it (None: civil
    affairs answers itself). An open complaint may be routed again."""
    complaint = _managed(session, actor, complaint_id)
    if not complaint.is_open:
        raise Conflict(_l("This complaint is closed."))
    if department_id is not None:
        department = session.get(Department, department_id)
        if department is None:
            raise Invalid(_l("Choose a department."), field="department_id")
    before = complaint.status
    complaint.department_id = department_id
    complaint.status = ComplaintStatus.ROUTED
    complaint.routed_at = now()
    complaint.routed_by_id = actor.id
    record(session, actor, "complaint", complaint.id, "route", before, complaint.status,
           reason=f"to:department:{department_id}" if department_id else "to:civil_affairs")
    return complaint


def dismiss(session: Session, actor, complaint_id: int, reason: str) -> Complaint:
    """Civil affairs closes a complaint as out of scope, with a reason."""
    complaint = _managed(session, actor, complaint_id)
    if not complaint.is_open:
        raise Conflict(_l("This complaint is closed."))
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= policy.value("complaint_max_chars"):
        raise Invalid(_l("Give the reason for dismissing the complaint."), field="reason")
    before = complaint.status
    complaint.status = ComplaintStatus.DISMISSED
    complaint.dismissal_reason = reason
    complaint.answered_at = now()
    complaint.answered_by_id = actor.id
    record(session, actor, "complaint", complaint.id, "dismiss", before, complaint.status,
           reason=reason)
    return complaint


# --- the department: respond ----------------------------------------------------------

def respond(session: Session, actor, complaint_id: int, outcome: str,
            finding: str) -> Complaint:
    """The department the complaint was routed to (or civil affairs, for its own) records
    the outcome with a written finding; both become public."""
    complaint = session.get(Complaint, complaint_id, with_for_update=True)
    if complaint is None:
        raise NotFound(_l("No such complaint."))
    if complaint.status != ComplaintStatus.ROUTED:
        raise Conflict(_l("Only a routed, open complaint can be answered."))
    if not is_handler(actor, complaint):
        raise Forbidden(_l("Only the department this complaint was routed to answers it."))
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise Invalid(_l("Choose the outcome."), field="outcome") from None
    finding = (finding or "").strip()
    most_chars = policy.value("complaint_max_chars")
    if not MIN_CHARS <= len(finding) <= most_chars:
        raise Invalid(_l("Write the finding in %(a)s to %(b)s characters.",
                         a=MIN_CHARS, b=most_chars), field="finding")
    complaint.status = ComplaintStatus.ANSWERED
    complaint.outcome = outcome
    complaint.finding = finding
    complaint.answered_at = now()
    complaint.answered_by_id = actor.id
    record(session, actor, "complaint", complaint.id, "respond", ComplaintStatus.ROUTED,
           complaint.status, reason=str(outcome))
    if outcome in UPHELD and complaint.organization_id is not None:
        # An upheld complaint about an organization counts against its credit (信用记录),
        # publicly, without the complainant.
        credit.record(session, actor, organization_id=complaint.organization_id,
                      kind="upheld_complaint", occurred_on=today_local(),
                      source_room="complaints", source_kind="complaint", source_id=complaint.id,
                      summary=complaint.subject_title[:200], public=True)
    return complaint
