"""A 304 against a full 200 (market/core/caching.py), through the Flask test client.

    .venv/bin/python bench/http_cache_bench.py [--requests 200]

Seeds the demo into a temporary SQLite database, then for each public URL times
``--requests`` anonymous GETs answered 200 and as many carrying the ETag just received
(answered 304), interleaved, and prints the median of each, their ratio and the bytes
each sends. An HTML page's ETag is a hash of its rendered body, so a 304 saves the bytes
on the wire, not the rendering; the ratio says how much of the server's time that is.

Measured here (demo seed, 100 requests each, 2 shared cores): /tenders/ 10.6 ms vs
10.4 ms (0.98), /api/v1/tenders 5.7 vs 5.7 ms (1.01), the qualified-organizations CSV 6.2
vs 6.1 ms (0.99). A 304 that spares the server's work needs a validator known before the
page is built — a data version the services bump on every change, which the schema has
not got (no ``updated_at`` on tenders, states that follow from the clock).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

URLS = ("/tenders/", "/api/v1/tenders", "/qualified-organizations.csv")


def _app(folder: Path):
    from sqlalchemy.orm import Session

    from market import create_app
    from market.db import upgrade_database
    from market.demo import seed
    from market.i18n import compile_catalogs

    compile_catalogs()
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade_database(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40,
                      "UPLOAD_FOLDER": str(folder / "uploads"),
                      "LEDGER_EXPORT_FOLDER": str(folder / "ledger"),
                      "RATELIMIT_STORAGE_URI": "memory://",
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024})
    with Session(app.extensions["db_engine"]) as session:
        seed(session)
        session.commit()
    return app


def _time(client, url: str, headers: dict, expect: int) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    body = response.get_data()
    elapsed = time.perf_counter() - start
    assert response.status_code == expect, (url, response.status_code)
    return elapsed, len(body)


def measure(app, url: str, n: int) -> dict:
    client = app.test_client()
    etag = client.get(url).headers["ETag"]
    full, cached, size = [], [], 0
    for _ in range(n):
        elapsed, size = _time(client, url, {}, 200)
        full.append(elapsed)
        cached.append(_time(client, url, {"If-None-Match": etag}, 304)[0])
    return {"url": url, "full": statistics.median(full), "cached": statistics.median(cached),
            "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp))
        rows = [measure(app, url, args.requests) for url in URLS]
        app.extensions["db_engine"].dispose()
    print(f"{'URL':32} {'200 median':>11} {'304 median':>11} {'304/200':>8} {'200 bytes':>10}")
    for r in rows:
        print(f"{r['url']:32} {r['full'] * 1000:9.2f}ms {r['cached'] * 1000:9.2f}ms "
              f"{r['cached'] / r['full']:8.2f} {r['bytes']:10d}")


if __name__ == "__main__":
    main()
