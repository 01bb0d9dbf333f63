"""The platform's floor: its lightest pages against the bare Flask + Jinja baseline, in one
process through the test client (no server, no load generator), three interleaved rounds of
200 requests each; medians and ratios. It shows how much of a page's cost is the framework
around it — sessions, CSRF, the translation layer, the navigation — before any list.

    .venv/bin/python bench/floor_bench.py [DATABASE_URL] [PATH ...]
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_ms(client, path: str, n: int = 200) -> float:
    for _ in range(10):
        client.get(path)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(argv: list[str]) -> None:
    if argv and "://" in argv[0]:
        os.environ["MARKET_DATABASE_URL"] = argv.pop(0)
    paths = argv or ["/login", "/"]
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import baseline
    from wsgi import app

    base, ours = baseline.app.test_client(), app.test_client()
    print(f"{'page':10s} {'ours ms':>8s} {'baseline ms':>12s} {'ratio':>6s}")
    for _round in range(3):
        reference = median_ms(base, "/")
        for path in paths:
            mine = median_ms(ours, path)
            print(f"{path:10s} {mine:8.2f} {reference:12.2f} {reference / mine:6.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
