"""A portable logical backup: every table of the metadata as JSON lines.

``create(url, out)`` writes one header line, then for each table in dependency order
(the ledger's tables first, then the platform's, each metadata's ``sorted_tables``) a
``{"table": ..., "columns": [...]}`` line followed by one ``{"row": [...]}`` line per row,
ordered by primary key. Values that JSON cannot carry exactly are tagged:
``{"$decimal": "72000.00"}``, ``{"$datetime": "2028-03-01T09:00:00+00:00"}``,
``{"$date": "2028-03-01"}``, ``{"$time": ...}``, ``{"$bytes": base64}``; JSON-typed columns
are written as they are and never untagged. On PostgreSQL the dump is read in one
REPEATABLE READ snapshot, so it is consistent while the platform keeps running.

``restore(url, path, force=False)`` builds the schema through the migrations
(``upgrade_database``), refuses a target that already holds data unless ``force`` (which
drops the platform's tables and rebuilds them through the migrations: nothing is deleted
row by row, no trigger is disabled), checks that the dump was made at the same migration
heads, and then only INSERTs — the audit log's and the ledger's append-only rules stay on.
The one row the migrations themselves write, the ledger's genesis chain head, is replaced
by the dumped head. On PostgreSQL the id sequences are then moved past the restored ids.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from sqlalchemy import JSON, Table, func, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine

from market.all_models import target_metadata
from market.db import alembic_config, make_engine, upgrade_database

FORMAT = "market-backup"
VERSION = 1
BATCH = 500
CHAIN_HEAD = "ledger_chain_head"


class BackupError(Exception):
    """The backup cannot be restored here (non-empty target, other schema, bad file)."""


def tables() -> list[Table]:
    """Every table of the metadata, in an order where each row's references come first."""
    out: list[Table] = []
    for metadata in reversed(target_metadata):  # the ledger references nothing of ours
        out.extend(metadata.sorted_tables)
    return out


# --- values ---------------------------------------------------------------------------

def encode(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, float):
        return {"$float": repr(value)}
    raise TypeError(f"cannot back up a {type(value).__name__}: {value!r}")


_DECODERS = {
    "$decimal": Decimal, "$datetime": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat, "$time": dt.time.fromisoformat,
    "$bytes": base64.b64decode, "$float": float,
}


def decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag in _DECODERS:
            return _DECODERS[tag](raw)
    if isinstance(value, dict | list):
        raise BackupError(f"unexpected structured value {value!r}")
    return value


def _is_json(column) -> bool:
    return isinstance(column.type, JSON)


# --- create ---------------------------------------------------------------------------

def _heads(conn: Connection) -> list[str]:
    if not inspect(conn).has_table("alembic_version"):
        return []
    return sorted(conn.scalars(text("SELECT version_num FROM alembic_version")))


def _lines(conn: Connection) -> Iterator[dict]:
    yield {"format": FORMAT, "version": VERSION, "dialect": conn.dialect.name,
           "heads": _heads(conn), "created_at": dt.datetime.now(dt.UTC).isoformat()}
    for table in tables():
        columns = list(table.columns)
        json_cols = [_is_json(c) for c in columns]
        yield {"table": table.name, "columns": [c.name for c in columns]}
        order = list(table.primary_key.columns) or columns
        for row in conn.execute(select(*columns).order_by(*order)):
            yield {"row": [v if is_json else encode(v)
                           for v, is_json in zip(row, json_cols, strict=True)]}


def create(url: str, out: str | Path) -> dict[str, int]:
    """Write the backup of the database at ``url`` to ``out``; returns rows per table."""
    engine = make_engine(url)
    counts: dict[str, int] = {}
    current = None
    try:
        options = ({"isolation_level": "REPEATABLE READ"}
                   if engine.dialect.name == "postgresql" else {})
        with engine.connect().execution_options(**options) as conn, \
                open(out, "w", encoding="utf-8") as fh:
            with conn.begin():
                for line in _lines(conn):
                    if "table" in line:
                        current = line["table"]
                        counts[current] = 0
                    elif "row" in line:
                        counts[current] += 1
                    fh.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
                    fh.write("\n")
    finally:
        engine.dispose()
    return counts


# --- restore --------------------------------------------------------------------------

def occupied(conn: Connection) -> list[str]:
    """The platform's tables that hold data (the genesis chain head does not count)."""
    present = set(inspect(conn).get_table_names())
    busy = []
    for table in tables():
        if table.name not in present:
            continue
        if table.name == CHAIN_HEAD:
            if conn.scalar(select(func.max(table.c.last_seq))):
                busy.append(table.name)
        elif conn.scalar(select(func.count()).select_from(table)):
            busy.append(table.name)
    return busy


def _drop_everything(engine: Engine) -> None:
    """--force: drop the platform's tables (and the migration record) to rebuild them."""
    present = set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""
        for name in [t.name for t in reversed(tables())] + ["alembic_version"]:
            if name in present:
                conn.execute(text(f'DROP TABLE "{name}"{cascade}'))


def _same_migrations(url: str, heads: list[str]) -> bool:
    """Do the dump's heads reach exactly the revisions these migrations build?"""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))

    def reach(tops) -> set[str]:
        return {r.revision for top in tops
                for r in script.revision_map.iterate_revisions(top, "base")}

    try:
        return bool(heads) and reach(heads) == reach(script.get_heads())
    except Exception:  # noqa: BLE001 - an unknown revision: not ours
        return False


def _read(path: str | Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                try:
                    yield json.loads(raw)
                except json.JSONDecodeError as e:
                    raise BackupError(f"line {number} is not JSON: {e}") from e


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move every serial/identity sequence past the restored ids."""
    for table in tables():
        for column in table.primary_key.columns:
            seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                              {"t": f'"{table.name}"', "c": column.name})
            if seq:
                conn.execute(text(
                    f'SELECT setval(:s, COALESCE(MAX("{column.name}"), 1), '
                    f'MAX("{column.name}") IS NOT NULL) FROM "{table.name}"'), {"s": seq})


def restore(url: str, path: str | Path, *, force: bool = False) -> dict[str, int]:
    """Restore the backup at ``path`` into the database at ``url``; returns rows per table."""
    lines = _read(path)
    header = next(lines, None)
    if not header or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise BackupError(f"{path} is not a {FORMAT} file of version {VERSION}")
    if not _same_migrations(url, header.get("heads") or []):
        raise BackupError(f"the backup was made at migrations {header.get('heads')}, which "
                          "are not where these migrations end")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            busy = occupied(conn)
        if busy and not force:
            raise BackupError("the target database is not empty (" + ", ".join(busy[:5])
                              + (" …" if len(busy) > 5 else "")
                              + "); restore into an empty database, or pass --force")
        if busy:
            _drop_everything(engine)
        upgrade_database(url)
        by_name = {t.name: t for t in tables()}
        counts: dict[str, int] = {}
        with engine.begin() as conn:
            if _heads(conn) != header["heads"]:
                raise BackupError(f"the backup was made at migrations {header['heads']}, "
                                  f"this database is at {_heads(conn)}")
            table, names, json_cols, batch = None, [], [], []

            def flush():
                if batch:
                    conn.execute(table.insert(), batch)
                    batch.clear()

            for line in lines:
                if "table" in line:
                    flush()
                    table = by_name.get(line["table"])
                    if table is None:
                        raise BackupError(f"unknown table {line['table']}")
                    names = line["columns"]
                    json_cols = [_is_json(table.c[n]) for n in names]
                    counts[table.name] = 0
                elif "row" in line:
                    values = {n: (v if is_json else decode(v))
                              for n, v, is_json in zip(names, line["row"], json_cols,
                                                       strict=True)}
                    counts[table.name] += 1
                    if table.name == CHAIN_HEAD:  # the migrations wrote the genesis head
                        key = {c.name: values[c.name] for c in table.primary_key.columns}
                        done = conn.execute(update(table).where(
                            *[table.c[k] == v for k, v in key.items()]).values(values))
                        if done.rowcount:
                            continue
                    batch.append(values)
                    if len(batch) >= BATCH:
                        flush()
            flush()
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
        return counts
    finally:
        engine.dispose()

