"""年度报告/年检 (annual reports and their inspection result) and 法定代表人离任审计
(audits on a legal representative's departure)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.accounts.permissions import Permission
from market.auditlog.services import record
from market.clock import now, today_local
from market.documents.storage import PDF_ONLY, DocumentStore, Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.orgs.enums import InspectionResult, OrgStatus
from market.orgs.models import AnnualReport, DepartureAudit, Organization

REPORTING_STATUSES = (OrgStatus.ACTIVE, OrgStatus.SUSPENDED)
YEARS_SHOWN_DUE = 3  # how many past years the "to do" list looks back


@dataclass
class AnnualFigures:
    year: int
    income: Decimal
    expenditure: Decimal
    net_assets: Decimal
    staff_count: int
    party_org_established: bool = False
    party_building: str | None = None


def due_years(org: Organization, today: dt.date | None = None) -> list[int]:
    """Past years (at most the last three) for which a registered organization owes a report."""
    if org.is_filed or org.status not in REPORTING_STATUSES or org.registered_on is None:
        return []
    last = (today or today_local()).year - 1
    first = max(org.registered_on.year, last - YEARS_SHOWN_DUE + 1)
    done = {r.year for r in org.annual_reports}
    return [y for y in range(last, first - 1, -1) if y not in done]


def submit_annual_report(session: Session, actor: User, org_id: int, figures: AnnualFigures,
                         audit_report: Upload | None, *,
                         store: DocumentStore | None = None) -> AnnualReport:
    """The organization submits its report for a past year, with the audit report (PDF)."""
    if not actor.can(Permission.ORGS_SUBMIT_ANNUAL_REPORT) or actor.organization_id != org_id:
        raise Forbidden(_l("Only the organization's own users may submit its annual report."))
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound(_l("No such organization."))
    if org.is_filed or org.status not in REPORTING_STATUSES:
        raise Conflict(_l("Only registered organizations in good standing or suspended submit "
                          "annual reports."))
    year = _year(figures.year, org)
    if session.scalar(select(AnnualReport.id).where(AnnualReport.organization_id == org.id,
                                                    AnnualReport.year == year)):
        raise Conflict(_l("The annual report for %(year)s has already been submitted.",
                          year=year), field="year")
    income = _money(figures.income, "income", allow_negative=False)
    expenditure = _money(figures.expenditure, "expenditure", allow_negative=False)
    net_assets = _money(figures.net_assets, "net_assets", allow_negative=True)
    if figures.staff_count is None or int(figures.staff_count) < 0:
        raise Invalid(_l("Please enter the number of staff (0 or more)."), field="staff_count")
    if audit_report is None:
        raise Invalid(_l("Please attach the annual financial audit report (PDF)."),
                      field="audit_report")
    doc = store_document(session, audit_report, owner_type="organization", owner_id=org.id,
                         purpose="annual_audit_report", actor=actor, allowed=PDF_ONLY,
                         store=store)
    report = AnnualReport(
        organization_id=org.id, year=year, income=income, expenditure=expenditure,
        net_assets=net_assets, staff_count=int(figures.staff_count),
        party_org_established=bool(figures.party_org_established),
        party_building=(figures.party_building or "").strip() or None,
        audit_report_id=doc.id, submitted_at=now(), submitted_by_id=actor.id)
    session.add(report)
    try:
        session.flush()
    except IntegrityError as e:
        raise Conflict(_l("The annual report for %(year)s has already been submitted.",
                          year=year), field="year") from e
    record(session, actor, "annual_report", report.id, "submit", None, "submitted",
           f"{org.name} {year}")
    return report


def record_inspection_result(session: Session, actor: User, report_id: int,
                             result: InspectionResult, comment: str | None) -> AnnualReport:
    """Civil affairs records 合格 / 基本合格 / 不合格; a comment is required unless 合格."""
    if not actor.can(Permission.ORGS_REVIEW_ANNUAL_REPORT):
        raise Forbidden(_l("You do not have permission to do this."))
    report = session.get(AnnualReport, report_id, with_for_update=True)
    if report is None:
        raise NotFound(_l("No such annual report."))
    try:
        result = InspectionResult(result)
    except ValueError:
        raise Invalid(_l("Please choose one of the offered options."), field="result") from None
    comment = (comment or "").strip() or None
    if result != InspectionResult.PASS and not comment:
        raise Invalid(_l("Please explain a result other than qualified in the comment."),
                      field="comment")
    if report.result is not None:
        raise Conflict(_l("A result has already been recorded for this report."))
    report.result, report.result_comment = result, comment
    report.reviewed_at, report.reviewed_by_id = now(), actor.id
    record(session, actor, "annual_report", report.id, "inspect", "submitted", result.value,
           comment)
    return report


def record_departure_audit(session: Session, actor: User, org_id: int, *, incoming: str,
                           departure_date: dt.date, audit_report: Upload | None,
                           outgoing: str | None = None,
                           store: DocumentStore | None = None) -> DepartureAudit:
    """Record the departure audit and hand the legal representative's post to ``incoming``.

    Civil affairs records it for any organization; an organization submits its own.
    """
    if not (actor.can(Permission.ORGS_RECORD_DEPARTURE_AUDIT)
            or (actor.can(Permission.ORGS_SUBMIT_DEPARTURE_AUDIT)
                and actor.organization_id == org_id)):
        raise Forbidden(_l("You do not have permission to do this."))
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound(_l("No such organization."))
    if org.status in (OrgStatus.PENDING, OrgStatus.REJECTED):
        raise Conflict(_l("Departure audits are recorded for registered organizations only."))
    outgoing = (outgoing or "").strip() or org.legal_representative
    incoming = (incoming or "").strip()
    if not incoming:
        raise Invalid(_l("Please enter the incoming legal representative."), field="incoming")
    if incoming == outgoing:
        raise Invalid(_l("The incoming legal representative must be a different person."),
                      field="incoming")
    if departure_date is None:
        raise Invalid(_l("Please enter the date of departure."), field="departure_date")
    if departure_date > today_local():
        raise Invalid(_l("The date of departure cannot be in the future."),
                      field="departure_date")
    if audit_report is None:
        raise Invalid(_l("Please attach the departure audit report."), field="audit_report")
    doc = store_document(session, audit_report, owner_type="organization", owner_id=org.id,
                         purpose="departure_audit_report", actor=actor, allowed=PDF_ONLY,
                         store=store)
    audit = DepartureAudit(organization_id=org.id, outgoing_representative=outgoing,
                           incoming_representative=incoming, departure_date=departure_date,
                           audit_report_id=doc.id, recorded_at=now(), recorded_by_id=actor.id)
    session.add(audit)
    session.flush()
    org.legal_representative = incoming
    record(session, actor, "departure_audit", audit.id, "record", None, "recorded",
           f"{outgoing} → {incoming}")
    record(session, actor, "organization", org.id, "change_legal_representative", None, None,
           f"{outgoing} → {incoming}")
    return audit


def _year(value, org: Organization) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Invalid(_l("Please enter the year the report covers."), field="year") from None
    first = org.registered_on.year if org.registered_on else year
    if year < first or year >= today_local().year:
        raise Invalid(_l("A report covers a completed year since registration (%(first)s to "
                         "%(last)s).", first=first, last=today_local().year - 1), field="year")
    return year


def _money(value, field: str, *, allow_negative: bool) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise Invalid(_l("Please enter an amount in yuan."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(_l("Amounts are in yuan with at most two decimal places."), field=field)
    if amount < 0 and not allow_negative:
        raise Invalid(_l("This amount cannot be negative."), field=field)
    if abs(amount) >= Decimal("1e16"):
        raise Invalid(_l("This amount is too large."), field=field)
    return amount.quantize(Decimal("0.01"))
