"""Test data, made the way the platform makes it.

Two kinds of builders:

* factory_boy factories for rows a test may simply have (an organization, a user, an
  evaluator agency, a grade, an annual report). They write through the test's own session:
  the ``session`` fixture binds it (``bind``) and ``ModelFactory.Meta`` reads it back, so
  ``OrganizationFactory()`` works in any test that asks for ``session``. They flush; they do
  not commit. Users go through ``accounts.services.create_user`` (hashed password, audit
  entry), never a bare ``User(...)``.
* plain functions for states that only services may make: an approved catalog (its
  appropriation is a ledger posting), a published tender, sealed bids, an opened and scored
  tender, an award, a signed contract, an accepted milestone, an assigned evaluation. They
  take the session as the services do, call the services, and commit, so what a test then
  reads through HTTP is really there. Nothing here writes a ledger row itself.

Lookups of the demo's data (``user``, ``demo_item``, ``town_id``) and the registry's HTTP
driver (``Registry``) live here too; read-only helpers that compare the database before and
after a step live in ``tests/probes/__init__.py``.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Department, EvaluatorAgency, Town, User
from market.access.permissions import Role
from market.accounts.services import create_user
from market.catalogs import services as catalogs
from market.catalogs.models import Catalog, CatalogItem
from market.clock import today_local
from market.documents.models import Document
from market.grading.grades import record_grade
from market.grading.models import OrgGrade
from market.orgs import credit_code
from market.orgs.demo import minimal_pdf
from market.orgs.enums import Category, InspectionResult, LegalForm, OrgStatus, Track
from market.orgs.models import AnnualReport, Application, Organization

# --- the demo's people ---------------------------------------------------------------------

PASSWORD = "demo-pass-2026"  # every demo user's, and the default of UserFactory
APPLICANT_PASSWORD = "long-enough-1"  # the registry tests' applicants
USER_OF_ROLE = {"civil_affairs": "civil", "town_officer": "town", "finance": "finance",
                "department": "dept", "organization": "org", "evaluator": "evaluator",
                "expert": "expert", "auditor": "auditor"}
PDF = minimal_pdf("test document")


def user(session: Session, username: str) -> User:
    """A user by name (usually one of the demo's: civil, dept, finance, evaluator ...)."""
    return session.scalar(select(User).where(User.username == username))


def town_id(session: Session, town_code: str = "YS") -> int:
    return session.scalar(select(Town.id).where(Town.code == town_code))


def demo_item(session: Session, dept_code: str = "WJW", position: int = 2,
              fy: int = 2026) -> CatalogItem:
    """An item of a demo catalog (WJW 2026: item 1 needs 3A+, item 2 does not)."""
    return session.scalar(select(CatalogItem).join(Catalog).join(Department).where(
        Department.code == dept_code, Catalog.fiscal_year == fy,
        CatalogItem.position == position))


def bid_of(session: Session, tender, org_user: User):
    from market.tenders.models import Bid

    return session.scalar(select(Bid).where(Bid.tender_id == tender.id,
                                            Bid.organization_id == org_user.organization_id))


# --- factories on the test's session ------------------------------------------------------

_bound: Session | None = None


def bind(session: Session | None) -> None:
    """Make ``session`` the one every factory writes through (the ``session`` fixture)."""
    global _bound
    _bound = session


def bound_session() -> Session:
    if _bound is None:
        raise RuntimeError("factories write through the test's session: ask for the "
                           "`session` fixture")
    return _bound


class ModelFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = bound_session
        sqlalchemy_session_persistence = "flush"


class EvaluatorAgencyFactory(ModelFactory):
    class Meta:
        model = EvaluatorAgency

    name = factory.Sequence(lambda n: f"测试评估机构{n:05d}")


class UserFactory(ModelFactory):
    """A user made by ``create_user``. Affiliations by id or by object:
    ``UserFactory(role=Role.EVALUATOR, agency=agency)``."""

    class Meta:
        model = User

    role = Role.ORGANIZATION
    username = factory.LazyAttributeSequence(lambda o, n: f"{Role(o.role).value}-{n:05d}")
    display_name = factory.Sequence(lambda n: f"测试用户{n:05d}")
    password = PASSWORD

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        for relation in ("department", "town", "agency", "organization"):
            if relation in kwargs:
                related = kwargs.pop(relation)
                kwargs[f"{relation}_id"] = related.id if related is not None else None
        return create_user(session, **kwargs)


class ExpertFactory(UserFactory):
    role = Role.EXPERT
    display_name = factory.Sequence(lambda n: f"评审专家{n:05d}")


class EvaluatorFactory(UserFactory):
    role = Role.EVALUATOR
    agency = factory.SubFactory(EvaluatorAgencyFactory)


def _org_code(org, n: int) -> str | None:
    if org.track == Track.FILED:
        return None  # filed community organizations have no credit code
    return credit_code.build("5", "2", "320583", f"F{n:07d}")


class OrganizationFactory(ModelFactory):
    """An active registered charity in 玉山镇, registered on 2020-01-01. ``grade=N`` records
    a grade valid from a year ago (as an imported legacy grade)."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试公益服务社{n:05d}")
    track = Track.REGISTERED
    legal_form = factory.LazyAttribute(
        lambda o: None if o.track == Track.FILED else LegalForm.SOCIAL_SERVICE)
    credit_code = factory.LazyAttributeSequence(_org_code)
    category = Category.CHARITY
    town_id = factory.LazyFunction(lambda: town_id(bound_session()))
    legal_representative = "张三"
    contact_name = "李四"
    contact_phone = "0512-57000000"
    office_address = "玉山镇测试路1号"
    status = OrgStatus.ACTIVE
    registered_on = dt.date(2020, 1, 1)

    @factory.post_generation
    def grade(org, create, extracted, **kwargs):
        if create and extracted:
            record_grade(bound_session(), org.id, extracted,
                         dt.date.today() - dt.timedelta(days=365), source="legacy")


class OrgGradeFactory(ModelFactory):
    """A grade row as it stands (for a validity window ``record_grade`` would not make)."""

    class Meta:
        model = OrgGrade

    organization_id = factory.LazyFunction(lambda: OrganizationFactory().id)
    grade = 4
    valid_from = dt.date(2021, 1, 1)
    valid_until = factory.LazyAttribute(lambda g: g.valid_from.replace(year=g.valid_from.year + 5))
    source = "legacy"


class DocumentFactory(ModelFactory):
    """The row of a stored document (no file behind it)."""

    class Meta:
        model = Document

    owner_type = "annual_report"
    owner_id = 0
    purpose = "audit_report"
    original_name = "a.pdf"
    stored_name = factory.Sequence(lambda n: f"stored-{n:08d}")
    mimetype = "application/pdf"
    extension = "pdf"
    size = 1
    sha256 = "0" * 64


class AnnualReportFactory(ModelFactory):
    """One annual report per organization and year: a test that states a year's report
    replaces the one ``org_member`` gave by default (accepted reports for three years)."""

    class Meta:
        model = AnnualReport

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        session = cls._meta.sqlalchemy_session_factory()
        org = kwargs.get("organization")
        if org is not None and org.id is not None:
            existing = session.scalar(select(AnnualReport).where(
                AnnualReport.organization_id == org.id,
                AnnualReport.year == kwargs.get("year")))
            if existing is not None:
                session.delete(existing)
                session.flush()
        return super()._create(model_class, *args, **kwargs)

    organization = factory.SubFactory(OrganizationFactory)
    year = 2025
    income = Decimal("1")
    expenditure = Decimal("1")
    net_assets = Decimal("1")
    staff_count = 1
    audit_report = factory.SubFactory(DocumentFactory)
    result = InspectionResult.PASS


# --- organizations and the people acting for them -----------------------------------------

# Eligible for grading from 2025-01-01, listed for clearance only from 2028-01-01.
MEMBER_REGISTERED_ON = dt.date(2023, 1, 1)


def accepted_reports(org: Organization, years=None) -> None:
    """Accepted (合格) annual reports of a registered organization for ``years`` (default:
    the three years before today's), the provider condition every bidder must meet."""
    if org.track != Track.REGISTERED:
        return
    last = today_local().year - 1
    for year in years or range(last - 2, last + 1):
        if org.registered_on is None or year >= org.registered_on.year:
            AnnualReportFactory(organization=org, year=year)


def org_member(session: Session, name: str | None = None, *, grade: int = 0,
               username: str | None = None, reports: bool = True,
               **fields) -> tuple[Organization, User]:
    """An organization (``OrganizationFactory`` fields) and a user acting for it; committed.

    Made to bid (the provider conditions of market/tenders/eligibility.py): registered on
    ``MEMBER_REGISTERED_ON`` unless told (an ungraded organization registered earlier would
    be on the clearance list, 清退) and, with ``reports``, accepted annual reports for the
    last three years."""
    if name is not None:
        fields["name"] = name
    fields.setdefault("registered_on", MEMBER_REGISTERED_ON)
    org = OrganizationFactory(grade=grade, **fields)
    if reports:
        accepted_reports(org)
    member = UserFactory(role=Role.ORGANIZATION, organization=org,
                         display_name=f"{org.name}联系人",
                         **({"username": username} if username else {}))
    session.commit()
    return org, member


def org_members(session: Session, n: int, **kwargs) -> list[tuple[Organization, User]]:
    return [org_member(session, **kwargs) for _ in range(n)]


TEST_SPECIALTY = "social_work"


def new_experts(session: Session, count: int = 5, specialty: str = TEST_SPECIALTY,
                **pool) -> list[User]:
    """``count`` expert users, each in the expert pool with ``specialty`` (and ``pool``:
    PoolExpert fields such as ``employer_org_id``)."""
    from market.experts.models import PoolExpert

    experts = ExpertFactory.create_batch(count)
    session.flush()
    for e in experts:
        session.add(PoolExpert(user_id=e.id, specialties=[specialty],
                               employer_name=pool.pop("employer_name", "苏州大学"), **pool))
    session.commit()
    return experts


def draw_committee(session: Session, tender, members: int = 5, representatives=(),
                   specialty: str = TEST_SPECIALTY):
    """The department draws the committee (the pool must hold enough experts)."""
    from market.tenders.scoring import committee

    draw = committee.draw_committee(session, user(session, "dept"), tender.id, specialty,
                                    members, representatives)
    session.commit()
    return draw


# --- catalogs (appropriations are ledger postings: only through the services) -------------

def item_data(**overrides) -> catalogs.ItemData:
    """A health-education item of 500,000.00 for charities and community organizations."""
    fields = dict(service_category="health", title="社区健康宣教服务",
                  description="健康讲座与慢病管理", quantity="100", unit="场次",
                  budget="500000.00", eligible_categories=["charity", "community"],
                  min_grade=0)
    fields.update(overrides)
    return catalogs.ItemData(**fields)


def approved_catalog(session: Session, *items: catalogs.ItemData,
                     fiscal_year: int = 2028) -> list[CatalogItem]:
    """The demo department drafts a catalog of ``items``, finance approves (appropriates) it."""
    dept, finance = user(session, "dept"), user(session, "finance")
    catalog = catalogs.create_catalog(session, dept, fiscal_year)
    made = [catalogs.add_item(session, dept, catalog.id, data) for data in items]
    catalogs.submit_catalog(session, dept, catalog.id)
    catalogs.approve_catalog(session, finance, catalog.id)
    public_intentions(session, made)
    session.commit()
    return made


def public_intentions(session: Session, items, *, days_ago: int | None = None) -> None:
    """The department publishes each item's procurement intention (采购意向), dated back
    ``days_ago`` days (default: a year past the waiting period, so tenders may be published
    now and in tests that travel some months back)."""
    from market import policy
    from market.clock import now

    if days_ago is None:
        days_ago = policy.value("intention_public_days") + 365
    for item in items:
        catalogs.publish_intention(session, user(session, "dept"), item.id,
                                   item.description or item.title,
                                   f"{item.catalog.fiscal_year}-06")
        item.intention_published_at = now() - dt.timedelta(days=days_ago)
    session.flush()


def budget_item(session: Session, budget: str = "500000.00",
                title: str = "社区健康宣教服务") -> CatalogItem:
    """A fresh FY2028 catalog item of the demo department, approved: its own balances."""
    return approved_catalog(session, item_data(budget=budget, title=title))[0]


ITEM_FORM = {
    "service_category": "elderly", "title": "社区居家养老服务", "description": "助餐、助浴、探访",
    "quantity": "12000", "unit": "人次", "budget": "600000.00",
    "eligible_categories": ["charity", "community"], "min_grade": "3",
}


def approve_catalog_through_http(client, auth, session: Session, fiscal_year: int = 2028,
                                 items: tuple[dict, ...] = (ITEM_FORM,)) -> CatalogItem:
    """The demo department drafts and submits a catalog through its pages, finance approves
    it; returns its first item. Leaves the client logged out."""
    auth.login("dept")
    client.post("/catalogs/new", data={"fiscal_year": str(fiscal_year)})
    catalog = session.scalar(select(Catalog).where(Catalog.fiscal_year == fiscal_year))
    for item in items:
        assert client.post(f"/catalogs/{catalog.id}/items", data=item).status_code == 302
    assert client.post(f"/catalogs/{catalog.id}/submit").status_code == 302
    auth.logout()
    auth.login("finance")
    assert client.post(f"/catalogs/{catalog.id}/approve").status_code == 302
    auth.logout()
    session.expire_all()
    items = session.scalars(select(CatalogItem).where(CatalogItem.catalog_id == catalog.id)
                            .order_by(CatalogItem.position)).all()
    public_intentions(session, items)
    session.commit()
    return items[0]


# --- tenders and bids ---------------------------------------------------------------------

CRITERIA = [("报价", "30", True), ("服务方案", "40", False), ("团队与经验", "30", False)]
# The standstill and challenge window the award tests were written for (stated, not defaulted).
AWARD_PERIODS = {"standstill_days": 7, "challenge_window_days": 7}


def tender_terms(clock, **overrides) -> dict:
    """Valid terms: questions for 5 days, bids for 10, opening 1 hour later; price 30 %."""
    base = clock.now
    data = dict(
        title="社区健康宣教服务采购", description="面向社区居民的健康讲座与慢病管理小组。",
        procedure="open", ceiling_price="300000.00",
        clarification_deadline=base + dt.timedelta(days=5),
        bid_deadline=base + dt.timedelta(days=10),
        opening_time=base + dt.timedelta(days=10, hours=1),
        priority_rule="price_deduction", priority_value=None, criteria=list(CRITERIA))
    data.update(overrides)
    return data


def new_tender(session: Session, clock, *, item: CatalogItem | None = None,
               dept_user: str = "dept", publish: bool = True, dept_code: str = "WJW",
               position: int = 2, legacy: bool = False, documents: bool = True,
               **overrides):
    """A tender on ``item`` (default: a demo 2026 item), published unless told otherwise.

    ``legacy``: published as the platform did before budget reservations (issue 10 part 8)
    — the status set with no reservation in the ledger, as such tenders sit in existing
    databases.
    """
    from market.tenders import tender_services
    from market.tenders.models import TenderStatus

    actor = user(session, dept_user)
    item = item or demo_item(session, dept_code, position)
    tender = tender_services.create_tender(session, actor, item.id,
                                           tender_terms(clock, **overrides))
    if documents:
        attach_tender_document(session, actor, tender)
    if publish and legacy:
        tender.status, tender.published_at = TenderStatus.PUBLISHED, clock.now
    elif publish:
        tender_services.publish_tender(session, actor, tender.id)
    session.commit()
    return tender


def attach_tender_document(session: Session, actor, tender) -> None:
    """The tender document (招标文件) publication requires."""
    from market.tenders.demo import attach_demo_document

    attach_demo_document(session, actor, tender)


def place_bid(session: Session, org_user: User, tender, price="250000.00",
              proposal="我们的服务方案。", documents=()):
    from market.tenders import bid_services

    bid = bid_services.submit_bid(session, org_user, tender.id, price, proposal, documents)
    session.commit()
    return bid


def opened_tender(session: Session, clock, item: CatalogItem, bids, legacy: bool = False,
                  **overrides):
    """A published tender on ``item`` with ``bids`` [(user, price)], opened after its
    opening time."""
    from market.tenders import tender_services

    tender = new_tender(session, clock, item=item, legacy=legacy,
                        **{**AWARD_PERIODS, **overrides})
    for bidder, price in bids:
        place_bid(session, bidder, tender, price, f"{bidder.display_name}的服务方案")
    clock.travel(tender.opening_time + dt.timedelta(minutes=5))
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    return tender


def score_bids(session: Session, tender, experts, marks,
               specialty: str = TEST_SPECIALTY) -> None:
    """Draw a committee of five from the pool (``experts``: pool experts made for it,
    see ``new_experts``; ``specialty``: theirs); each drawn expert declares no conflict
    and gives every bid ``marks[user]`` (a tuple of technical scores in criterion order),
    the same from all."""
    from market.tenders.scoring import services as scoring

    draw_committee(session, tender, specialty=specialty)
    technical = [c for c in tender.criteria if not c.is_price]
    for e in [seat.expert for seat in scoring.active_experts(session, tender)]:
        scoring.declare(session, e, tender.id, set())
        scores = {}
        for bidder, values in marks.items():
            bid = bid_of(session, tender, bidder)
            for c, v in zip(technical, values, strict=True):
                scores[(bid.id, c.id)] = v
        scoring.submit_scores(session, e, tender.id, scores)
        session.commit()


def awarded_tender(session: Session, clock, item: CatalogItem, legacy: bool = False,
                   **overrides):
    """Three bidders (A 4A, B and C ungraded), scored by three experts, A awarded."""
    from market.tenders.scoring import award as awards

    _, a = org_member(session, grade=4)
    _, b = org_member(session)
    _, c = org_member(session)
    tender = opened_tender(session, clock, item, [(a, "240000.00"), (b, "250000.00"),
                                                  (c, "260000.00")], legacy=legacy,
                           **overrides)
    score_bids(session, tender, new_experts(session),
               {a: ("35", "25"), b: ("30", "20"), c: ("28", "20")})
    awards.award_tender(session, user(session, "dept"), tender.id,
                        bid_of(session, tender, a).id)
    session.commit()
    return tender, {"a": a, "b": b, "c": c}


# --- contracts ----------------------------------------------------------------------------

SCHEDULE = [("预付款", "30", dt.date(2028, 3, 1), False),
            ("中期交付", "40", dt.date(2028, 7, 1), False),
            ("结项验收", "30", dt.date(2028, 12, 1), True)]


def milestones(schedule=SCHEDULE):
    """``schedule`` rows as the contract service takes them."""
    from market.contracts.services import MilestoneData

    return [MilestoneData(*row) for row in schedule]


def signed_contract(session: Session, clock, item: CatalogItem, schedule=SCHEDULE, *,
                    accepted: bool = True):
    """A's contract after the standstill (240,000.00: 72,000 / 96,000 / 72,000, the last
    gated by a third-party evaluation), accepted (countersigned) by A unless ``accepted``
    is False."""
    from market.contracts.services import accept_contract, sign_contract

    tender, bidders = awarded_tender(session, clock, item)
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    contract = sign_contract(session, user(session, "dept"), tender.id, milestones(schedule))
    if accepted:
        accept_contract(session, bidders["a"], contract.id, True, "demo-pass-2026")
    session.commit()
    return contract, bidders


def deliver_and_accept(session: Session, contract, number: int, contractor: User) -> None:
    from market.contracts import payments

    payments.submit_deliverables(session, contractor, contract.id, number, "交付成果")
    payments.decide_deliverables(session, user(session, "dept"), contract.id, number, True)
    session.commit()


def assign_evaluation(session: Session, contract, number: int, *, fee=None, fee_item=None,
                      agency_user: str = "evaluator"):
    """The department requests a performance evaluation of milestone ``number``; civil
    affairs assigns the agency of ``agency_user`` (the demo evaluator's, by default)."""
    from market.performance import services as performance

    req = performance.request_evaluation(session, user(session, "dept"), contract.id, number)
    performance.assign_agency(session, user(session, "civil"), req.id,
                              user(session, agency_user).agency_id, fee,
                              fee_item.id if fee_item is not None else None)
    session.commit()
    return req


# --- the registry, through its pages ------------------------------------------------------

def kunshan_code(n: int, type_char: str = "2") -> str:
    """A valid credit code issued by civil affairs in Kunshan (type 2: social service)."""
    return credit_code.build("5", type_char, "320583", f"MA1{n:05d}")


def wrong_check(value: str) -> str:
    """The same code with a wrong check character."""
    return value[:17] + ("0" if value[17] != "0" else "1")


def _form(data: dict, overrides: dict) -> dict:
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def registration_form(session: Session, **overrides) -> dict:
    """The registration form of 昆山市测试公益服务中心 (an override of None drops a field)."""
    return _form({
        "name": "昆山市测试公益服务中心", "credit_code": kunshan_code(1),
        "legal_form": "social_service", "category": "charity", "industry_code": "",
        "town_id": str(town_id(session)), "legal_representative": "王小明",
        "contact_name": "李四", "contact_phone": "0512-57001234",
        "office_address": "玉山镇前进路1号", "bank_name": "中国银行昆山分行",
        "bank_account": "6216 6100 0001 2345", "supervising_unit": "",
        "no_official_declared": "y", "party_org_established": "y",
    }, overrides)


def filing_form(session: Session, town: str = "YS", **overrides) -> dict:
    """The filing form of 玉山镇测试社区文体队, a community organization of ``town``."""
    return _form({
        "name": "玉山镇测试社区文体队", "category": "community",
        "town_id": str(town_id(session, town)), "legal_representative": "赵大妈",
        "contact_name": "赵大妈", "contact_phone": "13800001111",
        "office_address": "玉山镇朝阳社区活动室",
    }, overrides)


class Registry:
    """Drives the registry through HTTP as different users (the ``registry`` fixture)."""

    def __init__(self, app, session: Session):
        self.app, self.session = app, session

    def client_for(self, username: str, password: str = PASSWORD):
        client = self.app.test_client()
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"login as {username} failed"
        return client

    def applicant(self, username: str = "applicant-x"):
        """A new organization user, signed in."""
        UserFactory(username=username, display_name=username, password=APPLICANT_PASSWORD)
        self.session.commit()
        return self.client_for(username, APPLICANT_PASSWORD)

    def apply(self, client, form: dict, kind: str = "registration"):
        return client.post(f"/my/apply/{kind}", data=form, content_type="multipart/form-data")

    def latest_application(self, name: str) -> Application:
        self.session.expire_all()
        return self.session.scalar(select(Application).join(Application.organization)
                                   .where(Organization.name == name)
                                   .order_by(Application.id.desc()))

    def decide(self, client, application: Application, decision: str, reason: str = ""):
        kind = "registration" if application.track.value == "registered" else "filing"
        return client.post(f"/registry/applications/{application.id}/{kind}-decision",
                           data={"decision": decision, "reason": reason,
                                 **({"confirmed": "y"} if decision == "approve" else {})})

    def active_org(self, username: str = "applicant-x", **overrides) -> Organization:
        """Sign up, apply and get approved by civil affairs: an active registered org."""
        client = self.applicant(username)
        form = registration_form(self.session, **overrides)
        assert self.apply(client, form).status_code == 302
        application = self.latest_application(form["name"])
        assert self.decide(self.client_for("civil"), application, "approve").status_code == 302
        self.session.expire_all()
        return self.session.get(Organization, application.organization_id)


def amend_keeping_terms(session: Session, tender, **changes) -> None:
    """Amend ``tender`` (更正公告) with its terms as they are, a new description and any
    ``changes``: the tender's version moves, bids must reconfirm."""
    from market.tenders import tender_services

    tender_services.amend_tender(session, user(session, "dept"), tender.id, dict(
        title=tender.title, description="新增服务要求", procedure="open",
        ceiling_price=str(tender.ceiling_price),
        clarification_deadline=tender.clarification_deadline,
        bid_deadline=tender.bid_deadline, opening_time=tender.opening_time,
        priority_rule=tender.priority_rule.value,
        criteria=[(c.name, c.weight, c.is_price) for c in tender.criteria], **changes),
        "新增服务要求")
    session.commit()
