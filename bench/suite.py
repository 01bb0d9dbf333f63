"""The benchmark suite (issue 13, part 3): one command, one table of every figure, its
target and the ratio measured in the same run (these machines are shared and noisy: the
ratios are what to quote).

    .venv/bin/python bench/suite.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/suite.py --pg URL --size city --fava-sizes 2000 --quick   # minutes

Each part runs in a process of its own and writes its figures as JSON:

* pages against the limit — ``bench/pages_bench.py`` on the ``--size`` data (seed-scale,
  PostgreSQL, gunicorn sync workers), each page interleaved with the bare Flask + Jinja
  baseline; target: every page >= 0.5x the baseline's requests/s;
* the auditor against Fava — ``pages_bench.py --fava-only`` on seed-scale data of each of
  ``--fava-sizes`` (13000 organizations give about 100k ledger transactions, province about
  800k); target: Fava's first answer >= 50x ours;
* the ledger — ``bench/ledger_bench.py`` (posting latency, export against bean-check, export
  memory; ``--million`` adds N = 1M);
* the bid storm — ``bench/bid_storm.py`` (``--storm-clients`` bidding in the last seconds,
  some after the deadline): zero lost, zero late accepted, throughput against the baseline.

Databases ``bench_scale_<size>`` and ``bench_storm`` stay on the server for the next run
(``--reseed`` starts over; drop them with ``--drop`` when done).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def part(name: str, args: list[str], out: Path) -> dict | None:
    """Run one benchmark script; its figures, or None (with the reason printed) if it failed."""
    started = time.monotonic()
    print(f"--- {name}: {' '.join(args)}", flush=True)
    done = subprocess.run([sys.executable, *args, "--json", str(out)], cwd=ROOT)
    print(f"--- {name}: {time.monotonic() - started:.0f} s", flush=True)
    if done.returncode or not out.exists():
        print(f"--- {name} FAILED (exit {done.returncode})", flush=True)
        return None
    return json.loads(out.read_text())


def rows_of(pages: dict | None, favas: list[dict], ledger: dict | None,
            storm: dict | None) -> list[tuple[str, str, str, str, str]]:
    """(figure, measured, baseline, ratio, target and verdict) rows."""
    rows = []
    if pages:
        where = f"{pages['size']}, {pages['database']}"
        for p in pages["pages"]:
            rows.append((f"page: {p['page']} [{where}]",
                         f"{p['rps']:.1f} req/s, p50 {p['p50_ms']:.0f} ms, p99 {p['p99_ms']:.0f} ms",
                         f"{p['baseline_rps']:.1f} req/s", f"{p['ratio']:.2f}x",
                         _verdict(p["ratio"] >= 0.5, ">= 0.5x")))
    for f in favas:
        ratio_request = f["fava_s"] / f["ours_request_s"]
        ratio_launch = f["fava_s"] / f["ours_launch_s"]
        rows.append((f"auditor vs Fava, {f['transactions']:,} transactions",
                     f"ours {f['ours_request_s']:.2f} s (first request; {f['ours_launch_s']:.2f} s "
                     f"from launch)", f"Fava {f['fava_s']:.1f} s",
                     f"{ratio_request:.0f}x ({ratio_launch:.0f}x)",
                     _verdict(ratio_request >= 50, ">= 50x")))
    if ledger:
        for backend, results in ledger.items():
            sizes = sorted(results, key=int)
            lo, hi = sizes[0], sizes[-1]
            ratio = results[hi]["post_median_ms"] / results[lo]["post_median_ms"]
            rows.append((f"ledger post latency N={int(hi):,} / N={int(lo):,} [{backend}]",
                         f"{results[hi]['post_median_ms']:.2f} ms", f"{results[lo]['post_median_ms']:.2f} ms",
                         f"{ratio:.2f}x", _verdict(ratio <= 1.5, "<= 1.5x")))
            for n in sizes:
                r = results[n]
                ratio = r["export_seconds"] / r["bean_check_s"]
                rows.append((f"ledger export / bean-check, N={int(n):,} [{backend}]",
                             f"{r['export_seconds']:.2f} s", f"{r['bean_check_s']:.2f} s",
                             f"{ratio:.2f}x", _verdict(ratio <= 0.25, "<= 0.25x")))
            ratio = results[hi]["export_maxrss_mb"] / results[lo]["export_maxrss_mb"]
            rows.append((f"ledger export memory N={int(hi):,} / N={int(lo):,} [{backend}]",
                         f"{results[hi]['export_maxrss_mb']:.0f} MB",
                         f"{results[lo]['export_maxrss_mb']:.0f} MB", f"{ratio:.2f}x",
                         _verdict(ratio <= 1.2, "flat (<= 1.2x)")))
    if storm:
        rows.append((f"bid storm: {storm['clients']} clients, {storm['late_clients']} late",
                     f"acknowledged {storm['acknowledged']}, stored {storm['stored']}, "
                     f"lost {storm['lost']}, late accepted {storm['late_accepted']}, "
                     f"late refused {storm['late_refused']}, on time refused "
                     f"{storm.get('on_time_refused', '?')}"
                     + ("" if storm.get("arrival_stamp") else " (no arrival stamp)"), "", "",
                     # an acknowledged bid is one answered with its receipt: none would make
                     # "0 lost" say nothing
                     _verdict(storm["lost"] == 0 and storm["late_accepted"] == 0
                              and storm["acknowledged"] > 0, "0 lost, 0 late")))
        rows.append(("bid storm throughput (bound by the clients' arrival)",
                     f"{storm['storm_rps']:.1f} bids/s, p50 {storm['p50_ms']:.0f} ms, "
                     f"p99 {storm['p99_ms']:.0f} ms", f"{storm['baseline_rps']:.0f} req/s",
                     f"{storm['ratio']:.2f}x", "(reported)"))
    return rows


def _verdict(ok: bool, target: str) -> str:
    return f"{target} {'met' if ok else 'NOT met'}"


def table(rows) -> str:
    head = ("figure", "measured", "baseline", "ratio", "target")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(5)]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def drop(pg: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(pg).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE "
                                  "'bench\\_scale\\_%' OR datname = 'bench_storm'")).scalars().all()
        for name in names:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            print(f"dropped {name}")
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", required=True, help="PostgreSQL server URL (any database)")
    parser.add_argument("--size", default="province", help="seed-scale size of the page data")
    parser.add_argument("--fava-sizes", default="13000,province",
                        help="seed-scale sizes for the Fava comparison, comma-separated")
    parser.add_argument("--ledger-sizes", default="1000,100000")
    parser.add_argument("--million", action="store_true", help="the ledger also at N = 1M")
    parser.add_argument("--storm-clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true",
                        help="short load rounds (1 round of 2 s), a storm of 50 clients")
    parser.add_argument("--skip", default="", help="parts to leave out: pages,fava,ledger,storm")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("--drop", action="store_true",
                        help="drop the benchmark databases (bench_scale_*, bench_storm) and stop")
    args = parser.parse_args()
    if args.drop:
        drop(args.pg)
        return
    skip = set(filter(None, args.skip.split(",")))
    load = ["--rounds", "1", "--seconds", "2"] if args.quick else ["--rounds", "3", "--seconds", "3"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        out = Path(tmp)
        pages = None if "pages" in skip else part(
            "pages", [str(BENCH / "pages_bench.py"), "--size", args.size, "--pg", args.pg,
                      "--workers", str(args.workers), *load], out / "pages.json")
        favas = []
        for size in ([] if "fava" in skip else args.fava_sizes.split(",")):
            found = part(f"fava {size}", [str(BENCH / "pages_bench.py"), "--size", size, "--pg",
                                          args.pg, "--fava-only"], out / f"fava-{size}.json")
            if found and "fava" in found:
                favas.append(found["fava"])
        ledger = None if "ledger" in skip else part(
            "ledger", [str(BENCH / "ledger_bench.py"), "--sizes", args.ledger_sizes, "--pg",
                       args.pg, *(["--million"] if args.million else [])], out / "ledger.json")
        storm = None if "storm" in skip else part(
            "storm", [str(BENCH / "bid_storm.py"), "--pg", args.pg, "--clients",
                      str(50 if args.quick else args.storm_clients),
                      "--late", str(5 if args.quick else 20)], out / "storm.json")
    rows = rows_of(pages, favas, ledger, storm)
    print(f"\nbenchmark suite, {time.monotonic() - started:.0f} s\n")
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(dict(pages=pages, fava=favas, ledger=ledger,
                                                   storm=storm), indent=2))


if __name__ == "__main__":
    main()
