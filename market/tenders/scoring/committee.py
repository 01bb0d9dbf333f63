"""评标委员会 — the tender's evaluation committee, drawn at random from the expert pool.

财政部令第87号 第四十七条: the committee is made of the purchaser's representatives and
experts, an odd number of at least five members (seven for a large project), experts at
least two thirds; 第四十八条: the experts are drawn at random from the pool's relevant
specialty, and the purchaser's staff never sit as experts on their own department's
project. The department chooses the specialty, the size and its representatives; the
platform draws the experts (``market.experts``), after the bid deadline, excluding
anyone employed by a bidder, who declared a conflict with one, who works for the
department or is unavailable. The bidders are known to the check only (on the server):
the draw record is shown once the bids are opened.

An expert who declines, or declares a conflict with a bidder after the opening, is
replaced by a recorded redraw. Nobody is put on the committee by hand.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.accounts.models import User
from market.access.permissions import Role
from market.auditlog.services import record
from market.clock import LOCAL_TZ, now
from market.errors import Conflict, Invalid, NotFound
from market.experts import draws as expert_draws
from market.experts import services as pool
from market.experts.models import Draw, Exclusion, PoolExpert
from market.tenders import sealed
from market.tenders.access import get_tender
from market.tenders.models import Tender, TenderStatus
from market.tenders.scoring.models import Expert

SUBJECT = "tender"

HAND_PICKED = _l("Experts are drawn at random from the expert pool by the platform "
                 "(MOF Order No. 87, art. 48); nobody can be put on the committee by hand.")


def min_members(tender: Tender) -> int:
    """Five, or seven when the ceiling price makes it a large project (art. 47)."""
    if tender.ceiling_price >= policy.value("committee_large_budget"):
        return policy.value("committee_min_members_large")
    return policy.value("committee_min_members")


def check_composition(tender: Tender, members: int, representatives: int) -> None:
    """Refuse (Invalid) a committee shape that art. 47 does not allow."""
    least = min_members(tender)
    thirds = policy.value("committee_expert_min_thirds")
    problem = expert_draws.composition_problem(members, representatives, min_members=least,
                                               expert_thirds=thirds)
    if problem == "too_few":
        raise Invalid(_l("An evaluation committee has at least %(n)s members.", n=least),
                      field="members")
    if problem == "even":
        raise Invalid(_l("An evaluation committee has an odd number of members."),
                      field="members")
    if problem in ("expert_share", "representatives"):
        raise Invalid(_l("Drawn experts must be at least %(thirds)s thirds of the committee: "
                         "with %(members)s members, at most %(reps)s representatives of "
                         "the purchaser.", thirds=thirds, members=members,
                         reps=members - math.ceil(members * thirds / 3)),
                      field="representative_ids")


def representatives_available(session: Session, tender: Tender) -> list[User]:
    """The purchasing department's own staff, who may be named its representatives."""
    return list(session.scalars(select(User).where(
        User.department_id == tender.department_id, User.role == Role.DEPARTMENT,
        User.active.is_(True)).order_by(User.display_name)))


def draw_of(session: Session, tender: Tender) -> Draw | None:
    return session.scalar(select(Draw).where(Draw.subject_kind == SUBJECT,
                                             Draw.subject_id == tender.id)
                          .order_by(Draw.id.desc()))


def representatives_of(session: Session, draw: Draw | None) -> list[User]:
    if draw is None:
        return []
    return [u for u in (session.get(User, i) for i in draw.representative_ids) if u]


def review_day(tender: Tender):
    """The day availability is checked for: the opening day, or today once it has passed."""
    return max(now(), tender.opening_time).astimezone(LOCAL_TZ).date()


def draw_committee(session: Session, actor, tender_id: int, specialty: str, members: int,
                   representative_ids: Iterable[int] = (), *, seed: str | None = None) -> Draw:
    """The department asks, the platform draws: after the bid deadline, once per tender."""
    tender = get_tender(session, actor, tender_id, manage=True, lock=True)
    if tender.status not in (TenderStatus.PUBLISHED, TenderStatus.OPENED):
        raise Conflict(_l("The committee is drawn for a published or opened tender, before "
                          "the evaluation is complete."))
    if not tender.bids_closed:
        raise Conflict(_l("The evaluation committee is drawn after the bid deadline."))
    if draw_of(session, tender) is not None:
        raise Conflict(_l("The committee of this tender has already been drawn."))
    reps = list(dict.fromkeys(int(i) for i in representative_ids))
    check_composition(tender, members, len(reps))
    allowed = {u.id for u in representatives_available(session, tender)}
    if not set(reps) <= allowed:
        raise Invalid(_l("Representatives of the purchaser are staff of the purchasing "
                         "department."), field="representative_ids")
    draw = pool.perform_draw(
        session, actor, subject_kind=SUBJECT, subject_id=tender.id, specialty=specialty,
        size=members - len(reps), representative_ids=reps, review_on=review_day(tender),
        parties=sealed.parties_for_conflict_check(session, tender),
        department_id=tender.department_id, seed=seed)
    for pool_expert_id in draw.result:
        _seat(session, actor, tender, draw, pool_expert_id)
    record(session, actor, "tender", tender.id, "draw_committee", to_state=f"draw {draw.id}")
    return draw


def _seat(session: Session, actor, tender: Tender, draw: Draw, pool_expert_id: int) -> Expert:
    expert = session.get(PoolExpert, pool_expert_id)
    seat = Expert(tender_id=tender.id, expert_id=expert.user_id, assigned_by_id=actor.id,
                  draw_id=draw.id, pool_expert_id=expert.id)
    session.add(seat)
    session.flush()
    return seat


def replace_seat(session: Session, actor, tender: Tender, seat: Expert, reason: Exclusion,
                 note: str = "") -> Expert | None:
    """Redraw for a seat left empty (declined, or a conflict declared): the recorded step
    brings in the next expert in line, who gets a seat (None: the pool ran out)."""
    if seat.draw_id is None or seat.pool_expert_id is None:
        return None
    step = pool.replace(session, actor, seat.draw_id, seat.pool_expert_id, reason, note)
    if step.replacement_id is None:
        return None
    return _seat(session, actor, tender, session.get(Draw, seat.draw_id), step.replacement_id)


def decline(session: Session, actor, tender_id: int, note: str) -> Expert:
    """The drawn expert declines the seat (before declaring and scoring): a redraw."""
    tender = session.get(Tender, tender_id, with_for_update=True, populate_existing=True)
    seat = None if tender is None else session.scalar(select(Expert).where(
        Expert.tender_id == tender.id, Expert.expert_id == actor.id))
    if seat is None:
        raise NotFound(_l("You are not on this tender's evaluation committee."))
    if tender.status not in (TenderStatus.PUBLISHED, TenderStatus.OPENED):
        raise Conflict(_l("The evaluation is complete."))
    if not seat.active or seat.declared_at is not None:
        raise Conflict(_l("You can decline only before making your declaration."))
    note = (note or "").strip()
    if not note:
        raise Invalid(_l("Say briefly why you cannot serve."), field="note")
    seat.declined_at, seat.decline_reason = now(), note[:2000]
    record(session, actor, "tender", tender.id, "decline_seat", reason=note[:500])
    replace_seat(session, actor, tender, seat, Exclusion.DECLINED, note)
    return seat


def hand_pick(session: Session, actor, tender_id: int) -> None:
    """The old way (the department chose an expert): always refused, nothing changes."""
    get_tender(session, actor, tender_id, manage=True)
    raise Conflict(HAND_PICKED)


def disclosed(session: Session, tender_id: int) -> bool:
    """The draw record of a tender may be shown once its bids are opened."""
    tender = session.get(Tender, tender_id)
    return tender is not None and tender.is_opened
