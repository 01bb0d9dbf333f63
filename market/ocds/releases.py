"""OCDS releases (开放合同数据标准 发布) of one contracting process: planning, tender,
tender update (opening), award, contract and implementation — built from a ``Process``.

A ``Process`` is everything one tender's releases read: the tender (with its catalog item,
catalog and department), its bids (read only once the tender is opened: the sealed-bid
rule), its awards, its contract (with milestones) and the ledger transactions of its
payments. The builders only read attributes, so the bulk export's loader and the
benchmark's synthetic processes feed them alike.

Personal data never enters a release: organizations appear by name, id and unified social
credit code (a public registration number) only — no contact person, phone, ID or bank
account.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CURRENCY = "CNY"
OPEN_STATES = {"opened", "evaluated", "awarded", "contracted", "unsuccessful"}
TENDER_STATUS = {  # our tender status -> OCDS tenderStatus codelist
    "draft": "planning", "published": "active", "opened": "active", "evaluated": "active",
    "awarded": "complete", "contracted": "complete", "cancelled": "cancelled",
    "unsuccessful": "unsuccessful",
}
CONTRACT_STATUS = {"active": "active", "completed": "terminated", "terminated": "terminated"}
MILESTONE_STATUS = {"pending": "scheduled", "submitted": "scheduled", "accepted": "met",
                    "paid": "met", "cancelled": "notMet"}
PROCUREMENT_METHOD = {  # 公开招标 open; 竞争性磋商 selective (suppliers negotiate in rounds)
    "open": ("open", "公开招标"), "negotiation": ("selective", "竞争性磋商")}


@dataclass(frozen=True)
class LedgerEntry:
    """The ledger transaction behind a payment: its sequence number and chain hash."""

    seq: int
    hash: str
    date: dt.date


@dataclass
class Process:
    """One contracting process (一个采购项目): what its releases are built from."""

    tender: Any
    bids: list = field(default_factory=list)  # submitted (not withdrawn) bids
    awards: list = field(default_factory=list)
    contract: Any = None
    ledger: Mapping[int, LedgerEntry] = field(default_factory=dict)  # txn id -> entry


def ocid(prefix: str, tender) -> str:
    return f"{prefix}-{tender.reference}"


def _date(value: dt.datetime | dt.date | None) -> str | None:
    """An RFC 3339 date-time; naive datetimes are stored in UTC."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(0, 0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _value(amount: Decimal) -> dict:
    # A JSON number: OCDS amounts are numbers; two decimals are exact for fen.
    return {"amount": float(amount), "currency": CURRENCY}


def department_party(department) -> dict:
    return {"id": f"dept-{department.code}", "name": department.name_zh}


def organization_party(org) -> dict:
    party = {"id": f"org-{org.id}", "name": org.name}
    if getattr(org, "credit_code", None):
        party["identifier"] = {"id": org.credit_code, "legalName": org.name}
    return party


class _Parties:
    """The parties one release refers to, each once, with every role it plays there."""

    def __init__(self) -> None:
        self._by_id: dict[str, dict] = {}

    def add(self, ref: dict, *roles: str) -> dict:
        party = self._by_id.setdefault(ref["id"], {**ref, "roles": []})
        for role in roles:
            if role not in party["roles"]:
                party["roles"].append(role)
        return {"id": ref["id"], "name": ref["name"]}

    def list(self) -> list[dict]:
        return list(self._by_id.values())


def _is_open(tender) -> bool:
    return str(tender.status) in OPEN_STATES and tender.opened_at is not None


def _release(prefix: str, process: Process, suffix: str, date, tags: list[str],
             parties: _Parties, body: dict) -> dict:
    tender = process.tender
    buyer = parties.add(department_party(tender.department), "buyer")
    release = {"ocid": ocid(prefix, tender), "id": f"{ocid(prefix, tender)}-{suffix}",
               "date": _date(date), "tag": tags, "initiationType": "tender",
               "language": "zh", "buyer": buyer}
    release.update(body)
    release["parties"] = parties.list()
    return release


def _planning(process: Process) -> dict:
    item = process.tender.catalog_item
    return {"budget": {"id": item.code, "description": item.description or item.title,
                       "amount": _value(item.budget), "project": item.title,
                       "projectID": item.code}}


def _items(tender) -> list[dict]:
    item = tender.catalog_item
    return [{"id": item.code, "description": item.title,
             "classification": {"scheme": "X-KS-SERVICE-CATEGORY",
                                "id": str(item.service_category)},
             "quantity": float(item.quantity), "unit": {"name": item.unit}}]


def _tender(process: Process, parties: _Parties, *, opened: bool,
            status: str | None = None) -> dict:
    """The tender section; tenderers only when ``opened`` (never before opening).
    ``status``: the status at the release's date (default: as it stands now)."""
    tender = process.tender
    method, details = PROCUREMENT_METHOD.get(str(tender.procedure), ("open", ""))
    section = {
        "id": tender.reference, "title": tender.title, "description": tender.description,
        "status": status or TENDER_STATUS.get(str(tender.status), "active"),
        "procuringEntity": parties.add(department_party(tender.department), "procuringEntity"),
        "items": _items(tender), "value": _value(tender.ceiling_price),
        "procurementMethod": method, "procurementMethodDetails": details,
        "mainProcurementCategory": "services", "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {"startDate": _date(tender.published_at),
                         "endDate": _date(tender.bid_deadline)},
        "enquiryPeriod": {"startDate": _date(tender.published_at),
                          "endDate": _date(tender.clarification_deadline)},
    }
    if opened:
        orgs = {bid.organization.id: bid.organization for bid in process.bids}
        section["numberOfTenderers"] = len(orgs)
        section["tenderers"] = [parties.add(organization_party(org), "tenderer")
                                for org in orgs.values()]
    return section


def _awards(process: Process, parties: _Parties) -> list[dict]:
    out = []
    for award in process.awards:
        bid = award.bid
        supplier = parties.add(organization_party(bid.organization), "tenderer", "supplier")
        out.append({"id": str(award.id), "title": process.tender.title,
                    "status": "cancelled" if award.revoked_at else "active",
                    "date": _date(award.awarded_at), "value": _value(bid.price),
                    "suppliers": [supplier]})
    return out


def _milestones(contract, signing: bool) -> list[dict]:
    out = []
    for m in contract.milestones:
        milestone = {"id": str(m.number), "title": m.title, "type": "delivery",
                     "dueDate": _date(m.due_date),
                     "status": "scheduled" if signing
                     else MILESTONE_STATUS.get(str(m.status), "scheduled")}
        if m.paid_at is not None and not signing:
            milestone["dateMet"] = _date(m.paid_at)
        out.append(milestone)
    return out


def transaction(process: Process, milestone, payer: dict, payee: dict) -> dict:
    """A milestone payment (拨付) as an OCDS transaction: ``id`` is the ledger sequence
    number, ``uri`` names the ledger transaction's chain hash — so each reconciles."""
    entry = process.ledger[milestone.ledger_txn_id]
    return {"id": str(entry.seq), "uri": f"urn:sha256:{entry.hash}",
            "source": f"ledger:seq:{entry.seq}", "date": _date(entry.date),
            "value": _value(milestone.amount), "payer": payer, "payee": payee}


def _paid(process: Process) -> list:
    contract = process.contract
    return [m for m in contract.milestones
            if m.ledger_txn_id is not None and m.ledger_txn_id in process.ledger]


def _contract(process: Process, parties: _Parties, *, paid: list | None,
              signing: bool = False) -> dict:
    """The contract section: as it stands now, or as signed (``signing``)."""
    contract = process.contract
    award = next((a for a in process.awards if a.id == contract.award_id), None)
    section = {"id": str(contract.id), "awardID": str(contract.award_id),
               "title": process.tender.title,
               "status": "active" if signing
               else CONTRACT_STATUS.get(str(contract.status), "active"),
               "value": _value(contract.amount), "dateSigned": _date(contract.signed_at),
               "milestones": _milestones(contract, signing)}
    if contract.service_content:
        section["description"] = contract.service_content
    if contract.term_start and contract.term_end:
        section["period"] = {"startDate": _date(contract.term_start),
                             "endDate": _date(contract.term_end)}
    if award is None:
        parties.add(organization_party(contract.organization), "supplier")
    if paid:
        payer = parties.add(department_party(process.tender.department), "payer")
        payee = parties.add(organization_party(contract.organization), "supplier", "payee")
        section["implementation"] = {
            "transactions": [transaction(process, m, payer, payee) for m in paid]}
    return section


def releases(prefix: str, process: Process) -> Iterator[dict]:
    """The process's releases, oldest first: one per stage it has reached."""
    tender = process.tender
    catalog = tender.catalog_item.catalog
    planning_date = catalog.approved_at or tender.created_at
    parties = _Parties()
    yield _release(prefix, process, "planning", planning_date, ["planning"], parties,
                   {"planning": _planning(process)})
    if tender.published_at is None:
        return
    parties = _Parties()
    yield _release(prefix, process, "tender", tender.published_at, ["tender"], parties,
                   {"tender": _tender(process, parties, opened=False, status="active")})
    if _is_open(tender):
        parties = _Parties()
        yield _release(prefix, process, "opening", tender.opened_at, ["tenderUpdate"],
                       parties, {"tender": _tender(process, parties, opened=True, status="active")})
    if str(tender.status) == "cancelled" and tender.cancelled_at is not None:
        parties = _Parties()
        yield _release(prefix, process, "cancellation", tender.cancelled_at,
                       ["tenderCancellation"], parties,
                       {"tender": _tender(process, parties, opened=_is_open(tender),
                                   status="cancelled")})
    for award in process.awards:
        parties = _Parties()
        one = Process(tender, process.bids, [award], process.contract, process.ledger)
        yield _release(prefix, process, f"award-{award.id}", award.revoked_at or award.awarded_at,
                       ["award"] if award.revoked_at is None else ["awardUpdate"], parties,
                       {"awards": _awards(one, parties)})
    if process.contract is None:
        return
    parties = _Parties()
    yield _release(prefix, process, "contract", process.contract.signed_at, ["contract"],
                   parties, {"contracts": [_contract(process, parties, paid=None, signing=True)]})
    for m in _paid(process):
        parties = _Parties()
        paid = [p for p in _paid(process) if p.number <= m.number]
        yield _release(prefix, process, f"implementation-{m.number}",
                       process.ledger[m.ledger_txn_id].date, ["implementation"], parties,
                       {"contracts": [_contract(process, parties, paid=paid)]})


def compiled_release(prefix: str, process: Process, all_releases: list[dict]) -> dict:
    """The process as it stands now (the record's compiledRelease): every section at its
    latest state, the tags of every release, the date of the newest."""
    tender = process.tender
    parties = _Parties()
    body: dict = {"planning": _planning(process)}
    if tender.published_at is not None:
        body["tender"] = _tender(process, parties, opened=_is_open(tender))
    if process.awards:
        body["awards"] = _awards(process, parties)
    if process.contract is not None:
        body["contracts"] = [_contract(process, parties, paid=_paid(process))]
    tags = ["compiled"]
    latest = max(all_releases, key=lambda r: r["date"])
    release = _release(prefix, process, "compiled", None, tags, parties, body)
    release["date"] = latest["date"]
    return release
