"""How long emptying the test database takes on PostgreSQL: TRUNCATE of every table (the
old per-test cleanup) against DELETE with triggers off and sequences restarted (the new one,
tests/conftest.py ``_truncate_all``), on an empty migrated schema; median of 5 each.

    .venv/bin/python bench/pg_cleanup_bench.py [postgresql+psycopg://postgres@127.0.0.1:5432]
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from market.db import upgrade_database  # noqa: E402

SERVER = sys.argv[1] if len(sys.argv) > 1 else "postgresql+psycopg://postgres@127.0.0.1:5432"


def main() -> None:
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS bench_cleanup WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE bench_cleanup"))
    url = f"{SERVER}/bench_cleanup"
    upgrade_database(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"))]
        sequences = [r[0] for r in conn.execute(text(
            "SELECT sequence_name FROM information_schema.sequences "
            "WHERE sequence_schema = 'public'"))]

    def truncate():
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                              + " RESTART IDENTITY CASCADE"))

    def delete():
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
            for sequence in sequences:
                conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))

    print(f"{len(tables)} tables, {len(sequences)} sequences")
    for fn in (truncate, delete):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        print(f"{fn.__name__:<9} median {statistics.median(times) * 1000:7.1f} ms")
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS bench_cleanup WITH (FORCE)"))
    admin.dispose()


if __name__ == "__main__":
    main()
