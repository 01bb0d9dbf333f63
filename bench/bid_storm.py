"""Bid storm (issue 13, part 3): ``--clients`` organizations bid at once in the last seconds
before a tender's deadline, some of them just after it, through gunicorn on PostgreSQL.

    .venv/bin/python bench/bid_storm.py --pg postgresql+psycopg://postgres@127.0.0.1/postgres

A fresh database ``bench_storm`` is migrated and seeded (``seed-scale``, small); the storm's
bidders get the annual reports a bidder needs, and the demo department publishes a tender
whose deadline falls ``--lead`` seconds after every client has logged in and loaded its bid
form. Each client then posts its sealed bid at a random moment in the last ``--window``
seconds before the deadline; ``--late`` of them post just after it. Afterwards every bid the
server acknowledged (a redirect back to the bid page with the receipt) must be stored with
that receipt (zero lost), and no bid may be stored after the deadline (zero late accepted).
Throughput is quoted as a ratio to the bare Flask + Jinja baseline (bench/baseline.py) under
the same gunicorn settings, measured in the same run.

The arrival stamp (docs/SCALING.md, section 1): the server runs with
``MARKET_REQUEST_START_HEADER=X-Request-Start`` and each client sends that header with its
own send time (``t=<seconds.milliseconds>``), as nginx's
``proxy_set_header X-Request-Start "t=${msec}"`` would in front of it. A bid sent before the
deadline must then be accepted however long it queued ("on time refused" should be 0), and
one sent after it refused. ``--no-stamp`` runs the storm without the header (the worker's
clock decides), for comparison.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from pages_bench import BIN, Server, load, request, run  # noqa: E402

PASSWORD = "demo-pass-2026"
STAMP_HEADER = "X-Request-Start"


def prepare(pg: str, clients: int) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "bench_storm"
    admin = create_engine(make_url(pg).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(pg).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "MARKET_DATABASE_URL": url}
    run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env)
    # About half the seeded organizations are graded, and only those bid (an ungraded one
    # registered long ago is on the clearance list): three per client leaves enough.
    run([str(BIN / "flask"), "--app", "wsgi", "seed-scale", "--size", str(max(clients * 3, 50))],
        env)
    return url


def storm_tender(url: str, clients: int, deadline: dt.datetime) -> tuple[int, list[str]]:
    """Annual reports for the first ``clients`` organizations; a tender closing at
    ``deadline``; returns its id and the bidders' usernames."""
    os.environ["MARKET_DATABASE_URL"] = url
    from sqlalchemy import select

    from market import create_app
    from market.catalogs.models import CatalogItem
    from market.db import get_session
    from market.documents.models import OwnerType
    from market.documents.storage import Upload, store_document
    from market.orgs.demo import minimal_pdf
    from market.orgs.enums import InspectionResult
    from market.orgs.models import AnnualReport, Organization
    from market.accounts.models import User
    from market.tenders import tender_services

    app = create_app()
    with app.app_context():
        session = get_session()
        from market.grading.models import OrgGrade

        # Graded organizations: an ungraded one registered long ago is on the clearance list.
        users = session.scalars(select(User).where(User.username.like("s-org-%")).where(
            User.organization_id.in_(select(OrgGrade.organization_id)))
            .order_by(User.id).limit(clients)).all()
        year = dt.date.today().year
        for user in users:
            org = session.get(Organization, user.organization_id)
            for y in range(year - 3, year):
                doc = store_document(session, Upload("audit.pdf", minimal_pdf(f"{org.id}-{y}")),
                                     owner_type=OwnerType.ORGANIZATION, owner_id=org.id,
                                     purpose="audit_report", actor=user)
                session.add(AnnualReport(organization_id=org.id, year=y, income=1, expenditure=1,
                                         net_assets=1, staff_count=3, audit_report_id=doc.id,
                                         result=InspectionResult.PASS))
        dept = session.scalar(select(User).where(User.username == "s-dept-1"))
        item = session.scalar(select(CatalogItem).join(CatalogItem.catalog).where(
            CatalogItem.catalog.has(department_id=dept.department_id)).order_by(CatalogItem.id))
        from market import funds
        room = funds.item_funds(session, item).available
        # Published with lawful dates through the services; then its deadline is moved to
        # the storm's (the storm measures bidding, not the minimum tender period).
        now = dt.datetime.now(dt.UTC)
        tender = tender_services.create_tender(session, dept, item.id, dict(
            title="投标压力测试项目", description="两百家机构在截止前几秒同时投标。",
            procedure="open", ceiling_price=str(min(room, Decimal("100000.00"))),
            clarification_deadline=now + dt.timedelta(days=25),
            bid_deadline=now + dt.timedelta(days=30),
            opening_time=now + dt.timedelta(days=30, hours=1), priority_rule="tie_break",
            priority_value=None, criteria=[("报价", "30", True), ("服务方案", "70", False)]))
        from market.tenders.demo import attach_demo_document

        attach_demo_document(session, dept, tender)  # 招标文件: publication requires it
        tender_services.publish_tender(session, dept, tender.id)
        tender.clarification_deadline = deadline - dt.timedelta(seconds=1)
        tender.bid_deadline = deadline
        tender.opening_time = deadline + dt.timedelta(minutes=5)
        session.commit()
        return tender.id, [u.username for u in users]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--late", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--window", type=float, default=3.0)
    parser.add_argument("--lead", type=float, default=240.0,
                        help="seconds from publication to the deadline (logins come first)")
    parser.add_argument("--no-stamp", action="store_true",
                        help=f"send no {STAMP_HEADER} header: bids are timed by the worker")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args()

    url = prepare(args.pg, args.clients)
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=args.lead)).replace(microsecond=0)
    tender_id, usernames = storm_tender(url, args.clients, deadline)
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"bid-storm-{os.getpid()}"
    work.mkdir(exist_ok=True)
    env = {**os.environ, "MARKET_DATABASE_URL": url}
    stamp = not args.no_stamp
    if stamp:  # the proxy's arrival stamp, trusted (the clients play the proxy)
        env["MARKET_REQUEST_START_HEADER"] = STAMP_HEADER
    else:
        env.pop("MARKET_REQUEST_START_HEADER", None)
    app = Server("wsgi:app", env, args.workers, work / "app.log")
    base = Server("bench.baseline:app", env, args.workers, work / "baseline.log")
    try:
        app.wait("/login")
        base.wait("/")
        from concurrent.futures import ThreadPoolExecutor

        from pages_bench import csrf_token, login

        def enter(username: str) -> tuple[str, str, str]:
            """Log in and load the bid form (its CSRF token)."""
            cookie = login(app.port, username)
            _s, page, set_cookie = request(app.port, f"/tenders/{tender_id}/bid", cookie)
            # The form's CSRF secret is kept in the session cookie the page sets.
            return username, set_cookie.split(";", 1)[0] or cookie, csrf_token(page)

        with ThreadPoolExecutor(max_workers=args.workers * 2) as pool:
            sessions = list(pool.map(enter, usernames))
        left = (deadline - dt.datetime.now(dt.UTC)).total_seconds()
        if left < args.window + 1:
            raise SystemExit(f"logins took too long ({left:.1f} s left): raise --lead")
        rng = random.Random(2026)
        late = set(rng.sample(range(len(sessions)), args.late))
        results: dict[str, tuple[int, str]] = {}
        timings: list[tuple[float, float]] = []  # (sent, answered) of each bid's POST
        from collections import Counter
        errors: Counter = Counter()
        lock = threading.Lock()

        def bid(i: int, username: str, cookie: str, token: str) -> None:
            at = deadline.timestamp() + (0.5 + rng.random() if i in late
                                         else -args.window * rng.random() - 0.2)
            time.sleep(max(0.0, at - time.time()))
            body = urllib.parse.urlencode({"price": "90000.00", "proposal": f"{username}的方案",
                                           "csrf_token": token})
            # The send time, stamped as a proxy would on receipt (loopback: no delay between).
            headers = {STAMP_HEADER: f"t={time.time():.3f}"} if stamp else None
            sent = time.monotonic()
            status, page, set_cookie = request(app.port, f"/tenders/{tender_id}/bid", cookie,
                                               "POST", body, headers=headers)
            with lock:
                timings.append((sent, time.monotonic()))
            follow = ""
            if status != 302:
                # The reasons, after the note above the form that fields are marked.
                found = re.findall(rb'class="[^"]*error[^"]*"[^>]*>([^<]{1,200})', page)
                reason = " | ".join(m.decode().strip()[:40] for m in found[1:] or found)
                with lock:
                    errors[reason or str(status)] += 1
            if status == 302:
                # The session cookie the POST set holds the login and the flashed receipt.
                _s, page, _c = request(app.port, f"/tenders/{tender_id}/bid",
                                       set_cookie.split(";", 1)[0] or cookie)
                found = re.search(rb"flash-success[^>]*>[^<]*?([0-9a-f]{64})", page)
                follow = found.group(1).decode() if found else ""
            with lock:
                results[username] = (status, follow)

        threads = [threading.Thread(target=bid, args=(i, *s)) for i, s in enumerate(sessions)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        storm_seconds = time.monotonic() - started
        baseline = load(base.port, "/", "", 8, 3.0)
    finally:
        app.stop()
        base.stop()

    from sqlalchemy import create_engine, select

    import market.all_models  # noqa: F401
    from market.accounts.models import User
    from market.tenders.models import Bid

    engine = create_engine(url)
    with engine.connect() as conn:
        stored = {r.username: r for r in conn.execute(
            select(User.username, Bid.receipt_hash, Bid.submitted_at)
            .join(Bid, Bid.submitted_by_id == User.id).where(Bid.tender_id == tender_id))}
    engine.dispose()
    acknowledged = [u for u, (status, receipt) in results.items() if status == 302 and receipt]
    lost = [u for u in acknowledged if u not in stored or stored[u].receipt_hash != results[u][1]]
    late_accepted = [u for u, r in stored.items()
                     if r.submitted_at.replace(tzinfo=dt.UTC) >= deadline]
    refused_late = sum(1 for i, (u, _c, _t) in enumerate(sessions)
                       if i in late and u not in stored)
    refused_on_time = sum(1 for i, (u, _c, _t) in enumerate(sessions)
                          if i not in late and u not in stored)
    rps = len(baseline) / 3.0
    span = max(a for _s, a in timings) - min(s for s, _a in timings)
    storm_rps = len(timings) / span
    from pages_bench import pct

    latencies = [a - s for s, a in timings]
    print(f"{len(sessions)} clients ({args.late} after the deadline), gunicorn {args.workers} "
          f"sync workers, PostgreSQL; "
          + (f"arrival stamped by the clients in {STAMP_HEADER} (as the proxy would)" if stamp
             else "no arrival stamp: bids timed by the worker"))
    print(f"acknowledged {len(acknowledged)}, stored {len(stored)}, lost {len(lost)}, late "
          f"accepted {len(late_accepted)}, late refused {refused_late}/{args.late}, on time "
          f"refused {refused_on_time}/{len(sessions) - len(late)}")
    print("refusals:", dict(errors))
    print("answers:", dict(Counter(status for status, _r in results.values())),
          "with a receipt:", sum(1 for _s, r in results.values() if r))
    # The clients post over the last --window seconds, so the storm's rate is bound by
    # their arrival: quoted beside the baseline, not as the server's capacity.
    print(f"storm: {len(sessions)} bids in {storm_seconds:.1f} s of wall time; {len(timings)} "
          f"posts answered within {span:.2f} s from the first sent: {storm_rps:.1f} bids/s, p50 "
          f"{pct(latencies, .5) * 1000:.0f} ms, p99 {pct(latencies, .99) * 1000:.0f} ms; "
          f"baseline {rps:.0f} req/s; ratio {storm_rps / rps:.2f}")
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(dict(
            clients=len(sessions), late_clients=args.late, acknowledged=len(acknowledged),
            stored=len(stored), lost=len(lost), late_accepted=len(late_accepted),
            late_refused=refused_late, on_time_refused=refused_on_time,
            arrival_stamp=stamp, storm_rps=storm_rps,
            p50_ms=pct(latencies, .5) * 1000, p99_ms=pct(latencies, .99) * 1000,
            baseline_rps=rps, ratio=storm_rps / rps), indent=2))


if __name__ == "__main__":
    main()
