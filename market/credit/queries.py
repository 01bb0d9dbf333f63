"""Reads of the credit record (信用记录).

``record_of`` puts together, for one organization, the entries stored here (written by the
rooms above) and the facts read from the rooms below — sanctions and annual-inspection
results (``orgs``), the clearance list and clearance decisions (``grading``) — each as an
``Entry`` with its date, source and evidence. ``standing_on`` says what counts against the
organization on a day; the provider conditions at the bid (``tenders.eligibility``) and
the grants room's eligibility read it, so every negative-credit condition is decided here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.clock import to_local, today_local
from market.credit.access import may_read_full
from market.credit.labels import KIND_LABELS
from market.credit.models import CreditEntry, CreditKind, Effect
from market.grading.labels import REASON_LABELS
from market.grading.models import ClearanceDecision, ClearanceOutcome
from market.grading.services.clearance import listing_for
from market.orgs.enums import InspectionResult, SanctionKind
from market.orgs.models import AnnualReport, Sanction
from market.orgs.sanctions import sanctions_in_force, serious_violation_within, years_before

RESULT_EFFECT = {InspectionResult.PASS: Effect.POSITIVE,
                 InspectionResult.BASIC_PASS: Effect.NEUTRAL,
                 InspectionResult.FAIL: Effect.NEGATIVE}


@dataclass(frozen=True)
class Entry:
    """One line of an organization's credit record, whichever room holds the fact."""

    kind: CreditKind
    effect: Effect
    occurred_on: dt.date
    until: dt.date | None  # last day in force (None: open or not applicable)
    source_room: str
    source_kind: str
    source_id: int
    summary: str
    public: bool
    evidence_document_id: int | None = None
    evidence_ref: str | None = None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def key(self) -> str:
        return f"{self.kind.value}-{self.source_room}-{self.source_kind}-{self.source_id}"


@dataclass(frozen=True)
class Against:
    """Something that counts against the organization on a day: a stable ``code``, the
    translated reason, and whether it ``bars`` taking part in purchases (bids, grants)."""

    code: str
    reason: object
    bars: bool
    entry: Entry | None = None

    def __str__(self) -> str:
        return str(self.reason)


# --- the entries, by source ---------------------------------------------------------------

def _stored(session: Session, org_id: int) -> list[Entry]:
    return [_stored_one(e) for e in session.scalars(select(CreditEntry).where(
                CreditEntry.organization_id == org_id).order_by(CreditEntry.id))]


def _sanction_entry(s: Sanction, day: dt.date) -> Entry:
    """A penalty is public while in force on ``day`` (as the public profile has always
    shown it); an investigation never is. The full record keeps every one."""
    summary = f"{s.kind.label}: {s.reason} ({s.authority})"
    if s.serious:
        summary = f"{KIND_LABELS[CreditKind.SERIOUS_VIOLATION]} · {summary}"
    return Entry(CreditKind.SERIOUS_VIOLATION if s.serious else CreditKind.SANCTION,
                 Effect.NEGATIVE, s.imposed_on, s.ends_on, "orgs", "sanction", s.id, summary,
                 s.kind != SanctionKind.INVESTIGATION and s.in_force(day), None,
                 s.document_ref)


def _sanctions(session: Session, org_id: int, day: dt.date) -> list[Entry]:
    return [_sanction_entry(s, day) for s in session.scalars(select(Sanction).where(
        Sanction.organization_id == org_id).order_by(Sanction.imposed_on, Sanction.id))]


def _annual_reports(session: Session, org_id: int) -> list[Entry]:
    out = []
    for r in session.scalars(select(AnnualReport).where(
            AnnualReport.organization_id == org_id, AnnualReport.result.is_not(None))
            .order_by(AnnualReport.year)):
        day = to_local(r.reviewed_at).date() if r.reviewed_at else dt.date(r.year + 1, 1, 1)
        out.append(Entry(CreditKind.ANNUAL_REPORT_RESULT, RESULT_EFFECT[r.result], day, None,
                         "orgs", "annual_report", r.id,
                         str(_l("Annual inspection for %(year)s: %(result)s", year=r.year,
                                result=r.result.label)), True))
    return out


def _clearance(session: Session, org_id: int, day: dt.date, full: bool) -> list[Entry]:
    out = []
    listing = listing_for(session, org_id, day)
    if listing is not None:
        out.append(Entry(CreditKind.CLEARANCE, Effect.NEGATIVE, listing.since, None,
                         "grading", "clearance_listing", org_id, listing.label, True))
    for d in session.scalars(select(ClearanceDecision).where(
            ClearanceDecision.organization_id == org_id).order_by(ClearanceDecision.id)):
        cleared = d.outcome == ClearanceOutcome.CLEARED
        label = str(REASON_LABELS[d.reason])
        words = (_l("Cleared: %(why)s", why=label) if cleared
                 else _l("Kept off the clearance list: %(why)s", why=label))
        summary = f"{words} — {d.note}" if full else str(words)
        out.append(Entry(CreditKind.CLEARANCE,
                         Effect.NEGATIVE if cleared else Effect.NEUTRAL, d.as_of, None,
                         "grading", "clearance_decision", d.id, summary, cleared))
    return out


def record_of(session: Session, org_id: int, *, viewer, day: dt.date | None = None
              ) -> list[Entry]:
    """The organization's credit record on ``day`` (default today) as ``viewer`` may see
    it, latest first: public viewers see only the public entries (a penalty while in
    force); departments, civil affairs, finance, auditors and
    the organization itself see all (``access.may_read_full``)."""
    full = may_read_full(viewer, org_id)
    day = day or today_local()
    entries = (_stored(session, org_id) + _sanctions(session, org_id, day)
               + _annual_reports(session, org_id) + _clearance(session, org_id, day, full))
    if not full:
        entries = [e for e in entries if e.public]
    return sorted(entries, key=lambda e: (e.occurred_on, e.key), reverse=True)


# --- what counts against the organization on a day ---------------------------------------

def _within(entry: CreditEntry, day: dt.date, years: int) -> bool:
    if entry.occurred_on > day:
        return False
    if entry.in_force_until is not None:
        return day <= entry.in_force_until
    return entry.occurred_on > years_before(day, years)


def standing_on(session: Session, org_id: int, day: dt.date) -> list[Against]:
    """What counts against the organization on ``day``, each saying whether it bars it
    from purchases:

    * a sanction (行政处罚 or 立案调查) in force — bars;
    * a serious violation (重大违法记录) in the ``provider_serious_violation_years`` before
      ``day`` — bars (政府采购法 第二十二条 (五));
    * the clearance list (清退) — bars;
    * a contract terminated for the organization's fault in the ``credit_negative_years``
      before ``day`` — bars (local choice, after art. 22 (二) 良好的商业信誉);
    * a failed performance evaluation or an upheld complaint in that period — counts
      against, without barring (no rule found that bars on it).
    """
    out: list[Against] = []
    for s in sanctions_in_force(session, org_id, day):
        until = (_l("until %(day)s", day=s.ends_on.isoformat()) if s.ends_on
                 else _l("no end date"))
        out.append(Against("sanction_in_force", _l(
            "A sanction is in force since %(since)s (%(until)s), imposed by %(authority)s: "
            "%(reason)s", reason=s.reason, authority=s.authority,
            since=s.imposed_on.isoformat(), until=until), True, _sanction_entry(s, day)))
    years = policy.value("provider_serious_violation_years")
    found = serious_violation_within(session, org_id, years, day)  # oldest first
    if found:
        serious = found[-1]
        out.append(Against("serious_violation", _l(
            "A serious violation (重大违法记录) was recorded on %(day)s, within the %(n)s "
            "years before %(on)s, imposed by %(authority)s: %(reason)s",
            day=serious.imposed_on.isoformat(), n=years, on=day.isoformat(),
            reason=serious.reason, authority=serious.authority), True,
            _sanction_entry(serious, day)))
    listing = listing_for(session, org_id, day)
    if listing is not None:
        out.append(Against("clearance_listed", _l(
            "The organization is on the clearance list (清退) since %(since)s: %(why)s.",
            since=listing.since.isoformat(), why=listing.label), True))
    n = policy.value("credit_negative_years")
    for e in session.scalars(select(CreditEntry).where(
            CreditEntry.organization_id == org_id, CreditEntry.effect == Effect.NEGATIVE)
            .order_by(CreditEntry.occurred_on, CreditEntry.id)):
        if not _within(e, day, n):
            continue
        entry = _stored_one(e)
        if e.kind == CreditKind.CONTRACT_TERMINATED_FAULT:
            out.append(Against("contract_terminated_fault", _l(
                "A contract was terminated for the organization's fault on %(day)s, within "
                "the %(n)s years before %(on)s: %(summary)s", day=e.occurred_on.isoformat(),
                n=n, on=day.isoformat(), summary=e.summary), True, entry))
        else:
            out.append(Against(e.kind.value, _l(
                "%(kind)s on %(day)s: %(summary)s", kind=KIND_LABELS[e.kind],
                day=e.occurred_on.isoformat(), summary=e.summary), False, entry))
    return out


def _stored_one(e: CreditEntry) -> Entry:
    return Entry(e.kind, e.effect, e.occurred_on, e.in_force_until, e.source_room,
                 e.source_kind, e.source_id, e.summary, e.public, e.evidence_document_id,
                 e.evidence_ref)


def barring(session: Session, org_id: int, day: dt.date) -> list[Against]:
    """What in ``standing_on`` keeps the organization out of purchases on ``day``."""
    return [a for a in standing_on(session, org_id, day) if a.bars]
