"""The only door for writes to venture philanthropy rounds and applications.

Rounds (创投活动): the funding department (civil affairs) drafts a round on one of its
approved catalog items, edits it while in draft and publishes it (audit-logged). The
pool may not exceed what the item has available in the ledger, less the pools of the
item's other published rounds.

Applications (申报): an organization's user drafts, edits, submits and withdraws its
application. Saving checks the amounts (cap, self-raised share, budget lines that add
up); creating and submitting also check the window (open from ``opens_at`` included to
``closes_at`` excluded), one application per organization (unless the round allows
more) and eligibility (standing, category, grade or the start-up exception, the
clearance list). Every refusal is a translated ``DomainError`` and writes nothing.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from market import funds, policy
from market.accounts.models import Town
from market.access.permissions import Permission, Role
from market.auditlog.services import record
from market.catalogs.eligibility import org_category_values
from market.catalogs.models import CatalogItem, CatalogStatus
from market.clock import now, to_local
from market.credit import queries as credit_queries
from market.errors import Checks, Conflict, Forbidden, Invalid, NotFound
from market.grading.grades import grade_at
from market.grading.services import clearance
from market.grants.funding_models import GrantDecision
from market.grants.models import (ApplicationStatus, GrantApplication, GrantRound,
                                  PriorityMode, QuestionKind, RoundStatus)
from market.orgs.models import Organization
from market.money import format_money
from market.orgs.status import OrganizationCannotTransact, ensure_can_transact

HUNDRED = Decimal("100")


# --- rounds ------------------------------------------------------------------------------

@dataclass
class RoundData:
    title: str
    item_id: int
    pool: Decimal
    cap: Decimal
    min_self_share: Decimal
    eligible_categories: list[str]
    min_grade: int
    priority_mode: str
    priority_value: Decimal
    startups_without_grade: bool
    allow_multiple: bool
    opens_at: dt.datetime
    closes_at: dt.datetime
    reviewers_per_application: int
    criteria: list[dict]
    questions: list[dict]
    tranches: list[dict]
    reporting_dates: list[str]
    description: str = ""


def round_defaults() -> dict:
    """What a new round's form starts with (policy values)."""
    return {
        "min_self_share": policy.value("grant_self_raised_share_default"),
        "priority_mode": PriorityMode.SCORE_BONUS.value,
        "priority_value": policy.value("grant_priority_bonus_default"),
        "reviewers_per_application": policy.value("grant_reviewers_default"),
        "tranche_signing": policy.value("grant_tranche_signing_percent"),
        "tranche_midterm": policy.value("grant_tranche_midterm_percent"),
        "tranche_final": policy.value("grant_tranche_final_percent"),
    }


def _manager(actor) -> None:
    if actor is None or not actor.can(Permission.GRANTS_MANAGE):
        raise Forbidden(_l("Only civil affairs manages venture philanthropy rounds."))


def funding_items(session: Session, actor) -> list[CatalogItem]:
    """The actor's department's catalog items that finance has approved."""
    from market.catalogs.models import Catalog

    if actor is None or actor.department_id is None:
        return []
    return list(session.scalars(
        select(CatalogItem).join(Catalog).where(Catalog.department_id == actor.department_id,
                                                Catalog.status == CatalogStatus.APPROVED)
        .order_by(Catalog.fiscal_year.desc(), CatalogItem.position)))


def get_round(session: Session, round_id: int, *, lock: bool = False) -> GrantRound:
    found = session.get(GrantRound, round_id, with_for_update=lock or None)
    if found is None:
        raise NotFound(_l("No such venture philanthropy round."))
    return found


def public_round(session: Session, round_id: int) -> GrantRound:
    found = get_round(session, round_id)
    if found.status != RoundStatus.PUBLISHED:
        raise NotFound(_l("No such venture philanthropy round."))
    return found


def available_for(session: Session, item: CatalogItem, exclude_round: int | None = None
                  ) -> Decimal:
    """What a round on ``item`` may still pool: the item's available budget in the ledger
    less the pools of its other published rounds not yet decided (a decided round holds
    only its grants, which the ledger already reserves)."""
    decided = select(GrantDecision.round_id)
    others = session.scalar(
        select(func.coalesce(func.sum(GrantRound.pool), 0)).where(
            GrantRound.item_id == item.id, GrantRound.status == RoundStatus.PUBLISHED,
            GrantRound.id != (exclude_round or 0), GrantRound.id.not_in(decided)))
    return funds.item_funds(session, item).available - Decimal(others or 0)


def _clean_round(session: Session, actor, data: RoundData, round_id: int | None) -> RoundData:
    item = session.get(CatalogItem, data.item_id)
    if (item is None or item.catalog.department_id != actor.department_id
            or item.catalog.status != CatalogStatus.APPROVED):
        raise Invalid(_l("Choose an approved catalog item of your department."),
                      field="item_id")
    title = (data.title or "").strip()[:200]
    if not title:
        raise Invalid(_l("Give the round a title."), field="title")
    if data.pool is None or data.pool <= 0:
        raise Invalid(_l("The pool must be more than zero."), field="pool")
    room = available_for(session, item, round_id)
    if data.pool > room:
        raise Conflict(_l("The pool exceeds what the catalog item has available "
                          "(%(a)s yuan).", a=format_money(room, unit=False)), field="pool")
    if data.cap is None or not 0 < data.cap <= data.pool:
        raise Invalid(_l("The per-project cap must be more than zero and at most the pool."),
                      field="cap")
    if data.min_self_share is None or not 0 <= data.min_self_share < HUNDRED:
        raise Invalid(_l("The minimum self-raised share is a percentage from 0 to under 100."),
                      field="min_self_share")
    categories = sorted(set(data.eligible_categories or []))
    if not categories or not set(categories) <= set(org_category_values()):
        raise Invalid(_l("Choose at least one eligible category."),
                      field="eligible_categories")
    if not 0 <= int(data.min_grade) <= 5:
        raise Invalid(_l("Choose a minimum grade."), field="min_grade")
    try:
        mode = PriorityMode(data.priority_mode)
    except ValueError:
        raise Invalid(_l("Choose how 3A+ organizations get priority."),
                      field="priority_mode") from None
    bound = policy.value("grant_priority_bonus_max" if mode == PriorityMode.SCORE_BONUS
                         else "grant_priority_reserved_share_max")
    if data.priority_value is None or not 0 <= data.priority_value <= bound:
        raise Invalid(_l("The 3A+ priority must be between 0 and %(m)s.", m=bound),
                      field="priority_value")
    if data.opens_at is None or data.closes_at is None or data.closes_at <= data.opens_at:
        raise Invalid(_l("The application window must close after it opens."),
                      field="closes_at")
    if not 1 <= int(data.reviewers_per_application) <= 15:
        raise Invalid(_l("Reviewers per application: from 1 to 15."),
                      field="reviewers_per_application")
    if not data.criteria or sum(int(c["weight"]) for c in data.criteria) != 100:
        raise Invalid(_l("The weights of the review criteria must add up to 100."),
                      field="criteria")
    if len(data.tranches) != 3 or sum(int(t["percent"]) for t in data.tranches) != 100 or \
            any(int(t["percent"]) < 0 for t in data.tranches):
        raise Invalid(_l("The tranches must add up to 100 %."), field="tranche_signing")
    return RoundData(title, item.id, data.pool, data.cap, data.min_self_share, categories,
                     int(data.min_grade), mode.value, data.priority_value,
                     bool(data.startups_without_grade), bool(data.allow_multiple),
                     data.opens_at, data.closes_at, int(data.reviewers_per_application),
                     data.criteria, data.questions, data.tranches,
                     sorted(data.reporting_dates), (data.description or "").strip()[:5000])


def create_round(session: Session, actor, data: RoundData) -> GrantRound:
    _manager(actor)
    clean = _clean_round(session, actor, data, None)
    found = GrantRound(**clean.__dict__, department_id=actor.department_id,
                       created_by_id=actor.id, status=RoundStatus.DRAFT)
    session.add(found)
    session.flush()
    record(session, actor, "grant_round", found.id, "create", reason=clean.title)
    return found


def edit_round(session: Session, actor, round_id: int, data: RoundData) -> GrantRound:
    _manager(actor)
    found = get_round(session, round_id, lock=True)
    if found.status != RoundStatus.DRAFT:
        raise Conflict(_l("A published round can no longer be edited."))
    clean = _clean_round(session, actor, data, found.id)
    for key, value in clean.__dict__.items():
        setattr(found, key, value)
    record(session, actor, "grant_round", found.id, "edit", reason=clean.title)
    return found


def publish_round(session: Session, actor, round_id: int) -> GrantRound:
    _manager(actor)
    found = get_round(session, round_id, lock=True)
    if found.status != RoundStatus.DRAFT:
        raise Conflict(_l("This round is already published."))
    if found.closes_at <= now():
        raise Conflict(_l("The application window has already closed; change it first."))
    room = available_for(session, found.item, found.id)
    if found.pool > room:
        raise Conflict(_l("The pool exceeds what the catalog item has available "
                          "(%(a)s yuan).", a=format_money(room, unit=False)))
    found.status = RoundStatus.PUBLISHED
    found.published_at = now()
    found.published_by_id = actor.id
    record(session, actor, "grant_round", found.id, "publish", reason=found.title)
    return found


# --- the round's form builder, as data ---------------------------------------------------

QUESTION_LINE = re.compile(r"^\s*(?P<kind>\w+)\s*\|\s*(?P<label>[^|]+?)\s*"
                           r"(\|\s*(?P<options>[^|]*?)\s*)?(\|\s*(?P<req>\w+)\s*)?$")


def parse_questions(text: str) -> list[dict]:
    """One question a line: ``kind | label | options (choice: a;b;c) | required|optional``."""
    questions = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = QUESTION_LINE.match(line)
        kind = m.group("kind").lower() if m else ""
        if m is None or kind not in {k.value for k in QuestionKind}:
            raise Invalid(_l("Question line %(n)s: write “kind | question | choices | "
                             "required”, the kind one of text, number, choice, file.", n=n),
                          field="questions")
        options = [o.strip() for o in re.split(r"[;；]", m.group("options") or "")
                   if o.strip()]
        if kind == QuestionKind.CHOICE and len(options) < 2:
            raise Invalid(_l("Question line %(n)s: a choice needs two or more choices, "
                             "separated by semicolons.", n=n), field="questions")
        req = (m.group("req") or "required").lower()
        if req not in ("required", "optional"):
            raise Invalid(_l("Question line %(n)s: end with “required” or “optional”.", n=n),
                          field="questions")
        questions.append({"key": f"q{len(questions) + 1}", "kind": kind,
                          "label": m.group("label")[:300],
                          "options": options if kind == QuestionKind.CHOICE else [],
                          "required": req == "required"})
    if len(questions) > 20:
        raise Invalid(_l("A round asks at most 20 extra questions."), field="questions")
    return questions


def questions_text(questions: list[dict]) -> str:
    lines = []
    for q in questions:
        lines.append(" | ".join([q["kind"], q["label"], ";".join(q.get("options") or []),
                                 "required" if q.get("required") else "optional"]))
    return "\n".join(lines)


def parse_criteria(text: str) -> list[dict]:
    """One criterion a line: ``name | weight``."""
    criteria = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, _, weight = line.rpartition("|")
        try:
            value = int(weight.strip())
        except ValueError:
            value = -1
        if not name.strip() or not 0 < value <= 100:
            raise Invalid(_l("Criterion line %(n)s: write “criterion | weight”, the weight a "
                             "whole number from 1 to 100.", n=n), field="criteria")
        criteria.append({"name": name.strip()[:200], "weight": value})
    return criteria


def criteria_text(criteria: list[dict]) -> str:
    return "\n".join(f"{c['name']} | {c['weight']}" for c in criteria)


def parse_dates(text: str) -> list[str]:
    days = []
    for n, line in enumerate((text or "").split(), start=1):
        try:
            days.append(dt.date.fromisoformat(line.strip()).isoformat())
        except ValueError:
            raise Invalid(_l("Reporting date %(n)s: write dates such as 2027-06-30.", n=n),
                          field="reporting_dates") from None
    return days


# --- applications -----------------------------------------------------------------------

@dataclass
class ApplicationData:
    title: str
    summary: str
    beneficiaries: str
    beneficiary_count: int
    town_id: int
    budget_lines: list[dict]
    requested: Decimal
    self_raised: Decimal
    self_raised_source: str
    timeline: str
    answers: dict = field(default_factory=dict)
    uploads: dict = field(default_factory=dict)  # question key -> documents Upload


def applicant_organization(session: Session, actor) -> Organization:
    if actor is None or not actor.can(Permission.GRANTS_APPLY):
        raise Forbidden(_l("Only a social organization's user can apply for a grant."))
    org = session.get(Organization, actor.organization_id) if actor.organization_id else None
    if org is None:
        raise OrganizationCannotTransact(_l("Your account does not act for a registered "
                                            "organization yet."))
    return org


def get_application(session: Session, actor, application_id: int, *, lock: bool = False
                    ) -> GrantApplication:
    """The application, for its organization's users and for civil affairs only."""
    found = session.get(GrantApplication, application_id, with_for_update=lock or None)
    if found is None or not may_read(actor, found):
        raise NotFound(_l("No such grant application."))
    return found


def may_read(actor, application: GrantApplication) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.can(Permission.GRANTS_MANAGE) or actor.role == Role.AUDITOR:
        # civil affairs decides on it; auditors supervise the decision (审计监督)
        return application.status != ApplicationStatus.DRAFT
    return actor.organization_id == application.organization_id


def is_startup(org: Organization, day: dt.date) -> bool:
    """Registered less than ``grant_startup_years`` ago (初创期社会组织)."""
    if org.registered_on is None:
        return False
    return day < clearance.add_years(org.registered_on, policy.value("grant_startup_years"))


def eligibility_problem(session: Session, org: Organization, grant_round: GrantRound,
                        at: dt.datetime):
    """Why ``org`` may not apply to ``grant_round`` (a translated message), or None."""
    try:
        ensure_can_transact(org)
    except OrganizationCannotTransact as e:
        return e.message
    for against in credit_queries.barring(session, org.id, to_local(at).date()):
        if against.code == "clearance_listed":
            return _l("Your organization is on the clearance list (清退名单), so it cannot "
                      "apply.")
        return against.reason  # a sanction, a serious violation, a termination for fault
    if org.category.value not in (grant_round.eligible_categories or []):
        return _l("Your organization's category is not among those this round accepts.")
    needed = grant_round.min_grade
    if needed and grade_at(session, org.id, at) < needed:
        if not (grant_round.startups_without_grade and is_startup(org, to_local(at).date())):
            return _l("This round needs a grade of %(g)sA or above (start-up organizations "
                      "registered less than %(y)s years ago may apply without one only where "
                      "the round allows it).", g=needed,
                      y=policy.value("grant_startup_years"))
    return None


def _window(grant_round: GrantRound, at: dt.datetime) -> None:
    if grant_round.status != RoundStatus.PUBLISHED or at < grant_round.opens_at:
        raise Conflict(_l("This round is not taking applications yet."))
    if at >= grant_round.closes_at:
        raise Conflict(_l("The application window closed at %(t)s Beijing time; nothing "
                          "was saved.",
                          t=to_local(grant_round.closes_at).strftime("%Y-%m-%d %H:%M")))


def _eligible(session: Session, org: Organization, grant_round: GrantRound, at) -> None:
    problem = eligibility_problem(session, org, grant_round, at)
    if problem is not None:
        raise Forbidden(problem)


def _one_per_org(session: Session, org: Organization, grant_round: GrantRound,
                 exclude: int | None) -> None:
    if grant_round.allow_multiple:
        return
    other = session.scalar(select(GrantApplication.id).where(
        GrantApplication.round_id == grant_round.id,
        GrantApplication.organization_id == org.id,
        GrantApplication.status != ApplicationStatus.WITHDRAWN,
        GrantApplication.id != (exclude or 0)).limit(1))
    if other is not None:
        raise Conflict(_l("Your organization already has an application in this round; "
                          "a round takes one application per organization."))


def check_application(session: Session, grant_round: GrantRound, data: ApplicationData,
                      application: GrantApplication | None = None) -> None:
    """The application rules alone, nothing written: for a form that is already invalid,
    so its page shows every correction at once."""
    _clean_application(session, grant_round, data, application)


def _clean_application(session: Session, grant_round: GrantRound, data: ApplicationData,
                       application: GrantApplication | None) -> dict:
    """The application's fields against the round's rules: every problem at once
    (:class:`~market.errors.Problems`), each on its field."""
    checks = Checks()
    for name, message in (
            ("title", _l("Give the project a title.")),
            ("summary", _l("Give a summary of the project.")),
            ("beneficiaries", _l("Say who benefits from the project.")),
            ("self_raised_source", _l("Say where the self-raised funds come from.")),
            ("timeline", _l("Give the project's timeline."))):
        if not (getattr(data, name) or "").strip():
            checks.add(name, message)
    if data.town_id is None or session.get(Town, data.town_id) is None:
        checks.add("town_id", _l("Choose the town where the project runs."))
    if data.beneficiary_count is None or data.beneficiary_count < 1:
        checks.add("beneficiary_count", _l("Give how many people benefit."))
    requested, raised = data.requested, data.self_raised
    money_ok = True
    if requested is None or requested <= 0:
        checks.add("requested", _l("The amount requested must be more than zero."))
        money_ok = False
    elif requested > grant_round.cap:
        checks.add("requested", _l("The amount requested exceeds the round's cap of %(c)s "
                                   "yuan per project.",
                                   c=format_money(grant_round.cap, unit=False)))
    if raised is None or raised < 0:
        checks.add("self_raised", _l("Give the self-raised funds (zero or more)."))
        money_ok = False
    if money_ok:
        share = raised * HUNDRED / (requested + raised)
        if share < grant_round.min_self_share:
            needed = format(grant_round.min_self_share.normalize(), "f")
            shown = format(share.quantize(Decimal("0.01")).normalize(), "f")
            checks.add("self_raised", _l("Self-raised funds must be at least %(p)s %% of the "
                                         "project's total budget; they are %(s)s %%.",
                                         p=needed, s=shown))
    lines = [line for line in data.budget_lines if (line.get("item") or "").strip()
             or line.get("amount") is not None]
    if any(not (line.get("item") or "").strip() or line.get("amount") is None
           or line["amount"] <= 0 for line in lines):
        checks.add("budget_lines", _l("Each budget line needs an item and an amount above "
                                      "zero."))
    elif money_ok:
        total = sum((line["amount"] for line in lines), Decimal("0.00"))
        if not lines or total != requested + raised:
            checks.add("budget_lines", _l(
                "The budget lines add up to %(t)s yuan, but the amount requested plus the "
                "self-raised funds is %(s)s yuan.", t=format_money(total, unit=False),
                s=format_money(requested + raised, unit=False)))
    answers = {}
    kept = dict(application.answers) if application is not None else {}
    for q in grant_round.questions:
        value = data.answers.get(q["key"])
        if q["kind"] == QuestionKind.FILE:
            value = kept.get(q["key"]) if data.uploads.get(q["key"]) is None else None
        elif q["kind"] == QuestionKind.NUMBER and value is not None:
            value = str(value)
        elif q["kind"] == QuestionKind.CHOICE and value and value not in q["options"]:
            checks.add(q["key"], _l("Choose one of the choices given."))
            continue
        if q["required"] and value in (None, "") and not (
                q["kind"] == QuestionKind.FILE and data.uploads.get(q["key"]) is not None):
            checks.add(q["key"], _l("Answer this question."))
        answers[q["key"]] = value if value not in ("",) else None
    checks.done()
    return dict(title=data.title.strip()[:200], summary=data.summary.strip()[:5000],
                beneficiaries=data.beneficiaries.strip()[:2000],
                beneficiary_count=int(data.beneficiary_count), town_id=data.town_id,
                budget_lines=[{"item": line["item"].strip()[:200],
                               "amount": str(line["amount"])} for line in lines],
                requested=requested, self_raised=raised,
                self_raised_source=data.self_raised_source.strip()[:2000],
                timeline=data.timeline.strip()[:5000], answers=answers)


def _store_uploads(session: Session, actor, application: GrantApplication,
                   uploads: dict) -> None:
    from market.documents.models import OwnerType
    from market.documents.storage import store_document

    answers = dict(application.answers)
    ids = list(application.document_ids or [])
    for key, upload in uploads.items():
        if upload is None:
            continue
        doc = store_document(session, upload, owner_type=OwnerType.GRANT_APPLICATION,
                             owner_id=application.id, purpose=f"grant-answer-{key}",
                             actor=actor)
        answers[key] = {"document_id": doc.id, "name": doc.original_name}
        ids.append(doc.id)
    application.answers = answers
    application.document_ids = ids


def create_application(session: Session, actor, round_id: int, data: ApplicationData
                       ) -> GrantApplication:
    org = applicant_organization(session, actor)
    grant_round = get_round(session, round_id, lock=True)
    at = now()
    _window(grant_round, at)
    _eligible(session, org, grant_round, at)
    _one_per_org(session, org, grant_round, None)
    clean = _clean_application(session, grant_round, data, None)
    application = GrantApplication(round_id=grant_round.id, organization_id=org.id,
                                   created_by_id=actor.id, status=ApplicationStatus.DRAFT,
                                   **clean)
    session.add(application)
    session.flush()
    _store_uploads(session, actor, application, data.uploads)
    record(session, actor, "grant_application", application.id, "create",
           reason=clean["title"])
    return application


def _own_draft(session: Session, actor, application_id: int) -> GrantApplication:
    org = applicant_organization(session, actor)
    application = get_application(session, actor, application_id, lock=True)
    if application.organization_id != org.id:
        raise NotFound(_l("No such grant application."))
    return application


def edit_application(session: Session, actor, application_id: int, data: ApplicationData
                     ) -> GrantApplication:
    application = _own_draft(session, actor, application_id)
    if application.status != ApplicationStatus.DRAFT:
        raise Conflict(_l("Only a draft application can be edited."))
    _window(application.round, now())
    clean = _clean_application(session, application.round, data, application)
    for key, value in clean.items():
        setattr(application, key, value)
    _store_uploads(session, actor, application, data.uploads)
    record(session, actor, "grant_application", application.id, "edit")
    return application


def submit_application(session: Session, actor, application_id: int) -> GrantApplication:
    application = _own_draft(session, actor, application_id)
    if application.status != ApplicationStatus.DRAFT:
        raise Conflict(_l("Only a draft application can be submitted."))
    grant_round = get_round(session, application.round_id, lock=True)
    at = now()
    _window(grant_round, at)
    _eligible(session, application.organization, grant_round, at)
    _one_per_org(session, application.organization, grant_round, application.id)
    for q in grant_round.questions:
        if q["required"] and application.answers.get(q["key"]) in (None, ""):
            raise Invalid(_l("Answer every required question before submitting."))
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = at
    record(session, actor, "grant_application", application.id, "submit")
    return application


def withdraw_application(session: Session, actor, application_id: int) -> GrantApplication:
    application = _own_draft(session, actor, application_id)
    if application.status == ApplicationStatus.WITHDRAWN:
        raise Conflict(_l("This application is already withdrawn."))
    _window(application.round, now())
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = now()
    record(session, actor, "grant_application", application.id, "withdraw")
    return application


def may_read_document(session: Session, user, doc) -> bool:
    """An application's attachments: its organization's users and civil affairs."""
    application = session.get(GrantApplication, doc.owner_id)
    return application is not None and may_read(user, application)

