"""OCDS packages: a release package and a record package for one process, and the bulk
release package of a fiscal year written incrementally (a generator of JSON text: the
processes are read in batches and forgotten, so memory stays flat however many there are).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ledger.models import Transaction
from market.catalogs.models import Catalog, CatalogItem
from market.contracts.models import Contract
from market.ocds.releases import LedgerEntry, Process, compiled_release, ocid, releases
from market.tenders.models import Bid, BidStatus, Tender, TenderStatus
from market.tenders.scoring.models import Award

VERSION = "1.1"
PUBLISHER = {"name": "昆山市民政局 公益服务采购与公益创投平台"}
BATCH = 200
# Bids are read only for opened tenders: before opening nothing about them is loaded.
_OPENED = [TenderStatus.OPENED, TenderStatus.EVALUATED, TenderStatus.AWARDED,
           TenderStatus.CONTRACTED, TenderStatus.UNSUCCESSFUL, TenderStatus.CANCELLED]


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def load(session: Session, tenders: list[Tender]) -> list[Process]:
    """The processes of ``tenders`` (published ones; drafts are not public), each with its
    bids (opened tenders only), awards, contract and payment ledger entries."""
    ids = [t.id for t in tenders]
    if not ids:
        return []
    opened = {t.id for t in tenders if t.status in _OPENED and t.opened_at is not None}
    bids: dict[int, list] = {i: [] for i in ids}
    if opened:
        for bid in session.scalars(
                select(Bid).options(selectinload(Bid.organization))
                .where(Bid.tender_id.in_(opened), Bid.status == BidStatus.SUBMITTED)
                .order_by(Bid.id)):
            bids[bid.tender_id].append(bid)
    awards: dict[int, list] = {i: [] for i in ids}
    for award in session.scalars(
            select(Award).options(selectinload(Award.bid).selectinload(Bid.organization))
            .where(Award.tender_id.in_(ids)).order_by(Award.id)):
        awards[award.tender_id].append(award)
    contracts = {c.tender_id: c for c in session.scalars(
        select(Contract).options(selectinload(Contract.milestones),
                                 selectinload(Contract.organization))
        .where(Contract.tender_id.in_(ids)))}
    txn_ids = {m.ledger_txn_id for c in contracts.values() for m in c.milestones
               if m.ledger_txn_id is not None}
    ledger = {t.id: LedgerEntry(t.seq, t.hash, t.date) for t in session.scalars(
        select(Transaction).where(Transaction.id.in_(txn_ids)))} if txn_ids else {}
    return [Process(t, bids[t.id], awards[t.id], contracts.get(t.id), ledger) for t in tenders]


def _tenders():
    return (select(Tender)
            .options(selectinload(Tender.department),
                     selectinload(Tender.catalog_item).selectinload(CatalogItem.catalog))
            .where(Tender.published_at.is_not(None)))


def process_of(session: Session, reference: str) -> Process | None:
    tender = session.scalar(_tenders().where(Tender.reference == reference))
    return load(session, [tender])[0] if tender is not None else None


def release_package(prefix: str, process: Process, uri: str) -> dict:
    return {"uri": uri, "version": VERSION, "publishedDate": _now(), "publisher": PUBLISHER,
            "releases": list(releases(prefix, process))}


def record(prefix: str, process: Process) -> dict:
    """The record (记录) of a process: every release and the compiled current state."""
    all_releases = list(releases(prefix, process))
    return {"ocid": ocid(prefix, process.tender), "releases": all_releases,
            "compiledRelease": compiled_release(prefix, process, all_releases)}


def record_package(prefix: str, process: Process, uri: str) -> dict:
    return {"uri": uri, "version": VERSION, "publishedDate": _now(), "publisher": PUBLISHER,
            "records": [record(prefix, process)]}


def year_processes(session: Session, fiscal_year: int, batch: int = BATCH
                   ) -> Iterator[Process]:
    """The fiscal year's published tenders (by their catalog's year), ``batch`` at a time;
    each batch leaves the session once written."""
    last = 0
    while True:
        tenders = list(session.scalars(
            _tenders().join(Tender.catalog_item).join(CatalogItem.catalog)
            .where(Catalog.fiscal_year == fiscal_year, Tender.id > last)
            .order_by(Tender.id).limit(batch)))
        if not tenders:
            return
        last = tenders[-1].id
        yield from load(session, tenders)
        session.expunge_all()


def count_year(session: Session, fiscal_year: int) -> int:
    from sqlalchemy import func

    return session.scalar(
        select(func.count(Tender.id)).join(Tender.catalog_item).join(CatalogItem.catalog)
        .where(Catalog.fiscal_year == fiscal_year, Tender.published_at.is_not(None))) or 0


def stream_release_package(prefix: str, processes: Iterable[Process], uri: str,
                           on_process: Callable[[], None] | None = None) -> Iterator[str]:
    """The release package of ``processes`` as JSON text, one process at a time."""
    head = {"uri": uri, "version": VERSION, "publishedDate": _now(), "publisher": PUBLISHER}
    yield _dumps(head)[:-1] + ',"releases":['
    first = True
    for process in processes:
        for release in releases(prefix, process):
            yield ("" if first else ",") + _dumps(release)
            first = False
        if on_process is not None:
            on_process()
    yield "]}"
