"""The red flags (风险提示) and the one registry of their detectors.

A detector is a function ``(session, scope) -> list[Flag]`` registered with ``@detector``:
it reads procurement and the ledger with ONE query (no per-row queries), applies the
scope (fiscal year, department) in SQL where it can, and finishes in Python only what the
databases disagree on (date arithmetic). Flags are computed on demand, never stored: an
auditor always sees what the facts raise now; only reviews are stored (``FlagReview``,
keyed by ``Flag.key``).

Adding a kind is one function here and its words in ``labels.py`` (``KIND_LABELS``,
``EVIDENCE``), as the overdue-complaints flag (the last one) was.

Thresholds are policy rules (``market/policy/rules.py``, area ``redflags``).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Numeric, case, func, literal, select
from sqlalchemy.orm import Session

from ledger.models import Transaction
from market import policy
from market.access.permissions import Permission
from market.accounts.models import User
from market.catalogs.models import Catalog, CatalogItem
from market.clock import to_local, today_local
from market.contracts.models import Contract, Milestone, MilestoneStatus
from market.orgs.models import Organization
from market.performance.models import PerformanceEvaluation
from market.tenders.models import Bid, Procedure, Tender, TenderStatus
from market.tenders.scoring.models import Award, BidResult, Expert, Score


@dataclass(frozen=True)
class Scope:
    """Which flags to compute: a fiscal year and a department (None: all), as of a day."""

    fiscal_year: int | None = None
    department_id: int | None = None
    today: dt.date = field(default_factory=today_local)


@dataclass(frozen=True)
class Link:
    """A link to evidence: ``what`` names it (``labels.LINK_LABELS``), the page is
    ``url_for(endpoint, **values)``; ``permission`` when not every reader may open it."""

    what: str
    endpoint: str
    values: tuple[tuple[str, int], ...]
    text: str = ""
    permission: str | None = None

    @property
    def args(self) -> dict:
        return dict(self.values)


@dataclass
class Flag:
    """One red flag: its kind, a key stable as long as the facts raise it, what it is
    about (``subject_kind`` and a name), where it belongs, its evidence and links."""

    kind: str
    key: str
    subject_kind: str
    subject: str
    fiscal_year: int | None
    department_id: int | None
    evidence: str  # a key of labels.EVIDENCE
    params: dict
    links: list[Link]
    department: object = None  # its Department, filled in by queries.compute
    review: object = None  # its FlagReview, filled in by queries.compute


@dataclass(frozen=True)
class Detector:
    kind: str
    subject_kind: str
    compute: Callable[[Session, Scope], list[Flag]]


DETECTORS: dict[str, Detector] = {}


def detector(kind: str, subject_kind: str):
    """Register ``fn(session, scope) -> list[Flag]`` as the detector of ``kind``."""
    def register(fn):
        DETECTORS[kind] = Detector(kind, subject_kind, fn)
        return fn
    return register


def _scoped(stmt, scope: Scope, department_col):
    """``stmt`` (joined to Catalog) narrowed to the scope's year and department."""
    if scope.fiscal_year is not None:
        stmt = stmt.where(Catalog.fiscal_year == scope.fiscal_year)
    if scope.department_id is not None:
        stmt = stmt.where(department_col == scope.department_id)
    return stmt


def _tender_rows(*columns):
    """SELECT columns FROM tenders joined to their catalog item and catalog."""
    return (select(*columns).join(CatalogItem, CatalogItem.id == Tender.catalog_item_id)
            .join(Catalog, Catalog.id == CatalogItem.catalog_id))


def _tender_link(tender_id: int, reference: str = "") -> Link:
    return Link("tender", "tenders.detail", (("tender_id", tender_id),), reference)


def _award_link(tender_id: int) -> Link:
    return Link("award", "scoring.award_page", (("tender_id", tender_id),))


# Stages at which a tender went on with the bids it had (opened and not 流标/终止).
WENT_ON = (TenderStatus.OPENED, TenderStatus.EVALUATED, TenderStatus.AWARDED,
           TenderStatus.CONTRACTED)


@detector("single_valid_bid", "tender")
def single_valid_bid(session: Session, scope: Scope) -> list[Flag]:
    """A tender opened, evaluated or awarded with exactly one valid bid (单一有效投标)."""
    valid = func.sum(case((Bid.valid.is_(True), 1), else_=0))
    stmt = _tender_rows(Tender.id, Tender.reference, Tender.department_id, Tender.status,
                        Catalog.fiscal_year, func.count(Bid.id), valid) \
        .join(Bid, Bid.tender_id == Tender.id) \
        .where(Tender.opened_at.is_not(None), Tender.status.in_(WENT_ON)) \
        .group_by(Tender.id, Tender.reference, Tender.department_id, Tender.status,
                  Catalog.fiscal_year).having(valid == 1)
    flags = []
    for tid, ref, dept, status, fy, bids, _valid in session.execute(
            _scoped(stmt, scope, Tender.department_id)):
        links = [_tender_link(tid, ref)]
        if status in (TenderStatus.AWARDED, TenderStatus.CONTRACTED):
            links.append(_award_link(tid))
        flags.append(Flag("single_valid_bid", f"single_valid_bid:t{tid}", "tender", ref, fy,
                          dept, "single_valid_bid", {"bids": bids}, links))
    return flags


@detector("dominant_winner", "organization")
def dominant_winner(session: Session, scope: Scope) -> list[Flag]:
    """One organization won more than the set share of a department's awards in a fiscal
    year (中标集中), once the department made at least the set number of awards."""
    share = policy.value("redflag_dominant_share_percent")
    minimum = policy.value("redflag_dominant_min_awards")
    stmt = _tender_rows(Tender.department_id, Catalog.fiscal_year, Bid.organization_id,
                        Organization.name, Tender.id, Tender.reference) \
        .join(Award, Award.tender_id == Tender.id) \
        .join(Bid, Bid.id == Award.bid_id) \
        .join(Organization, Organization.id == Bid.organization_id) \
        .where(Award.revoked_at.is_(None)).order_by(Tender.id)
    totals: dict[tuple, int] = defaultdict(int)
    won: dict[tuple, list] = defaultdict(list)
    names = {}
    for dept, fy, org, name, tid, ref in session.execute(
            _scoped(stmt, scope, Tender.department_id)):
        totals[(dept, fy)] += 1
        won[(dept, fy, org)].append((tid, ref))
        names[org] = name
    flags = []
    for (dept, fy, org), tenders in won.items():
        total = totals[(dept, fy)]
        if total < minimum or len(tenders) * 100 <= share * total:
            continue
        links = [Link("organization", "orgs.public_profile", (("org_id", org),), names[org])]
        links += [_award_link(tid) for tid, _ in tenders]
        flags.append(Flag(
            "dominant_winner", f"dominant_winner:d{dept}:y{fy}:o{org}", "organization",
            names[org], fy, dept, "dominant_winner",
            {"won": len(tenders), "total": total,
             "share": (Decimal(len(tenders) * 100) / total).quantize(Decimal("0.1")),
             "limit": share, "tenders": ", ".join(ref for _, ref in tenders)}, links))
    return flags


@detector("near_ceiling", "tender")
def near_ceiling(session: Session, scope: Scope) -> list[Flag]:
    """An award at or above the set share of the tender's ceiling price (贴近最高限价)."""
    percent = policy.value("redflag_near_ceiling_percent")
    stmt = _tender_rows(Tender.id, Tender.reference, Tender.department_id, Catalog.fiscal_year,
                        Tender.ceiling_price, BidResult.price, Award.id) \
        .join(Award, Award.tender_id == Tender.id) \
        .join(BidResult, BidResult.bid_id == Award.bid_id) \
        .where(Award.revoked_at.is_(None),
               BidResult.price * literal(100) >= Tender.ceiling_price
               * literal(percent, Numeric(6, 2)))
    flags = []
    for tid, ref, dept, fy, ceiling, price, award_id in session.execute(
            _scoped(stmt, scope, Tender.department_id)):
        flags.append(Flag(
            "near_ceiling", f"near_ceiling:a{award_id}", "tender", ref, fy, dept,
            "near_ceiling", {"price": price, "ceiling": ceiling,
                             "share": (price * 100 / ceiling).quantize(Decimal("0.01")),
                             "limit": percent},
            [_tender_link(tid, ref), _award_link(tid)]))
    return flags


# The minimum period of each procedure (publication → bid deadline), by rule key.
PERIOD_RULES = {Procedure.OPEN: "tender_period_min_days_open",
                Procedure.NEGOTIATION: "tender_period_min_days_negotiation"}


@detector("short_period", "tender")
def short_period(session: Session, scope: Scope) -> list[Flag]:
    """Publication to bid deadline shorter than the procedure's minimum (等标期不足)."""
    stmt = _tender_rows(Tender.id, Tender.reference, Tender.department_id, Catalog.fiscal_year,
                        Tender.procedure, Tender.published_at, Tender.bid_deadline) \
        .where(Tender.published_at.is_not(None))
    flags = []
    for tid, ref, dept, fy, procedure, published, deadline in session.execute(
            _scoped(stmt, scope, Tender.department_id)):
        minimum = policy.value(PERIOD_RULES[Procedure(procedure)])
        period = deadline - published
        if period >= dt.timedelta(days=minimum):
            continue
        flags.append(Flag(
            "short_period", f"short_period:t{tid}", "tender", ref, fy, dept, "short_period",
            {"published": to_local(published).strftime("%Y-%m-%d %H:%M"),
             "deadline": to_local(deadline).strftime("%Y-%m-%d %H:%M"),
             "days": f"{period.total_seconds() / 86400:.1f}", "minimum": minimum},
            [_tender_link(tid, ref)]))
    return flags


# A tender that bought nothing is no part of a split purchase.
BOUGHT_NOTHING = (TenderStatus.DRAFT, TenderStatus.CANCELLED, TenderStatus.UNSUCCESSFUL)


@detector("split_purchase", "catalog_item")
def split_purchase(session: Session, scope: Scope) -> list[Flag]:
    """Several tenders for one catalog item published close together, each below the
    threshold and together above it (化整为零, 拆分采购)."""
    threshold = policy.value("redflag_split_threshold")
    window = dt.timedelta(days=policy.value("redflag_split_window_days"))
    stmt = _tender_rows(Tender.id, Tender.reference, Tender.department_id, Catalog.fiscal_year,
                        CatalogItem.id, CatalogItem.code, CatalogItem.title, Catalog.id,
                        Tender.published_at, Tender.ceiling_price) \
        .where(Tender.published_at.is_not(None), Tender.status.not_in(BOUGHT_NOTHING),
               Tender.ceiling_price < threshold) \
        .order_by(CatalogItem.id, Tender.published_at, Tender.id)
    clusters: list[list] = []
    for row in session.execute(_scoped(stmt, scope, Tender.department_id)):
        last = clusters[-1] if clusters else None
        if last and last[0][4] == row[4] and row[8] - last[0][8] <= window:
            last.append(row)
        else:
            clusters.append([row])
    flags = []
    for rows in clusters:
        total = sum((r[9] for r in rows), Decimal("0.00"))
        if len(rows) < 2 or total <= threshold:
            continue
        first = rows[0]
        span = (rows[-1][8] - first[8]).days
        links = [Link("catalog", "catalogs.detail", (("catalog_id", first[7]),), first[5])]
        links += [_tender_link(r[0], r[1]) for r in rows]
        flags.append(Flag(
            "split_purchase", f"split_purchase:i{first[4]}:t{first[0]}", "catalog_item",
            f"{first[5]} {first[6]}", first[3], first[2], "split_purchase",
            {"count": len(rows), "days": span, "total": total, "threshold": threshold,
             "tenders": ", ".join(r[1] for r in rows)}, links))
    return flags


@detector("contract_raised", "contract")
def contract_raised(session: Session, scope: Scope) -> list[Flag]:
    """A contract for more than the awarded price (合同金额高于中标价). Contracts are signed at
    the awarded price and have no amendment, so any difference was made outside the
    platform's services."""
    stmt = (select(Contract.id, Contract.tender_id, Tender.reference, Contract.department_id,
                   Catalog.fiscal_year, Contract.amount, BidResult.price)
            .join(Tender, Tender.id == Contract.tender_id)
            .join(CatalogItem, CatalogItem.id == Contract.catalog_item_id)
            .join(Catalog, Catalog.id == CatalogItem.catalog_id)
            .join(BidResult, BidResult.bid_id == Contract.bid_id)
            .where(Contract.amount > BidResult.price))
    flags = []
    for cid, tid, ref, dept, fy, amount, price in session.execute(
            _scoped(stmt, scope, Contract.department_id)):
        flags.append(Flag(
            "contract_raised", f"contract_raised:c{cid}", "contract", f"{ref}-HT{cid:04d}",
            fy, dept, "contract_raised",
            {"amount": amount, "price": price, "difference": amount - price},
            [Link("contract", "contracts.detail", (("contract_id", cid),)), _award_link(tid)]))
    return flags


@detector("late_payment", "milestone")
def late_payment(session: Session, scope: Scope) -> list[Flag]:
    """A milestone paid later than its due date plus the grace days, or accepted (and its
    evaluation gate open) and still unpaid by then (逾期支付)."""
    grace = policy.value("redflag_payment_grace_days")
    latest = (select(PerformanceEvaluation.milestone_id.label("milestone_id"),
                     func.max(PerformanceEvaluation.id).label("evaluation_id"))
              .group_by(PerformanceEvaluation.milestone_id).subquery())
    stmt = (select(Milestone.id, Milestone.number, Milestone.title, Milestone.due_date,
                   Milestone.status, Milestone.paid_at, Milestone.needs_evaluation,
                   Milestone.amount, PerformanceEvaluation.passed, Transaction.seq,
                   Contract.id, Tender.reference, Contract.department_id, Catalog.fiscal_year)
            .join(Contract, Contract.id == Milestone.contract_id)
            .join(Tender, Tender.id == Contract.tender_id)
            .join(CatalogItem, CatalogItem.id == Contract.catalog_item_id)
            .join(Catalog, Catalog.id == CatalogItem.catalog_id)
            .outerjoin(latest, latest.c.milestone_id == Milestone.id)
            .outerjoin(PerformanceEvaluation, PerformanceEvaluation.id == latest.c.evaluation_id)
            .outerjoin(Transaction, Transaction.id == Milestone.ledger_txn_id)
            .where(Milestone.status.in_((MilestoneStatus.PAID, MilestoneStatus.ACCEPTED)),
                   # late or not, a milestone due less than the grace ago cannot be late yet
                   Milestone.due_date < scope.today - dt.timedelta(days=grace)))
    flags = []
    for (mid, number, title, due, status, paid_at, gated, amount, passed, seq, cid, ref, dept,
         fy) in session.execute(_scoped(stmt, scope, Contract.department_id)):
        limit = due + dt.timedelta(days=grace)
        links = [Link("contract", "contracts.detail", (("contract_id", cid),))]
        params = {"number": number, "title": title, "amount": amount, "due": due.isoformat(),
                  "grace": grace}
        if status == MilestoneStatus.PAID:
            paid = to_local(paid_at).date() if paid_at else None
            if paid is None or paid <= limit:
                continue
            evidence, params["paid"], params["days"] = "paid_late", paid.isoformat(), \
                (paid - due).days
            if seq is not None:
                links.append(Link("transaction", "auditor.transaction", (("seq", seq),),
                                  f"#{seq}", permission=Permission.LEDGER_READ))
        else:
            if gated and not passed:
                continue  # waiting for a passing evaluation is not the payer's delay
            evidence, params["days"] = "unpaid_late", (scope.today - due).days
        flags.append(Flag("late_payment", f"late_payment:m{mid}", "milestone",
                          f"{ref}-HT{cid:04d} / {number}", fy, dept, evidence, params, links))
    return flags


@detector("repeat_evaluator", "expert")
def repeat_evaluator(session: Session, scope: Scope) -> list[Flag]:
    """The same expert scored the same organization's bids on at least the set number of
    committees in a fiscal year (专家重复评审同一组织)."""
    minimum = policy.value("redflag_repeat_evaluator_min")
    stmt = _tender_rows(Expert.expert_id, User.display_name, Bid.organization_id,
                        Organization.name, Catalog.fiscal_year, Tender.id, Tender.reference,
                        Expert.draw_id) \
        .join(Bid, Bid.tender_id == Tender.id) \
        .join(Score, Score.bid_id == Bid.id) \
        .join(Expert, Expert.id == Score.expert_row_id) \
        .join(User, User.id == Expert.expert_id) \
        .join(Organization, Organization.id == Bid.organization_id) \
        .where(Expert.submitted_at.is_not(None)).distinct() \
        .order_by(Expert.expert_id, Bid.organization_id, Tender.id)
    seen: dict[tuple, list] = defaultdict(list)
    names: dict[tuple, tuple] = {}
    for expert, expert_name, org, org_name, fy, tid, ref, draw in session.execute(
            _scoped(stmt, scope, Tender.department_id)):
        seen[(expert, org, fy)].append((tid, ref, draw))
        names[(expert, org, fy)] = (expert_name, org_name)
    flags = []
    for (expert, org, fy), tenders in seen.items():
        if len(tenders) < minimum:
            continue
        expert_name, org_name = names[(expert, org, fy)]
        links = [Link("organization", "orgs.public_profile", (("org_id", org),), org_name)]
        for tid, ref, draw in tenders:
            links.append(Link("draw", "experts.draw", (("draw_id", draw),), ref,
                              permission=Permission.EXPERTS_DRAWS_READ) if draw is not None
                         else _tender_link(tid, ref))
        flags.append(Flag(
            "repeat_evaluator", f"repeat_evaluator:e{expert}:o{org}:y{fy}", "expert",
            expert_name, fy, scope.department_id, "repeat_evaluator",
            {"organization": org_name, "count": len(tenders), "minimum": minimum,
             "tenders": ", ".join(ref for _, ref, _ in tenders)}, links))
    return flags


@detector("complaint_overdue", "complaint")
def complaint_overdue(session: Session, scope: Scope) -> list[Flag]:
    """A complaint (投诉举报) still unanswered after its last working day to answer: the
    complaints room's own rule (``complaints.queries.overdue``), one query. Its fiscal year
    is the year it was filed; its department the one it was routed to (none: civil
    affairs still has to route it)."""
    from market.complaints.queries import overdue

    flags = []
    for c in overdue(session, on=scope.today):
        filed = to_local(c.filed_at).date()
        if scope.fiscal_year is not None and filed.year != scope.fiscal_year:
            continue
        if scope.department_id is not None and c.department_id != scope.department_id:
            continue
        due = to_local(c.due_at).date()
        flags.append(Flag(
            "complaint_overdue", f"complaint_overdue:c{c.id}", "complaint", c.subject_title,
            filed.year, c.department_id, "complaint_overdue",
            {"filed": filed.isoformat(), "due": due.isoformat(),
             "days": (scope.today - due).days},
            [Link("complaint", "complaints.detail", (("complaint_id", c.id),),
                  permission=Permission.COMPLAINTS_READ)]))
    return flags
