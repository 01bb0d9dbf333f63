"""Pages against the limit, and the auditor against Fava (issue 13, part 3).

    .venv/bin/python bench/pages_bench.py                        # city data, SQLite
    .venv/bin/python bench/pages_bench.py --size province \\
        --pg postgresql+psycopg://postgres@127.0.0.1/postgres     # province, PostgreSQL
    .venv/bin/python bench/pages_bench.py --fava                 # also the Fava comparison

A database is seeded once per size with ``flask seed-scale`` (kept under bench/.data, or as
the PostgreSQL database ``bench_scale_<size>``; ``--reseed`` starts over). The platform
(``wsgi:app``) and the baseline (``bench/baseline.py``: bare Flask + Jinja, a 50-row table)
run under the same gunicorn settings (sync workers). A load generator of ``--clients``
keep-alive threads drives each page from loopback for ``--seconds``, interleaved with the
baseline for ``--rounds`` rounds; the table gives requests/s, p50 and p99 of each and the
ratio page/baseline (target >= 0.5). Machines here are shared: quote the ratio.

``--fava``: the ledger is exported to beancount; "first answer" is the time from launching
the server to the first answer of the auditor's budget execution (ours) and of Fava's
balance sheet over the same export (target: ours >= 50x faster).
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
BIN = Path(sys.executable).parent
PASSWORD = "demo-pass-2026"
PAGE_SIZE = 50  # rows of a list page, as the baseline's table


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return done.stdout


def database(size: str, pg: str | None, reseed: bool) -> str:
    """The URL of a database seeded with ``size`` (seeded now unless it already is)."""
    if pg:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"bench_scale_{size}"
        admin = create_engine(make_url(pg).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": name}).scalar()
            if exists and reseed:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                exists = False
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(pg).set(database=name).render_as_string(hide_password=False)
        seeded = bool(exists)
    else:
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"scale-{size}.sqlite3"
        if reseed and path.exists():
            path.unlink()
        seeded = path.exists()
        url = f"sqlite:///{path}"
    if not seeded:
        env = {**os.environ, "MARKET_DATABASE_URL": url}
        run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], env)
        started = time.monotonic()
        print(run([str(BIN / "flask"), "--app", "wsgi", "seed-scale", "--size", size], env)
              .rstrip().splitlines()[-1] + f" (seed-scale, {time.monotonic() - started:.0f} s)")
    return url


class Server:
    def __init__(self, target: str, env: dict[str, str], workers: int, log: Path):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", target, "--worker-class", "sync",
             "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}", "--timeout", "300",
             "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT,
            start_new_session=True)
        self.started = time.monotonic()

    def wait(self, path: str = "/", cookie: str = "", timeout: float = 600) -> float:
        """Seconds from launch to the first 200 on ``path``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}")
            try:
                status, _body, _ = request(self.port, path, cookie)
                if status == 200:
                    return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"no answer on {path}")

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)


def request(port: int, path: str, cookie: str = "", method: str = "GET", body: str | None = None,
            conn: http.client.HTTPConnection | None = None, headers: dict | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {**(headers or {}), **({"Cookie": cookie} if cookie else {})}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    result = response.status, data, response.getheader("Set-Cookie") or ""
    if own:
        conn.close()
    return result


def csrf_token(page: bytes) -> str:
    """The CSRF token of the first form on ``page`` ("" if none)."""
    found = re.search(rb'<input[^>]*name="csrf_token"[^>]*>', page)
    value = re.search(rb'value="([^"]+)"', found.group(0)) if found else None
    return value.group(1).decode() if value else ""


def login(port: int, username: str) -> str:
    _status, page, set_cookie = request(port, "/login")  # its cookie holds the CSRF secret
    token = csrf_token(page)
    cookie = set_cookie.split(";", 1)[0]
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrf_token": token})
    status, _page, set_cookie = request(port, "/login", cookie, "POST", body)
    if status != 302:
        raise SystemExit(f"login as {username} failed ({status})")
    return set_cookie.split(";", 1)[0]


def load(port: int, path: str, cookie: str, clients: int, seconds: float) -> list[float]:
    """Latencies (s) of every request ``clients`` keep-alive threads sent in ``seconds``."""
    latencies: list[float] = []
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        mine = []
        while time.monotonic() < end:
            t0 = time.perf_counter()
            status, _body, _ = request(port, path, cookie, conn=conn)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")


def pages(url: str) -> list[tuple[str, str | None, str]]:
    """(label, who, path) of the pages the issue lists, on this database."""
    from sqlalchemy import create_engine, func, select

    import market.all_models  # noqa: F401  (every mapper, for the relationships)
    from market.tenders.models import Tender, TenderStatus

    from market.core.pagination import cursor_of
    from market.tenders.queries import PUBLIC_ORDER

    engine = create_engine(url)
    with engine.connect() as conn:
        fy = conn.execute(select(Tender.bid_deadline).order_by(Tender.id.desc())).scalar().year
        contracted = conn.execute(select(Tender.id).where(
            Tender.status == TenderStatus.CONTRACTED).order_by(Tender.id)).scalars().all()
        # a deep page of the unfiltered list (halfway: the 1,000th on province data),
        # reached by its "Next" link's cursor: the last row of the page before it
        published = conn.execute(select(func.count(Tender.id)).where(
            Tender.published_at.is_not(None))).scalar()
        deep = max(2, published // PAGE_SIZE // 2)
        before = conn.execute(select(*PUBLIC_ORDER).where(Tender.published_at.is_not(None))
                              .order_by(*(k.desc() for k in PUBLIC_ORDER))
                              .offset((deep - 1) * PAGE_SIZE - 1).limit(1)).one()
    engine.dispose()
    cursor = cursor_of(before, PUBLIC_ORDER)
    return [
        ("public tender list (50 rows, open for bids, FY)", None,
         f"/tenders/?status=accepting_bids&fy={fy}"),
        (f"public tender list, page {deep:,} (cursor)", None,
         f"/tenders/?page={deep}&after={cursor}"),
        ("a tender page (contracted, 10 bids)", None,
         f"/tenders/{contracted[len(contracted) // 2]}"),
        ("tenders I can bid on (s-org-1)", "s-org-1", "/tenders/for-me"),
        ("organization list", None, "/organizations/"),
        ("budget execution (auditor)", "auditor", f"/audit/?fy={fy}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="city")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL (its server; a database "
                                                   "bench_scale_<size> is made there)")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fava", action="store_true")
    parser.add_argument("--fava-only", action="store_true",
                        help="only the Fava comparison (no page load)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args()
    figures: dict = {"size": args.size, "database": "PostgreSQL" if args.pg else "SQLite",
                     "workers": args.workers, "clients": args.clients, "pages": []}
    sys.path.insert(0, str(ROOT))

    url = database(args.size, args.pg, args.reseed)
    work = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    env = {**os.environ, "MARKET_DATABASE_URL": url, "MARKET_PAGE_SIZE": str(PAGE_SIZE)}
    app = Server("wsgi:app", env, args.workers, work / "app.log")
    base = Server("bench.baseline:app", env, args.workers, work / "baseline.log")
    try:
        app.wait("/login")
        base.wait("/")
        cookies = {who: login(app.port, who) for who in ("s-org-1", "auditor")}
        print(f"{args.size} data on {'PostgreSQL' if args.pg else 'SQLite'}; gunicorn "
              f"{args.workers} sync workers; {args.clients} clients; {args.rounds} rounds of "
              f"{args.seconds:g} s each, interleaved with the baseline")
        print(f"{'page':<42}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'base req/s':>12}"
              f"{'ratio':>7}  target")
        for label, who, path in ([] if args.fava_only else pages(url)):
            cookie = cookies.get(who, "")
            request(app.port, path, cookie)  # warm
            page_lat, base_lat, page_time, base_time = [], [], 0.0, 0.0
            for _ in range(args.rounds):
                lat = load(base.port, "/", "", args.clients, args.seconds)
                base_lat += lat
                base_time += args.seconds
                lat = load(app.port, path, cookie, args.clients, args.seconds)
                page_lat += lat
                page_time += args.seconds
            rps, base_rps = len(page_lat) / page_time, len(base_lat) / base_time
            ratio = rps / base_rps
            figures["pages"].append(dict(
                page=label, path=path, rps=rps, p50_ms=pct(page_lat, .5) * 1000,
                p99_ms=pct(page_lat, .99) * 1000, baseline_rps=base_rps,
                baseline_p50_ms=pct(base_lat, .5) * 1000, ratio=ratio))
            print(f"{label:<42}{rps:8.1f}{pct(page_lat, .5) * 1000:9.1f}"
                  f"{pct(page_lat, .99) * 1000:9.1f}{base_rps:12.1f}{ratio:7.2f}  >= 0.5 "
                  f"{'met' if ratio >= 0.5 else 'NOT met'}")
        if args.fava or args.fava_only:
            figures["fava"] = fava_compare(url, env, args.workers, cookies["auditor"], work)
    finally:
        app.stop()
        base.stop()
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(figures, indent=2))


def fava_compare(url: str, env: dict[str, str], workers: int, cookie: str, work: Path) -> dict:
    """Launch-to-first-answer of the auditor's budget execution (a fresh gunicorn) and of
    Fava's balance sheet over the same ledger exported; also the first request of ours once
    its server is up (the platform is always running; Fava must load the export)."""
    export = work / "export"
    started = time.monotonic()
    run([sys.executable, "-m", "ledger", "export", "--database-url", url, "--out", str(export)],
        env)
    exported = time.monotonic() - started
    fy = max(int(p.stem) for p in export.glob("*.beancount") if p.stem.isdigit())
    ours = Server("wsgi:app", env, workers, work / "app2.log")
    try:
        ours.wait("/login")
        t0 = time.monotonic()
        status, _body, _ = request(ours.port, f"/audit/?fy={fy}", cookie)
        ours_request = time.monotonic() - t0
        if status != 200:
            raise SystemExit(f"budget execution answered {status}")
    finally:
        ours.stop()
    ours = Server("wsgi:app", env, workers, work / "app3.log")
    try:
        ours_first = ours.wait(f"/audit/?fy={fy}", cookie)
    finally:
        ours.stop()
    entries = 0
    from sqlalchemy import create_engine, func, select

    from ledger.models import Transaction

    engine = create_engine(url)
    with engine.connect() as conn:
        entries = conn.execute(select(func.count(Transaction.id))).scalar()
    engine.dispose()
    port = free_port()
    fava = subprocess.Popen([str(BIN / "fava"), "--host", "127.0.0.1", "--port", str(port),
                             "--read-only", str(export / "main.beancount")],
                            cwd=work, stdout=(work / "fava.log").open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    fava_started = time.monotonic()
    try:
        slug = None
        while time.monotonic() - fava_started < 1800:
            try:
                status, body, _ = request(port, "/")
                location = re.search(rb"/([^/\s\"']+)/income_statement", body)
                if location:
                    slug = location.group(1).decode()
                    break
            except OSError:
                pass
            time.sleep(0.05)
        while time.monotonic() - fava_started < 1800:
            status, _body, _ = request(port, f"/{slug}/balance_sheet/")
            if status == 200:
                break
            time.sleep(0.05)
        fava_first = time.monotonic() - fava_started
    finally:
        os.killpg(fava.pid, signal.SIGTERM)
    print(f"\n{entries:,} ledger transactions; export {exported:.1f} s; first answer: budget "
          f"execution {ours_first:.2f} s (launch to page; {ours_request:.2f} s as the first "
          f"request to a running server), Fava balance sheet {fava_first:.2f} s (launch over "
          f"the export); Fava/ours {fava_first / ours_first:.1f}x launch to launch, "
          f"{fava_first / ours_request:.1f}x against the running platform (target >= 50x)")
    return dict(transactions=entries, export_s=exported, ours_launch_s=ours_first,
                ours_request_s=ours_request, fava_s=fava_first)


if __name__ == "__main__":
    main()
