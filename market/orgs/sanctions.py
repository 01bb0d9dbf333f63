"""处罚/惩戒 — administrative penalties (行政处罚) and open investigations (立案调查) on an
organization: civil affairs records them from the decision and records when they end;
every other room asks here whether one holds.

The readers other rooms call (tenders, grading, the qualified catalog):

* ``sanctions_in_force(session, org, on)`` — the sanctions in force on a date;
* ``serious_violation_within(session, org, years, on)`` — serious violations (严重违法)
  imposed in the ``years`` years up to ``on`` (or still in force);
* ``penalties_imposed_in(session, org, year)`` — administrative penalties imposed in a
  calendar year (民政部令第39号 第七条: 上年度受到行政处罚).

``org`` is an ``Organization`` or its id.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.access.permissions import Permission
from market.auditlog.services import record
from market.clock import today_local
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.orgs.enums import OrgStatus, SanctionKind
from market.orgs.models import Organization, Sanction

RECORDABLE_STATUSES = (OrgStatus.ACTIVE, OrgStatus.SUSPENDED, OrgStatus.CLEARED)


def _id(org) -> int:
    return org if isinstance(org, int) else org.id


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- readers ----------------------------------------------------------------------------

def _in_force_on(day: dt.date):
    return (Sanction.imposed_on <= day) & or_(Sanction.ends_on.is_(None),
                                              Sanction.ends_on >= day)


def sanctions_in_force(session: Session, org, on: dt.date) -> list[Sanction]:
    """The organization's sanctions in force on ``on`` (from the day imposed through the
    day they end, inclusive), oldest first."""
    return list(session.scalars(select(Sanction).where(
        Sanction.organization_id == _id(org), _in_force_on(on))
        .order_by(Sanction.imposed_on, Sanction.id)))


def serious_violation_within(session: Session, org, years: int, on: dt.date
                             ) -> list[Sanction]:
    """Sanctions for a serious violation imposed in the ``years`` years up to ``on``
    (after the same date ``years`` years earlier, through ``on``), or still in force on
    ``on``; oldest first. Imposed exactly ``years`` years before ``on`` no longer counts."""
    since = years_before(on, years)
    return list(session.scalars(select(Sanction).where(
        Sanction.organization_id == _id(org), Sanction.serious.is_(True),
        Sanction.imposed_on <= on,
        or_(Sanction.imposed_on > since, _in_force_on(on)))
        .order_by(Sanction.imposed_on, Sanction.id)))


def penalties_imposed_in(session: Session, org, year: int) -> list[Sanction]:
    """Administrative penalties (not investigations) imposed in calendar ``year``."""
    return list(session.scalars(select(Sanction).where(
        Sanction.organization_id == _id(org),
        Sanction.kind != SanctionKind.INVESTIGATION,
        Sanction.imposed_on >= dt.date(year, 1, 1),
        Sanction.imposed_on <= dt.date(year, 12, 31)).order_by(Sanction.imposed_on,
                                                               Sanction.id)))


def sanctioned_ids(on: dt.date):
    """A subquery of the ids of organizations under a sanction in force on ``on``."""
    return select(Sanction.organization_id).where(_in_force_on(on))


def sanctions_of(session: Session, org) -> list[Sanction]:
    return list(session.scalars(select(Sanction).where(Sanction.organization_id == _id(org))
                                .order_by(Sanction.imposed_on.desc(), Sanction.id.desc())))


def all_sanctions(session: Session) -> list[Sanction]:
    return list(session.scalars(select(Sanction).order_by(Sanction.imposed_on.desc(),
                                                          Sanction.id.desc())))


# --- writers ----------------------------------------------------------------------------

def _require(actor: User | None) -> None:
    if actor is None or not actor.can(Permission.ORGS_MANAGE_STATUS):
        raise Forbidden(_l("Only civil affairs records penalties and investigations."))


def record_sanction(session: Session, actor: User, org_id: int, *, kind: str,
                    imposed_on: dt.date | None, ends_on: dt.date | None = None,
                    serious: bool = False, authority: str = "", reason: str = "",
                    document_ref: str | None = None) -> Sanction:
    """Record a penalty or investigation from its decision; audit-logged."""
    _require(actor)
    org = session.get(Organization, org_id, with_for_update=True)
    if org is None:
        raise NotFound(_l("No such organization."), field="organization_id")
    if org.status not in RECORDABLE_STATUSES:
        raise Conflict(_l("Penalties are recorded for registered organizations only."),
                       field="organization_id")
    try:
        kind = SanctionKind(kind)
    except ValueError:
        raise Invalid(_l("Please choose the kind of penalty."), field="kind") from None
    if imposed_on is None:
        raise Invalid(_l("Please enter the date the decision was made."), field="imposed_on")
    if imposed_on > today_local():
        raise Invalid(_l("The date of the decision cannot be in the future."),
                      field="imposed_on")
    if ends_on is not None and ends_on < imposed_on:
        raise Invalid(_l("The end date cannot be before the date of the decision."),
                      field="ends_on")
    authority, reason = (authority or "").strip(), (reason or "").strip()
    if not authority:
        raise Invalid(_l("Please name the authority that made the decision."),
                      field="authority")
    if not reason:
        raise Invalid(_l("Please give the grounds of the decision."), field="reason")
    sanction = Sanction(organization_id=org.id, kind=kind, serious=bool(serious),
                        imposed_on=imposed_on, ends_on=ends_on, authority=authority[:200],
                        reason=reason[:5000],
                        document_ref=(document_ref or "").strip()[:100] or None,
                        recorded_by_id=actor.id)
    session.add(sanction)
    session.flush()
    summary = f"{kind.value}{' (serious)' if sanction.serious else ''} " \
              f"{imposed_on.isoformat()}–{ends_on.isoformat() if ends_on else ''}"
    record(session, actor, "sanction", sanction.id, "record", None, kind.value,
           f"{org.name}: {summary}; {sanction.document_ref or ''} {reason}"[:2000])
    record(session, actor, "organization", org.id, "sanction", None, kind.value, summary)
    return sanction


def end_sanction(session: Session, actor: User, sanction_id: int, ended_on: dt.date | None,
                 note: str) -> Sanction:
    """执行完毕 / 解除 — the sanction ends on ``ended_on`` (its last day in force)."""
    _require(actor)
    sanction = session.get(Sanction, sanction_id, with_for_update=True)
    if sanction is None:
        raise NotFound(_l("No such penalty or investigation."))
    if sanction.ends_on is not None:
        raise Conflict(_l("This penalty or investigation has already ended."))
    if ended_on is None:
        raise Invalid(_l("Please enter the date it ended."), field="ended_on")
    if ended_on < sanction.imposed_on:
        raise Invalid(_l("The end date cannot be before the date of the decision."),
                      field="ended_on")
    if ended_on > today_local():
        raise Invalid(_l("The end date cannot be in the future."), field="ended_on")
    note = (note or "").strip()
    if not note:
        raise Invalid(_l("Please say how it ended (executed, lifted, closed)."), field="note")
    sanction.ends_on = ended_on
    record(session, actor, "sanction", sanction.id, "end", "in_force", "ended",
           f"{ended_on.isoformat()}: {note}"[:2000])
    record(session, actor, "organization", sanction.organization_id, "sanction_end",
           "in_force", "ended", f"{ended_on.isoformat()}: {note}"[:2000])
    return sanction
