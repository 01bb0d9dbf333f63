"""The scale seeder (规模数据): a city or a province of data, fast, with every invariant kept.

``flask seed-scale --size city|province|N`` fills a migrated database whose ledger is still
empty: N organizations (city 2,000; province 100,000) and, in the province's proportions,
departments (N/50), catalog items (N/5), tenders (N), bids (10 a tender), contracts (about
nine tenders in ten), grade evaluations (N/2) and a ledger of about ten entries a tender.
Rows go in through bulk Core inserts, not the services, yet every row is what a service
would have written:

* ledger entries are posted through ``ledger.operations`` to a ``ledger.bulk.BulkJournal``
  (the same accounts, links, metadata, chain and checks as the platform's own postings),
  in date order, so the export passes ``bean-check`` with the plugin and ``verify``;
* a bid's receipt is the SHA-256 of its canonical content (``tenders.receipts``);
* every grade row comes from an announced evaluation in that year's grade cycle, so the
  clearance list follows the rule of ``grading.services.clearance``.

Deterministic: the same size, seed and day give the same rows, but for the moments they were
written (``created_at`` of users, organizations, catalogs and ledger rows); the ledger's chain
head and the bids' receipts are the same. Tenders of the current fiscal year run from January to the day: most are contracted and partly paid (a payment
gated by an evaluation only after a passing one), the rest are open for bids.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from ledger import operations
from ledger.accounts import BudgetLine, Unit
from ledger.bulk import BulkJournal
from ledger.models import Transaction
from market import policy
from market.access.permissions import Role
from market.accounts.models import Department, Town, User
from market.accounts.services import hash_password
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus, ServiceCategory
from market.clock import LOCAL_TZ
from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus
from market.demo import DEMO_PASSWORD, seed_core
from market.errors import Conflict
from market.models import Base
from market.grading.models import EvaluationState, GradeCycle, GradeEvaluation, OrgGrade
from market.grading.services.clearance import add_years
from market.orgs import credit_code
from market.orgs.enums import Category, OrgStatus, Track
from market.orgs.models import Organization
from market.performance.models import PerformanceEvaluation
from market.tenders.models import Bid, BidStatus, Criterion, Procedure, PriorityRule, Tender, TenderStatus
from market.tenders.receipts import canonical_content, digest
from market.tenders.scoring.models import Award, BidResult

SIZES = {"city": 2_000, "province": 100_000}
BIDS_PER_TENDER = 10
CONTRACTED_SHARE = Decimal("0.9")
BATCH = 20_000
CENT = Decimal("0.01")
DEPT_NAMES = ["民政局", "卫生健康委员会", "教育局", "人力资源和社会保障局", "司法局",
              "文体广电和旅游局", "残疾人联合会", "妇女联合会", "团委", "住房和城乡建设局",
              "农业农村局", "退役军人事务局"]
SERVICES = ["居家养老服务", "困境儿童关爱", "残疾人康复", "社区矫正帮扶", "青少年社工服务",
            "社区健康宣教", "就业技能培训", "法律援助咨询", "文化惠民活动", "社区治理协商"]
CRITERIA = [("报价", Decimal("30"), True), ("服务方案", Decimal("40"), False),
            ("团队与经验", Decimal("30"), False)]
# Milestones: an advance on signing, a mid-term tranche and a final one, each of the last
# two gated by a third-party evaluation (绩效评价).
SCHEDULE = [(Decimal("40"), False, 30), (Decimal("30"), True, 90), (Decimal("30"), True, 150)]


@dataclass(frozen=True)
class Plan:
    """How much to write, and of what kind (``Plan.scaled``: the province's proportions)."""

    organizations: int
    departments: int
    items: int
    tenders: int
    grade_evaluations: int
    contracted_share: Decimal = CONTRACTED_SHARE
    #: of the tenders past their deadline, the share awarded but not yet contracted (the
    #: last ones of the year, inside their standstill)
    awarded_share: Decimal = Decimal("0")
    #: and the share opened, its committee yet to score (before the awarded ones)
    opened_share: Decimal = Decimal("0")
    schedule: tuple = tuple(SCHEDULE)
    #: per milestone that falls due: the chance it is paid late (five to eight weeks after
    #: its due day, or not yet), waits for its evaluation (gated, due within the last month,
    #: none recorded yet), or fails it (gated: the payment stays refused). The contract's
    #: later milestones wait behind one still unpaid (``_outcomes``).
    late_share: float = 0.0
    waiting_share: float = 0.0
    failed_share: float = 0.0
    #: (code, Chinese name, English name) of department ``d``; None: numbered bureaus
    department_names: Callable[[int], tuple[str, str, str]] | None = None
    #: the Chinese name of organization ``i``; None: numbered service centres
    organization_names: Callable[[int], str] | None = None

    @classmethod
    def scaled(cls, organizations: int) -> "Plan":
        departments = max(4, organizations // 50)
        return cls(organizations=organizations, departments=departments,
                   items=max(departments, organizations // 5), tenders=organizations,
                   grade_evaluations=organizations // 2)

    def department(self, d: int) -> tuple[str, str, str]:
        if self.department_names is not None:
            return self.department_names(d)
        code = f"S{d + 1:04d}"
        return code, f"{DEPT_NAMES[d % len(DEPT_NAMES)]}（{d // len(DEPT_NAMES) + 1}）", \
            f"Department {code}"

    def organization(self, i: int) -> str:
        if self.organization_names is not None:
            return self.organization_names(i)
        return f"昆山市第{i + 1}社会工作服务中心"


def plan_for(size: "str | Plan") -> Plan:
    if isinstance(size, Plan):
        return size
    if size in SIZES:
        return Plan.scaled(SIZES[size])
    try:
        n = int(size)
    except ValueError:
        n = 0
    if n < BIDS_PER_TENDER:
        raise Conflict(f"size must be city, province or a number of organizations ≥ "
                       f"{BIDS_PER_TENDER}, not {size!r}")
    return Plan.scaled(n)


class _Rows:
    """Batched Core inserts with ids assigned here (so rows can point at each other)."""

    def __init__(self, session: Session):
        self.session = session
        self.pending: dict = {}
        self.next_id: dict = {}

    def id(self, model) -> int:
        table = model.__table__
        if table not in self.next_id:
            self.next_id[table] = self.session.scalar(select(func.max(table.c.id))) or 0
        self.next_id[table] += 1
        return self.next_id[table]

    def add(self, model, **row) -> int:
        row.setdefault("id", self.id(model))
        self.pending.setdefault(model.__table__, []).append(row)
        if len(self.pending[model.__table__]) >= BATCH:
            self.flush()
        return row["id"]

    def finish(self) -> None:
        """Write what is pending; on PostgreSQL, move each id sequence past the ids given
        here (the services insert after us and let the database number their rows)."""
        self.flush()
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for table in self.next_id:
            self.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"GREATEST((SELECT max(id) FROM {table.name}), 1))"))

    def flush(self) -> None:
        order = {table: i for i, table in enumerate(Base.metadata.sorted_tables)}
        for table, rows in sorted(self.pending.items(), key=lambda kv: order[kv[0]]):
            if rows:
                keys = set().union(*rows)  # one statement: every row names every column
                self.session.execute(insert(table), [{k: r.get(k) for k in keys} for r in rows])
                self.pending[table] = []


def _day_at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LOCAL_TZ).astimezone(dt.timezone.utc)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 100).quantize(CENT)


def seed_scale(session: Session, size: "str | Plan", *, seed: int = 2026, today: dt.date | None = None,
               progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Fill the database (see the module docstring); returns the counts written."""
    plan = plan_for(size)
    today = today or dt.datetime.now(LOCAL_TZ).date()
    if session.scalar(select(func.count(Transaction.id))):
        raise Conflict("the ledger already holds entries: seed-scale fills a database whose "
                       "ledger is empty (run it on a fresh database, before the demo)")
    note = progress or (lambda _what, _n: None)
    rng = random.Random(seed)
    seed_core(session)
    session.flush()
    rows = _Rows(session)
    now = dt.datetime.now(dt.timezone.utc)
    fy = today.year
    finance = session.scalar(select(User).where(User.username == "finance"))
    towns = list(session.scalars(select(Town).order_by(Town.id)))
    password = hash_password(DEMO_PASSWORD)

    # Departments, one purchasing officer each (s-dept-N).
    departments = []
    for d in range(plan.departments):
        code, name, name_en = plan.department(d)
        dept_id = rows.add(Department, code=code, name_zh=name, name_en=name_en,
                           is_finance=False)
        username = f"s-dept-{d + 1}"
        user_id = rows.add(User, username=username, password_hash=password,
                           display_name=f"{name}采购专员", role=Role.DEPARTMENT.value,
                           department_id=dept_id, active=True, created_at=now,
                           session_version=0)
        departments.append(dict(id=dept_id, code=code, name=name, user_id=user_id,
                                username=username))
    note("departments", len(departments))

    # Organizations, one user each (s-org-N), registered over the last ten years.
    categories = [Category.CHARITY, Category.COMMUNITY, Category.SCIENCE, Category.INDUSTRY]
    orgs = []
    for i in range(plan.organizations):
        registered = today - dt.timedelta(days=rng.randint(200, 3650))
        code = credit_code.build("5", "2", "320583", f"B{i + 1:07d}")
        org_name = plan.organization(i)
        org_id = rows.add(
            Organization, name=org_name, credit_code=code,
            track=Track.REGISTERED.value, category=categories[i % len(categories)].value,
            town_id=towns[i % len(towns)].id, legal_representative="负责人",
            contact_name="联系人", contact_phone="0512-57000000",
            office_address=f"{towns[i % len(towns)].name_zh}公益路{i + 1}号",
            no_official_declared=True, party_org_established=False,
            status=OrgStatus.ACTIVE.value, registered_on=registered, created_at=now)
        user_id = rows.add(User, username=f"s-org-{i + 1}", password_hash=password,
                           display_name=f"第{i + 1}社工中心联系人",
                           role=Role.ORGANIZATION.value, organization_id=org_id, active=True,
                           created_at=now, session_version=0)
        orgs.append((org_id, code, user_id, registered, org_name))
    rows.flush()
    note("organizations", len(orgs))

    # Grades: half the organizations were graded in one of the last three cycles.
    cycles = {}
    for year in (fy - 3, fy - 2, fy - 1):
        cycle = session.scalar(select(GradeCycle).where(GradeCycle.year == year))
        cycles[year] = (cycle.id if cycle is not None else rows.add(
            GradeCycle, year=year, reference_date=dt.date(year, 6, 30), opened_at=now))
    rows.flush()
    validity = int(policy.value("grade_validity_years"))
    grades: dict[int, int] = {}
    for org_id, _code, _user, registered, _name in rng.sample(orgs, plan.grade_evaluations):
        year = rng.choice(sorted(cycles))
        announced = max(dt.date(year, 11, rng.randint(1, 28)),
                        registered + dt.timedelta(days=1))
        if announced >= today:
            continue
        grade = rng.choice([1, 2, 3, 3, 4, 4, 5])
        grade_id = rows.add(OrgGrade, organization_id=org_id, grade=grade,
                            valid_from=announced,
                            valid_until=add_years(announced, validity),  # 29 Feb → 28 Feb
                            source="evaluation", recorded_at=_day_at(announced),
                            correction=False)
        rows.add(GradeEvaluation, cycle_id=cycles[year], organization_id=org_id,
                 state=EvaluationState.ANNOUNCED.value, eligibility_reason="",
                 applied_at=_day_at(announced - dt.timedelta(days=120)),
                 total=Decimal(55 + grade * 8), proposed_grade=grade,
                 scored_at=_day_at(announced - dt.timedelta(days=30)),
                 announced_at=_day_at(announced), org_grade_id=grade_id)
        grades[org_id] = grade
    rows.flush()
    note("grade evaluations", len(grades))

    # Catalogs (one per department, approved), items, and the tenders they will fund.
    catalog_ids = {}
    for dept in departments:
        catalog_ids[dept["id"]] = rows.add(Catalog, department_id=dept["id"], fiscal_year=fy,
                                           status=CatalogStatus.APPROVED.value, created_at=now,
                                           approved_by_id=finance.id)
    items = []
    per_dept = -(-plan.items // len(departments))
    for dept in departments:
        for position in range(1, per_dept + 1):
            if len(items) == plan.items:
                break
            n = len(items)
            items.append(dict(id=rows.id(CatalogItem), catalog_id=catalog_ids[dept["id"]],
                              position=position, dept=dept, title=SERVICES[n % len(SERVICES)],
                              code=f"{dept['code']}-{fy}-{catalog_ids[dept['id']]}-{position:02d}",
                              category=list(ServiceCategory)[n % 9].value, ceilings=[]))
    start = dt.date(fy, 1, 10)
    span = max((today - start).days - 40, 1)
    contracted = int(plan.tenders * plan.contracted_share)
    awarded_only = int(contracted * plan.awarded_share)
    opened_only = int(contracted * plan.opened_share)
    tenders = []
    for t in range(plan.tenders):
        item = items[t % len(items)]
        if t >= contracted:
            phase = "open"
            published = today - dt.timedelta(days=rng.randint(1, 10))
        elif t >= contracted - awarded_only:  # awarded in the last days, standstill running
            phase = "awarded"
            published = today - dt.timedelta(days=26 + contracted - 1 - t)
        elif t >= contracted - awarded_only - opened_only:  # opened in the last days
            phase = "opened"
            published = today - dt.timedelta(days=22 + contracted - awarded_only - 1 - t)
        else:
            phase = "contracted"
            published = start + dt.timedelta(days=t * span // max(contracted, 1))
        ceiling = _money(rng, 1_000, 20_000)  # 100,000 to 2,000,000 yuan
        item["ceilings"].append(ceiling)
        tenders.append((item, phase, published, ceiling))
    for item in items:  # every ceiling, and some room left over
        item["budget"] = sum(item["ceilings"], Decimal("0.00")) + _money(rng, 100, 5_000)
        rows.add(CatalogItem, id=item["id"], catalog_id=item["catalog_id"],
                 position=item["position"], code=item["code"], service_category=item["category"],
                 title=item["title"], description="", quantity=Decimal("100"), unit="人次",
                 budget=item["budget"], eligible_categories=[c.value for c in categories],
                 min_grade=0,
                 # 采购意向: published on 1 December before the year, so every tender of the
                 # year waited its public period (intention_public_days) as the rule asks
                 intention_needs=f"{item['title']}：面向辖区居民提供专业服务。",
                 intention_month=dt.date(fy, 1 + item["position"] % 12, 1),
                 intention_published_at=_day_at(dt.date(fy - 1, 12, 1)))
    rows.flush()
    note("catalog items", len(items))

    world = _World(session=session, rows=rows, journal=BulkJournal(session.connection()),
                   rng=rng, fy=fy, today=today, now=now, finance=finance.username,
                   finance_id=finance.id, evaluator_id=session.scalar(
                       select(User.id).where(User.username == "evaluator")),
                   orgs=orgs, grades=grades, plan=plan)
    appropriation_day = dt.date(fy, 1, 2)
    for item in items:
        world.at(appropriation_day, _appropriate(world, item, appropriation_day))
    for number, (item, phase, published, ceiling) in enumerate(tenders, 1):
        _tender(world, item, phase, published, ceiling)
        if number % 10_000 == 0:
            note("tenders", number)
    rows.flush()
    note("tenders", len(tenders))

    shown = 0
    for day in sorted(world.by_day):
        for fn in world.by_day.pop(day):
            fn()
        if world.journal.seq - shown >= 10_000:
            shown = world.journal.seq
            note("ledger entries", shown)
    for row in world.milestones:
        rows.add(Milestone, **row)
    rows.flush()
    for row in world.evaluations:
        rows.add(PerformanceEvaluation, **row)
    rows.finish()
    counts = dict(departments=len(departments), organizations=len(orgs),
                  grade_evaluations=len(grades), catalog_items=len(items),
                  tenders=len(tenders), bids=world.bids, contracts=world.contracts,
                  ledger_entries=world.journal.finish())
    note("ledger entries", counts["ledger_entries"])
    if session.get_bind().dialect.name == "postgresql":
        # Planner statistics for what was just loaded: without them PostgreSQL plans the
        # pages for the tables it last saw (the public tender list estimated 28,521 rows
        # of 100,000 and chose its plan on that).
        session.execute(text("ANALYZE"))
    return counts


@dataclass
class _World:
    session: Session
    rows: _Rows
    journal: BulkJournal
    rng: random.Random
    fy: int
    today: dt.date
    now: dt.datetime
    finance: str
    finance_id: int
    evaluator_id: int | None
    orgs: list
    grades: dict
    plan: Plan
    bids: int = 0
    contracts: int = 0

    def __post_init__(self):
        self.by_day: dict[dt.date, list[Callable[[], None]]] = {}
        self.milestones: list[dict] = []
        self.evaluations: list[dict] = []
        self.references: dict[str, int] = {}

    def at(self, day: dt.date, fn: Callable[[], None]) -> None:
        if day <= self.today:
            self.by_day.setdefault(day, []).append(fn)


def _line(item) -> BudgetLine:
    dept = item["dept"]
    return BudgetLine(fy=int(item["code"].split("-")[-3]), dept=Unit(dept["code"], dept["name"]),
                      item=Unit(item["code"], item["title"]))


def _appropriate(world: _World, item, day: dt.date) -> Callable[[], None]:
    def post():
        operations.appropriate(world.journal, day, _line(item), item["budget"],
                               links=[f"catalog-{item['catalog_id']}"],
                               meta={"catalog_item": item["code"], "approved_by": world.finance})
    return post


def _tender(world: _World, item, phase: str, published: dt.date, ceiling: Decimal) -> None:
    """One tender with its bids; unless open, its award, and unless only awarded, its
    contract and milestones — the rows now, the ledger entries (and the rows that keep
    their ids) on their days."""
    rows, rng, dept = world.rows, world.rng, item["dept"]
    is_open = phase == "open"
    status = {"open": TenderStatus.PUBLISHED, "opened": TenderStatus.OPENED,
              "awarded": TenderStatus.AWARDED, "contracted": TenderStatus.CONTRACTED}[phase]
    decided = phase in ("awarded", "contracted")
    prefix = f"KS-{dept['code']}-{world.fy}-"
    world.references[prefix] = world.references.get(prefix, 0) + 1
    reference = f"{prefix}{world.references[prefix]:03d}"
    # 等标期: at least the open procedure's minimum from publication to the bid deadline
    period = int(policy.value("tender_period_min_days_open"))
    deadline = published + dt.timedelta(days=period + (rng.randint(0, 10) if is_open else 0))
    opening = _day_at(deadline, 15)
    awarded, signed = published + dt.timedelta(days=25), published + dt.timedelta(days=35)
    tender_id = rows.id(Tender)
    rows.add(Tender, id=tender_id, catalog_item_id=item["id"], department_id=dept["id"],
             reference=reference, title=f"{item['title']}采购项目", description="",
             procedure=Procedure.OPEN.value, ceiling_price=ceiling,
             eligible_categories=[c.value for c in (Category.CHARITY, Category.COMMUNITY,
                                                    Category.SCIENCE, Category.INDUSTRY)],
             min_grade=0, allow_filed=False, accept_basic_pass_report=False,
             priority_rule=PriorityRule.PRICE_DEDUCTION.value, priority_value=Decimal("6"),
             clarification_deadline=_day_at(deadline - dt.timedelta(days=10), 17),
             bid_deadline=_day_at(deadline, 14), opening_time=opening,
             standstill_days=7, challenge_window_days=7,
             status=status.value,
             version=1, created_at=_day_at(published, 9), created_by_id=dept["user_id"],
             published_at=_day_at(published),
             opened_at=None if is_open else opening,
             awarded_at=_day_at(awarded) if decided else None,
             standstill_ends_at=_day_at(awarded + dt.timedelta(days=7)) if decided else None,
             challenge_deadline=_day_at(awarded + dt.timedelta(days=9)) if decided else None)
    criteria = [rows.add(Criterion, tender_id=tender_id, position=i, name=name, weight=weight,
                         is_price=is_price) for i, (name, weight, is_price) in enumerate(CRITERIA, 1)]
    line, unit = _line(item), Unit(f"tender-{tender_id}", reference)
    links = [f"catalog-{item['catalog_id']}"]
    world.at(published, lambda: operations.reserve(
        world.journal, published, line, unit, ceiling, links=links,
        meta={"tender": reference, "by": dept["username"]}))

    bidders = rng.sample(world.orgs, rng.randint(1, BIDS_PER_TENDER) if is_open
                         else BIDS_PER_TENDER)
    bids = []
    names = {}
    for org_id, code, user_id, _registered, name in bidders:
        names[org_id] = name
        price = (ceiling * Decimal(rng.randint(80, 99)) / 100).quantize(CENT)
        proposal = f"{item['title']}服务方案（{reference}）"
        bid_id = rows.add(Bid, tender_id=tender_id, organization_id=org_id,
                          submitted_by_id=user_id, status=BidStatus.SUBMITTED.value,
                          price=price, proposal=proposal, document_ids=[],
                          receipt_hash=digest(canonical_content(
                              tender_reference=reference, organization_code=code, price=price,
                              proposal=proposal, document_hashes=[], tender_version=1)),
                          tender_version=1,
                          submitted_at=_day_at(published + dt.timedelta(days=rng.randint(1, 4))),
                          valid=None if is_open else True,
                          grade_at_deadline=world.grades.get(org_id, 0),
                          grade_frozen_at=None if is_open else opening)
        bids.append((bid_id, org_id, price))
    world.bids += len(bids)
    if not decided:
        return

    # Scores and ranking: technical marks at random, the price score against the lowest.
    lowest = min(price for _b, _o, price in bids)
    results = []
    for bid_id, org_id, price in bids:
        technical = Decimal(rng.randint(4000, 6800)) / 100
        price_score = (Decimal("30") * lowest / price).quantize(CENT)
        results.append((technical + price_score, bid_id, org_id, price, technical, price_score))
    results.sort(key=lambda r: (-r[0], r[1]))
    for rank, (total, bid_id, org_id, price, technical, price_score) in enumerate(results, 1):
        grade = world.grades.get(org_id, 0)
        rows.add(BidResult, tender_id=tender_id, bid_id=bid_id, grade=grade,
                 priority=grade >= 3, valid=True, excluded_reason=None,
                 criterion_scores={str(criteria[1]): str(technical * 4 / 7),
                                   str(criteria[2]): str(technical * 3 / 7)},
                 technical=technical, price=price, evaluated_price=price,
                 price_score=price_score, bonus=Decimal("0"), total=total, rank=rank,
                 plain_total=total, plain_rank=rank)
    _total, win_bid, win_org, amount, _t, _p = results[0]
    award_id = rows.add(Award, tender_id=tender_id, bid_id=win_bid, rank=1,
                        awarded_at=_day_at(awarded), awarded_by_id=dept["user_id"])
    if ceiling > amount:
        world.at(awarded, lambda: operations.unreserve(
            world.journal, awarded, line, unit, ceiling - amount, links=links,
            meta={"tender": reference, "by": dept["username"],
                  "reason": f"award_bid_{win_bid}"}))
    if phase == "awarded":
        return

    contract_id = rows.id(Contract)
    code = f"contract-{contract_id}"
    contract_unit, contract_links = Unit(code), [f"tender-{tender_id}"]
    schedule = world.plan.schedule
    amounts = [(amount * percent / 100).quantize(CENT) for percent, _g, _d in schedule[:-1]]
    amounts.append(amount - sum(amounts, Decimal("0.00")))
    org_name = names[win_org]
    dues = [signed + dt.timedelta(days=days) for _p, _g, days in schedule]
    outcomes = _outcomes(world, schedule, dues)
    paid_on = [day for _kind, day in outcomes]
    paid_all = paid_on[-1] is not None
    rows.add(Contract, id=contract_id, tender_id=tender_id, award_id=award_id, bid_id=win_bid,
             organization_id=win_org, department_id=dept["id"], catalog_item_id=item["id"],
             amount=amount,
             status=(ContractStatus.COMPLETED if paid_all else ContractStatus.ACTIVE).value,
             signed_at=_day_at(signed), signed_by_id=dept["user_id"],
             closed_at=_day_at(paid_on[-1], 16) if paid_all else None)
    world.contracts += 1
    for number, ((percent, gated, _days), part, due, (outcome, pay_day)) in enumerate(
            zip(schedule, amounts, dues, outcomes, strict=True), 1):
        milestone = dict(id=world.rows.id(Milestone), contract_id=contract_id, number=number,
                         title=f"第{number}期", percent=percent, amount=part, due_date=due,
                         needs_evaluation=gated,
                         status=(MilestoneStatus.PENDING if outcome == "pending"
                                 else MilestoneStatus.ACCEPTED).value)  # paid on its day
        world.milestones.append(milestone)
        gate = f"{code}/m{number}" if gated else None
        meta = {"organization": org_name[:100], "signed_by": dept["username"]}
        if gated:
            meta["milestone"] = str(number)
        world.at(signed, lambda part=part, gate=gate, meta=meta: operations.commit(
            world.journal, signed, line, contract_unit, part, gate=gate, reservation=unit,
            links=contract_links, meta=meta))
        if gated and outcome in ("paid", "late", "failed"):
            world.at(due - dt.timedelta(days=3), _evaluate(
                world, milestone, gate, due - dt.timedelta(days=3), outcome != "failed"))
        if pay_day is not None:
            world.at(pay_day, _pay(world, milestone, line, contract_unit, contract_links, gate,
                                   pay_day))


def _outcomes(world: _World, schedule, dues: list[dt.date]) -> list[tuple[str, dt.date | None]]:
    """What became of each milestone by today, and the day it was paid (None: unpaid):
    "paid" on its due day; "late" (accepted, and paid five to eight weeks after its due day,
    or not yet: 逾期支付); "waiting" (gated, due within the last month, no evaluation yet);
    "failed" (gated, its evaluation failed: the payment stays refused); "pending" (not yet
    due, or behind one still unpaid). Chances come from the plan; none by default."""
    plan, rng = world.plan, world.rng
    chancy = plan.late_share or plan.waiting_share or plan.failed_share
    outcomes: list[tuple[str, dt.date | None]] = []
    for (_percent, gated, _days), due in zip(schedule, dues, strict=True):
        if due > world.today or (outcomes and outcomes[-1][1] is None):
            outcomes.append(("pending", None))
            continue
        outcome, paid = "paid", due
        if chancy:
            r = rng.random()
            if r < plan.late_share:
                outcome, paid = "late", due + dt.timedelta(days=rng.randint(35, 60))
                if paid > world.today:
                    paid = None
            elif gated and r < plan.late_share + plan.failed_share:
                outcome, paid = "failed", None
            elif (gated and due >= world.today - dt.timedelta(days=30)
                  and r < plan.late_share + plan.failed_share + plan.waiting_share):
                outcome, paid = "waiting", None
        outcomes.append((outcome, paid))
    return outcomes


def _evaluate(world: _World, milestone: dict, gate: str, day: dt.date, passed: bool = True
              ) -> Callable[[], None]:
    def post():
        score = Decimal(world.rng.randint(7000, 9800) if passed
                        else world.rng.randint(4000, 5900)) / 100
        ref = world.journal.record_evaluation(day, gate, passed, score,
                                              meta={"recorded_by": "evaluator"})
        world.evaluations.append(dict(milestone_id=milestone["id"], passed=passed, score=score,
                                      recorded_at=_day_at(day), recorded_by_id=world.evaluator_id,
                                      ledger_evaluation_id=ref.id))
    return post


def _pay(world: _World, milestone: dict, line, contract_unit, links, gate, day: dt.date
         ) -> Callable[[], None]:
    def post():
        ref = operations.pay(world.journal, day, line, contract_unit, milestone["amount"],
                             gate=gate, links=links,
                             meta={"milestone": str(milestone["number"]),
                                   "approved_by": world.finance})
        milestone.update(status=MilestoneStatus.PAID.value, paid_at=_day_at(day, 16),
                         paid_by_id=world.finance_id, ledger_txn_id=ref.id)
    return post


# --- the demo's city-year -------------------------------------------------------------------
#: Town social-affairs offices (社会事务办公室) buy services too: the city-year's twelve
#: purchasing departments, beside the demo's city bureaus.
TOWN_OFFICE = ("{}社会事务办公室", "{} Social Affairs Office")
ORG_PREFIXES = ["同心", "益家", "暖阳", "乐龄", "馨苑", "启明", "善邻", "和美", "向日葵", "青禾",
                "友邻", "春晖", "明德"]
ORG_KINDS = ["社工服务中心", "养老服务中心", "青少年发展中心", "助残服务社", "公益发展中心",
             "家庭服务中心", "社区服务社", "志愿者协会", "康复服务中心", "文化发展中心", "心理咨询服务中心"]


def _town_office(d: int) -> tuple[str, str, str]:
    from market.demo import TOWNS

    code, zh, en, _population = TOWNS[d % len(TOWNS)]
    return f"{code}-SW", TOWN_OFFICE[0].format(zh), TOWN_OFFICE[1].format(en)


def _town_org(i: int) -> str:
    from market.demo import TOWNS

    town = TOWNS[i % len(TOWNS)][1]  # the seeder places organization i in town i mod 12
    return f"{town}{ORG_PREFIXES[(i // len(TOWNS)) % len(ORG_PREFIXES)]}{ORG_KINDS[i % len(ORG_KINDS)]}"


#: A city's year for the demo (``flask demo seed``): twelve town offices' approved catalogs,
#: tenders open, opened, awarded and contracted, about forty-five contracts paid monthly (a tenth a
#: month; the quarterly ones and the last gated by a performance evaluation) with some
#: milestones paid late, some waiting for their evaluation and some failed; grades over
#: three cycles (and so a clearance list); a ledger of about eight hundred entries.
CITY_YEAR = Plan(
    organizations=12 * len(ORG_PREFIXES) - 12, departments=12, items=36, tenders=56,
    grade_evaluations=90, contracted_share=Decimal("0.85"), awarded_share=Decimal("0.05"), opened_share=Decimal("0.05"),
    schedule=tuple((Decimal("10"), n in (3, 6, 9, 10), 30 * n) for n in range(1, 11)),
    late_share=0.05, waiting_share=0.3, failed_share=0.05,
    department_names=_town_office, organization_names=_town_org)


def seed_city_year(session: Session, *, today: dt.date | None = None,
                   progress: Callable[[str, int], None] | None = None) -> dict[str, int] | None:
    """The demo's city-year, written once before the demo's own data (its ledger entries
    run from January to today, and the ledger takes entries in date order). Returns the
    counts written, or None when there is nothing to do: seeded before, or a ledger the
    platform already wrote to (a database demo-seeded before the city-year existed)."""
    first = CITY_YEAR.department(0)[0]
    if session.scalar(select(Department.id).where(Department.code == first)) is not None:
        return None
    if session.scalar(select(func.count(Transaction.id))):
        return None
    today = today or dt.datetime.now(LOCAL_TZ).date()
    counts = seed_scale(session, CITY_YEAR, seed=2026, today=today, progress=progress)
    counts["annual_reports"] = _annual_reports(session, today)
    if progress:
        progress("annual reports", counts["annual_reports"])
    return counts


def _annual_reports(session: Session, today: dt.date) -> int:
    """The city-year's organizations file their annual reports (年度报告) with an audit
    report, and civil affairs records the inspection results (年检): mostly 合格, some 基本合格,
    a few failed and a few not filed for the last year — so "Tenders I can bid on" shows
    every answer, not "not filed" for everyone. Written through the document store (each
    report's audit report is a stored PDF); a city's few hundred, not a province's."""
    from market.documents.models import OwnerType
    from market.documents.storage import Upload, store_document
    from market.orgs.demo import minimal_pdf
    from market.orgs.enums import InspectionResult
    from market.orgs.models import AnnualReport
    from market.tenders.eligibility import report_year

    rng = random.Random(2027)
    due = report_year(today)
    reviewer = session.scalar(select(User).where(User.username == "civil"))
    members = session.execute(
        select(Organization, User).join(User, User.organization_id == Organization.id)
        .where(User.username.like("s-org-%"), Organization.track == Track.REGISTERED.value)
        .order_by(Organization.id)).all()
    latest = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9), tzinfo=LOCAL_TZ)
    written = 0
    for org, member in members:
        for year in (due - 1, due):
            if org.registered_on is None or org.registered_on.year > year:
                continue
            roll = rng.random()
            if year == due and roll < 0.05:
                continue  # not filed
            result = (InspectionResult.FAIL if roll > 0.97 else
                      InspectionResult.BASIC_PASS if roll > 0.87 else InspectionResult.PASS)
            pending = year == due and 0.05 <= roll < 0.08  # filed, not yet inspected
            doc = store_document(session, Upload(f"audit-{year}.pdf", minimal_pdf(
                f"Audit report {year} - {org.credit_code}")), owner_type=OwnerType.ORGANIZATION,
                owner_id=org.id, purpose="audit_report", actor=member)
            session.add(AnnualReport(
                organization_id=org.id, year=year, income=Decimal(rng.randint(20, 400) * 10000),
                expenditure=Decimal(rng.randint(20, 380) * 10000),
                net_assets=Decimal(rng.randint(5, 120) * 10000), staff_count=rng.randint(3, 40),
                audit_report_id=doc.id, submitted_by_id=member.id,
                submitted_at=min(latest, dt.datetime.combine(
                    dt.date(year + 1, 3, rng.randint(1, 28)), dt.time(10), tzinfo=LOCAL_TZ)),
                result=None if pending else result,
                reviewed_at=None if pending else min(latest, dt.datetime.combine(
                    dt.date(year + 1, 5, rng.randint(1, 28)), dt.time(15), tzinfo=LOCAL_TZ)),
                reviewed_by_id=None if pending or reviewer is None else reviewer.id))
            written += 1
    session.flush()
    return written
