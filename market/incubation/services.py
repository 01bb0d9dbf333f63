"""The only door for writes in the incubation room: bases, admissions (入驻) and
graduations (出壳), yearly evaluations (年度评估) and rewards (以奖代补).

A reward is proposed for a base's year only when that year's evaluation passed, and is
paid (committed, then paid, in the ledger) from an approved budget line of the civil
affairs department. Bases run by 3A+ organizations are paid first (policy
``incubation_reward_priority``, seed §10): another reward may only use what stays
available above the rewards still waiting for them on the same line.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from market import funds, policy
from market.access.permissions import Permission
from market.auditlog.services import record
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus
from market.clock import now, today_local
from market.documents.models import OwnerType
from market.documents.storage import Upload, store_document
from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.grading.grades import has_priority
from market.incubation.models import (BaseEvaluation, BaseLevel, BaseService, IncubationBase,
                                      Residency, Reward, RewardStatus)
from market.money import format_money, parse_money
from market.orgs.enums import OrgStatus, Track
from market.orgs.models import Organization


def _ensure_manager(actor) -> None:
    if not actor.can(Permission.INCUBATION_MANAGE):
        raise Forbidden(_l("Only civil affairs manages incubation bases."))


def _get_base(session: Session, base_id: int, *, lock: bool = False) -> IncubationBase:
    base = session.get(IncubationBase, base_id, with_for_update=lock)
    if base is None:
        raise NotFound(_l("No such incubation base."))
    return base


def _not_future(day: dt.date | None, field_name: str) -> dt.date:
    if day is None:
        raise Invalid(_l("Give the date."), field=field_name)
    if day > today_local():
        raise Invalid(_l("The date cannot be in the future."), field=field_name)
    return day


# --- bases ------------------------------------------------------------------------------

@dataclass
class BaseData:
    name: str
    level: str
    town_id: int | None
    operator_id: int
    capacity: int
    services: list[str] = field(default_factory=list)
    opened_on: dt.date | None = None


def create_base(session: Session, actor, data: BaseData) -> IncubationBase:
    """Civil affairs records a base (培育基地) and the registered organization running it."""
    _ensure_manager(actor)
    name = (data.name or "").strip()
    if not name:
        raise Invalid(_l("Give the base's name."), field="name")
    if session.scalar(select(IncubationBase.id).where(IncubationBase.name == name)):
        raise Conflict(_l("A base of this name is already recorded."), field="name")
    try:
        level = BaseLevel(data.level)
    except ValueError:
        raise Invalid(_l("Choose the base's level."), field="level") from None
    town_id = data.town_id if level == BaseLevel.TOWN else None
    if level == BaseLevel.TOWN and not town_id:
        raise Invalid(_l("A town-level base names its town."), field="town_id")
    operator = session.get(Organization, data.operator_id) if data.operator_id else None
    if operator is None or operator.track != Track.REGISTERED \
            or operator.status != OrgStatus.ACTIVE:
        raise Invalid(_l("The operating organization must be a registered organization in "
                         "good standing."), field="operator_id")
    if not data.capacity or data.capacity < 1:
        raise Invalid(_l("The capacity is at least one organization."), field="capacity")
    services = [s for s in data.services if s in set(BaseService)]
    if not services:
        raise Invalid(_l("Choose at least one service the base offers."), field="services")
    base = IncubationBase(name=name[:200], level=level, town_id=town_id,
                          operator_id=operator.id, capacity=data.capacity, services=services,
                          opened_on=_not_future(data.opened_on, "opened_on"),
                          created_by_id=actor.id)
    session.add(base)
    session.flush()
    record(session, actor, "incubation_base", base.id, "create", None, level.value,
           f"{name} · {operator.name} · {data.capacity}")
    return base


# --- admissions (入驻) and graduations (出壳) -------------------------------------------

def open_residency(session: Session, organization_id: int) -> Residency | None:
    return session.scalar(select(Residency).where(Residency.organization_id == organization_id,
                                                  Residency.graduated_on.is_(None)))


def admit(session: Session, actor, base_id: int, organization_id: int,
          admitted_on: dt.date | None) -> Residency:
    """An organization moves into a base; refused when the base is full or the organization
    is already hosted by a base."""
    _ensure_manager(actor)
    base = _get_base(session, base_id, lock=True)
    org = session.get(Organization, organization_id, with_for_update=True) \
        if organization_id else None
    if org is None or org.status != OrgStatus.ACTIVE:
        raise Invalid(_l("Choose an organization in good standing."), field="organization_id")
    if org.id == base.operator_id:
        raise Invalid(_l("The operating organization cannot be hosted by its own base."),
                      field="organization_id")
    current = open_residency(session, org.id)
    if current is not None:
        raise Conflict(_l("%(org)s is already hosted by %(base)s; it must graduate there "
                          "first.", org=org.name, base=current.base.name),
                       field="organization_id")
    hosted = session.scalar(select(func.count()).select_from(Residency).where(
        Residency.base_id == base.id, Residency.graduated_on.is_(None)))
    if hosted >= base.capacity:
        raise Conflict(_l("The base is full: it hosts %(n)s organizations, its capacity.",
                          n=base.capacity))
    day = _not_future(admitted_on, "admitted_on")
    if day < base.opened_on:
        raise Invalid(_l("The base opened on %(day)s; admission cannot be earlier.",
                         day=base.opened_on.isoformat()), field="admitted_on")
    residency = Residency(base_id=base.id, organization_id=org.id, admitted_on=day,
                          admitted_by_id=actor.id)
    session.add(residency)
    session.flush()
    record(session, actor, "incubation_residency", residency.id, "admit", None, "resident",
           f"{base.name} · {org.name} · {day.isoformat()}")
    return residency


def graduate(session: Session, actor, residency_id: int, graduated_on: dt.date | None
             ) -> Residency:
    """出壳 — the organization leaves the base, grown."""
    _ensure_manager(actor)
    residency = session.get(Residency, residency_id, with_for_update=True)
    if residency is None:
        raise NotFound(_l("No such admission."))
    if residency.graduated_on is not None:
        raise Conflict(_l("This organization has already graduated."))
    day = _not_future(graduated_on, "graduated_on")
    if day < residency.admitted_on:
        raise Invalid(_l("Graduation cannot come before admission (%(day)s).",
                         day=residency.admitted_on.isoformat()), field="graduated_on")
    residency.graduated_on, residency.graduated_by_id = day, actor.id
    record(session, actor, "incubation_residency", residency.id, "graduate", "resident",
           "graduated", f"{residency.base.name} · {residency.organization.name} · "
           f"{day.isoformat()}")
    return residency


# --- yearly evaluations (年度评估) --------------------------------------------------------

def _score(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise Invalid(_l("The score is a number from 0 to 100."), field="score") from None
    if not value.is_finite() or not Decimal("0") <= value <= Decimal("100"):
        raise Invalid(_l("The score is a number from 0 to 100."), field="score")
    return value.quantize(Decimal("0.01"))


def record_evaluation(session: Session, actor, base_id: int, year: int, passed: bool, score,
                      evaluator: str, report: Upload | None = None) -> BaseEvaluation:
    _ensure_manager(actor)
    base = _get_base(session, base_id, lock=True)
    if not year or not base.opened_on.year <= year <= today_local().year:
        raise Invalid(_l("The year is between the base's opening (%(start)s) and this year.",
                         start=base.opened_on.year), field="year")
    if session.scalar(select(BaseEvaluation.id).where(BaseEvaluation.base_id == base.id,
                                                      BaseEvaluation.year == year)):
        raise Conflict(_l("The base's evaluation for %(year)s is already recorded.",
                          year=year), field="year")
    evaluator = (evaluator or "").strip()
    if not evaluator:
        raise Invalid(_l("Name the evaluator."), field="evaluator")
    evaluation = BaseEvaluation(base_id=base.id, year=year, passed=bool(passed),
                                score=_score(score), evaluator=evaluator[:200],
                                recorded_by_id=actor.id)
    session.add(evaluation)
    session.flush()
    if report is not None:
        evaluation.report_document_id = store_document(
            session, report, owner_type=OwnerType.INCUBATION_EVALUATION,
            owner_id=evaluation.id, purpose="evaluation_report", actor=actor).id
    record(session, actor, "incubation_evaluation", evaluation.id, "record", None,
           "pass" if evaluation.passed else "fail",
           f"{base.name} · {year} · {evaluation.score}")
    return evaluation


# --- rewards (以奖代补) ------------------------------------------------------------------

def reward_items(session: Session, actor) -> list[CatalogItem]:
    """The approved budget lines of the actor's (civil affairs) department."""
    if not getattr(actor, "department_id", None):
        return []
    return list(session.scalars(
        select(CatalogItem).join(Catalog, CatalogItem.catalog_id == Catalog.id)
        .where(Catalog.department_id == actor.department_id,
               Catalog.status == CatalogStatus.APPROVED)
        .order_by(Catalog.fiscal_year.desc(), CatalogItem.position)))


def _open_reward(session: Session, base_id: int, year: int) -> Reward | None:
    return session.scalar(select(Reward).where(
        Reward.base_id == base_id, Reward.year == year,
        Reward.status != RewardStatus.CANCELLED))


def propose_reward(session: Session, actor, base_id: int, year: int, item_id: int | None,
                   amount) -> Reward:
    """A reward for the base's year, refused unless that year's evaluation passed."""
    _ensure_manager(actor)
    base = _get_base(session, base_id, lock=True)
    evaluation = session.scalar(select(BaseEvaluation).where(
        BaseEvaluation.base_id == base.id, BaseEvaluation.year == year))
    if evaluation is None:
        raise Conflict(_l("A reward is paid only after a passing evaluation; no evaluation "
                          "of this base for %(year)s is recorded.", year=year),
                       field="year")
    if not evaluation.passed:
        raise Conflict(_l("The base did not pass its %(year)s evaluation: no reward is paid "
                          "for that year.", year=year), field="year")
    if _open_reward(session, base.id, year) is not None:
        raise Conflict(_l("A reward for %(year)s is already on record for this base.",
                          year=year), field="year")
    item = next((i for i in reward_items(session, actor) if i.id == item_id), None)
    if item is None:
        raise Invalid(_l("Choose an approved budget line of the civil affairs department."),
                      field="catalog_item_id")
    value = parse_money(amount, field="amount")
    reward = Reward(base_id=base.id, year=year, evaluation_id=evaluation.id,
                    catalog_item_id=item.id, amount=value, proposed_by_id=actor.id)
    session.add(reward)
    session.flush()
    record(session, actor, "incubation_reward", reward.id, "propose", None,
           RewardStatus.PROPOSED.value, f"{base.name} · {year} · {value}")
    return reward


def operator_has_priority(session: Session, base: IncubationBase) -> bool:
    """The base is run by a 3A+ organization today (policy priority_grade)."""
    return has_priority(session, base.operator_id, today_local())


def priority_reserve(session: Session, reward: Reward) -> Decimal:
    """What must stay available on the reward's budget line for the rewards still waiting
    for bases run by 3A+ organizations (none when the reward's own base is one, or when
    policy ``incubation_reward_priority`` is off)."""
    if not policy.value("incubation_reward_priority"):
        return Decimal("0.00")
    if operator_has_priority(session, reward.base):
        return Decimal("0.00")
    waiting = session.scalars(select(Reward).where(
        Reward.catalog_item_id == reward.catalog_item_id, Reward.id != reward.id,
        Reward.status == RewardStatus.PROPOSED))
    return sum((r.amount for r in waiting if operator_has_priority(session, r.base)),
               Decimal("0.00"))


def reward_blocker(session: Session, reward: Reward):
    """Why the reward cannot be paid now (a message), or None."""
    if reward.status == RewardStatus.PAID:
        return _l("This reward has already been paid.")
    if reward.status == RewardStatus.CANCELLED:
        return _l("This reward was withdrawn.")
    if not reward.evaluation.passed:
        return _l("The base did not pass its %(year)s evaluation: no reward is paid for "
                  "that year.", year=reward.year)
    available = funds.available(session, reward.catalog_item)
    if reward.amount > available:
        return _l("Not enough budget is available for this (available: %(a)s yuan).",
                  a=format_money(available, unit=False))
    reserve = priority_reserve(session, reward)
    if reserve and reward.amount > available - reserve:
        return _l("Bases run by 3A-or-higher organizations are rewarded first: %(r)s yuan "
                  "of this budget line is kept for their rewards still waiting, and only "
                  "%(a)s yuan is left for this one.", r=format_money(reserve, unit=False),
                  a=format_money(max(available - reserve, Decimal("0.00")), unit=False))
    return None


def pay_reward(session: Session, actor, reward_id: int) -> Reward:
    """Civil affairs pays the reward: committed, then paid, in the ledger."""
    _ensure_manager(actor)
    reward = session.get(Reward, reward_id, with_for_update=True)
    if reward is None:
        raise NotFound(_l("No such reward."))
    blocker = reward_blocker(session, reward)
    if blocker is not None:
        raise Conflict(blocker)
    documents = [reward.evaluation.report_document_id] \
        if reward.evaluation.report_document_id else []
    reward.commit_txn_id, reward.pay_txn_id = funds.pay_reward(session, reward, by=actor,
                                                               documents=documents)
    reward.status, reward.paid_at, reward.paid_by_id = RewardStatus.PAID, now(), actor.id
    record(session, actor, "incubation_reward", reward.id, "pay", RewardStatus.PROPOSED.value,
           RewardStatus.PAID.value, f"{reward.base.name} · {reward.year} · {reward.amount}")
    return reward


def cancel_reward(session: Session, actor, reward_id: int, reason: str) -> Reward:
    """A reward not yet paid is withdrawn, with the reason."""
    _ensure_manager(actor)
    reward = session.get(Reward, reward_id, with_for_update=True)
    if reward is None:
        raise NotFound(_l("No such reward."))
    if reward.status != RewardStatus.PROPOSED:
        raise Conflict(_l("Only a reward awaiting payment can be withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Give the reason for withdrawing the reward."), field="reason")
    reward.status, reward.cancelled_at = RewardStatus.CANCELLED, now()
    reward.cancel_reason = reason[:2000]
    record(session, actor, "incubation_reward", reward.id, "withdraw",
           RewardStatus.PROPOSED.value, RewardStatus.CANCELLED.value, reason[:500])
    return reward
