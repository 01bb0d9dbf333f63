"""OCDS bulk export benchmark: peak memory (tracemalloc) of the streamed fiscal-year
release package at N = 1k, 10k (and 50k) processes — flat means the export holds one
batch, never the year.

    .venv/bin/python bench/ocds_bench.py                 # synthetic, N = 1k, 10k, 50k
    .venv/bin/python bench/ocds_bench.py --db            # also through a seeded SQLite database
    .venv/bin/python bench/ocds_bench.py --sizes 1000 10000

Two sources, each measured in a fresh subprocess:

* ``synthetic``: processes made on the fly (each a contracted tender with three bidders,
  an award, a contract of three milestones and two ledger payments: 7 releases), written
  by ``packages.stream_release_package`` — the builders and the writer alone.
* ``db`` (``--db``): N published tenders bulk-inserted into a fresh SQLite database (the
  migrations' schema), exported by ``packages.year_processes`` in batches — the loader,
  the session and the writer, as ``flask ocds export`` runs them.

The output goes to a sink that counts bytes (the JSON is not kept).

Figures (2 shared cores, SQLite, 2026-12-02) — tracemalloc peak during the export:

    source     N        peak       output    time
    synthetic  1,000    54 KiB     7.6 MiB   2.3 s
    synthetic  10,000   54 KiB    76.0 MiB  29.6 s
    synthetic  50,000   54 KiB   381.7 MiB 386.8 s
    db         1,000  3,226 KiB    1.6 MiB   0.9 s
    db        10,000  3,315 KiB   15.7 MiB  12.4 s
    db        50,000  3,280 KiB   78.7 MiB 152.1 s
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace as NS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PREFIX = "ocds-1a2b3c"
YEAR = 2030


def synthetic(n: int):
    """N processes, made one at a time."""
    from market.ocds.releases import LedgerEntry, Process

    department = NS(code="WJW", name_zh="昆山市卫生健康委员会")
    base = dt.datetime(YEAR, 1, 5, 1, 0)
    for i in range(n):
        catalog = NS(approved_at=base, fiscal_year=YEAR)
        item = NS(code=f"{YEAR}-WJW-{i:06d}", title=f"社区服务项目{i}", description="健康讲座",
                  budget=Decimal("500000.00"), service_category="health",
                  quantity=Decimal("100"), unit="场次", catalog=catalog)
        when = base + dt.timedelta(minutes=i)
        tender = NS(id=i + 1, reference=f"KS-WJW-{YEAR}-{i:06d}", title=item.title,
                    description="面向社区居民", status="contracted", procedure="open",
                    ceiling_price=Decimal("300000.00"), catalog_item=item,
                    department=department, created_at=when, published_at=when,
                    clarification_deadline=when + dt.timedelta(days=5),
                    bid_deadline=when + dt.timedelta(days=10),
                    opened_at=when + dt.timedelta(days=10, hours=1), cancelled_at=None)
        orgs = [NS(id=3 * i + k, name=f"社会组织{3 * i + k}", credit_code=None) for k in range(3)]
        bids = [NS(organization=o, price=Decimal("240000.00") + k) for k, o in enumerate(orgs)]
        award = NS(id=i + 1, bid=bids[0], revoked_at=None,
                   awarded_at=when + dt.timedelta(days=15))
        milestones = [NS(number=k + 1, title=f"第{k + 1}期", due_date=dt.date(YEAR, 3 + k, 1),
                         status="paid" if k < 2 else "pending",
                         paid_at=when + dt.timedelta(days=40 + k) if k < 2 else None,
                         amount=Decimal("80000.00"), ledger_txn_id=10 * i + k if k < 2 else None)
                      for k in range(3)]
        contract = NS(id=i + 1, award_id=award.id, status="active", amount=Decimal("240000.00"),
                      signed_at=when + dt.timedelta(days=30), service_content="健康讲座",
                      term_start=dt.date(YEAR, 2, 1), term_end=dt.date(YEAR, 12, 31),
                      milestones=milestones, organization=orgs[0])
        ledger = {10 * i + k: LedgerEntry(100 + 2 * i + k, f"{i:032x}{k:032x}",
                                          dt.date(YEAR, 3 + k, 2)) for k in range(2)}
        yield Process(tender, bids, [award], contract, ledger)


class Sink:
    def __init__(self) -> None:
        self.bytes = 0
        self.releases = 0

    def write(self, chunk: str) -> None:
        self.bytes += len(chunk.encode("utf-8"))


def measure_synthetic(n: int) -> dict:
    from market.ocds import packages

    sink = Sink()
    tracemalloc.start()
    start = time.perf_counter()
    for chunk in packages.stream_release_package(PREFIX, synthetic(n), "https://example.org/x"):
        sink.write(chunk)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"source": "synthetic", "n": n, "peak_kib": round(peak / 1024), "mib_out":
            round(sink.bytes / 2**20, 1), "seconds": round(seconds, 1)}


def seed_db(url: str, n: int) -> None:
    """N published FY tenders of the demo department, one catalog item each."""
    from sqlalchemy import insert, select
    from sqlalchemy.orm import Session

    from market import create_app
    from market.accounts.models import Department
    from market.catalogs.models import Catalog, CatalogItem
    from market.db import upgrade_database
    from market.tenders.models import Tender

    upgrade_database(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "b" * 40})
    with app.app_context(), Session(app.extensions["db_engine"]) as session:
        dept = Department(code="WJW", name_zh="昆山市卫生健康委员会", name_en="Health")
        session.add(dept)
        session.flush()
        when = dt.datetime(YEAR, 1, 5, 1, 0, tzinfo=dt.UTC)
        catalog = Catalog(department_id=dept.id, fiscal_year=YEAR, status="approved",
                          approved_at=when)
        session.add(catalog)
        session.flush()
        for start in range(0, n, 5000):
            rows = range(start, min(n, start + 5000))
            session.execute(insert(CatalogItem), [dict(
                catalog_id=catalog.id, position=i, code=f"{YEAR}-WJW-{i:06d}",
                service_category="health", title=f"社区服务项目{i}", description="健康讲座",
                quantity=Decimal("100"), unit="场次", budget=Decimal("500000.00"),
                eligible_categories=[], min_grade=0) for i in rows])
            ids = dict(session.execute(select(CatalogItem.code, CatalogItem.id).where(
                CatalogItem.catalog_id == catalog.id)).all())
            session.execute(insert(Tender), [dict(
                catalog_item_id=ids[f"{YEAR}-WJW-{i:06d}"], department_id=dept.id,
                reference=f"KS-WJW-{YEAR}-{i:06d}", title=f"社区服务项目{i}",
                description="面向社区居民", procedure="open", ceiling_price=Decimal("300000.00"),
                eligible_categories=[], min_grade=0, allow_filed=False,
                priority_rule="price_deduction", priority_value=Decimal("0"),
                clarification_deadline=when + dt.timedelta(days=5),
                bid_deadline=when + dt.timedelta(days=10),
                opening_time=when + dt.timedelta(days=10, hours=1), standstill_days=7,
                challenge_window_days=7, status="published", version=1, created_at=when,
                published_at=when) for i in rows])
        session.commit()
    app.extensions["db_engine"].dispose()


def measure_db(n: int) -> dict:
    from sqlalchemy.orm import Session

    from market import create_app
    from market.ocds import packages

    folder = tempfile.mkdtemp(prefix="ocds-bench-")
    url = f"sqlite:///{folder}/bench.sqlite3"
    seed_db(url, n)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "b" * 40})
    sink = Sink()
    with app.app_context(), Session(app.extensions["db_engine"]) as session:
        tracemalloc.start()
        start = time.perf_counter()
        for chunk in packages.stream_release_package(
                PREFIX, packages.year_processes(session, YEAR), "https://example.org/x"):
            sink.write(chunk)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"source": "db", "n": n, "peak_kib": round(peak / 1024),
            "mib_out": round(sink.bytes / 2**20, 1), "seconds": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--db", action="store_true", help="also export from a seeded database")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # source n (subprocess)
    args = parser.parse_args()
    if args.one:
        source, n = args.one[0], int(args.one[1])
        print(json.dumps((measure_db if source == "db" else measure_synthetic)(n)))
        return
    sources = ["synthetic"] + (["db"] if args.db else [])
    for source in sources:
        for n in args.sizes:
            out = subprocess.run([sys.executable, __file__, "--one", source, str(n)],
                                 check=True, capture_output=True, text=True, cwd=ROOT,
                                 env={**os.environ, "MARKET_ENV": "development"})
            result = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{result['source']:>9}  N={result['n']:>6}  peak {result['peak_kib']:>7} KiB"
                  f"  output {result['mib_out']:>7} MiB  {result['seconds']:>6} s", flush=True)


if __name__ == "__main__":
    main()
