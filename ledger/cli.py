"""Command line for ops and benchmarks: ``python -m ledger export|verify``.

The Flask CLI (``flask ledger ...``) wraps the same functions in market/.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from ledger.chain import read_head


def _default_url() -> str | None:
    return os.environ.get("MARKET_DATABASE_URL") or os.environ.get("DATABASE_URL")


@contextmanager
def _session(url: str) -> Iterator[Session]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            yield session
            session.rollback()
    finally:
        engine.dispose()


@contextmanager
def _bar(session: Session, label: str) -> Iterator:
    """A click progress bar over the journal's length; yields ``progress(done, total)``."""
    total = max(read_head(session).seq, 1)
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        state = {"done": 0}

        def progress(done: int, _total: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        yield progress


progress_bar = _bar  # public name for the Flask CLI in market/ (``_bar`` kept for it too)


def _expected_head(ctx, param, value: str | None) -> tuple[int, str] | None:
    from ledger.beancount_plugin import EXPECTED_HEAD, parse_expected_head

    if not value:
        return None
    try:
        return parse_expected_head(f"{EXPECTED_HEAD}={value}")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


expected_head_option = click.option(
    "--expected-head", "expected_head", default=None, callback=_expected_head,
    metavar="SEQ:HASH", help="a published chain head the journal must reach (entry SEQ with "
    "hash HASH); fails when the ledger was truncated or rewritten")

url_option = click.option("--database-url", default=_default_url, required=True,
                          help="SQLAlchemy URL (default: $MARKET_DATABASE_URL or $DATABASE_URL)")


@click.group()
def main() -> None:
    """The fund ledger (资金台账): export to beancount, verify."""


@main.command("export")
@url_option
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="folder to write main.beancount and the year files to")
@expected_head_option
def export_command(database_url: str, out: str,
                   expected_head: tuple[int, str] | None) -> None:
    """Export the ledger as beancount files (checked by `bean-check OUT/main.beancount`)."""
    from ledger.export import export

    with _session(database_url) as session, _bar(session, "exporting") as progress:
        result = export(session, out, progress, expected_head=expected_head)
    click.echo(f"{result.entries} entries, {result.accounts} accounts, head #{result.head_seq} "
               f"in {result.seconds:.2f}s -> {result.main}")


@main.command("verify")
@url_option
@click.option("--out", "out", default=None, type=click.Path(file_okay=False),
              help="keep the export in this folder (default: a temporary folder)")
@expected_head_option
def verify_command(database_url: str, out: str | None,
                   expected_head: tuple[int, str] | None) -> None:
    """Export, check with beancount and the plugin, and cross-check every balance.

    Exits 0 when the ledger is sound, 1 with the problems listed otherwise.
    """
    from ledger.verify import verify

    def phase(name: str) -> None:
        if name != "export":
            click.echo(f"{name}...", err=True)

    with _session(database_url) as session:
        with _bar(session, "exporting") as progress:
            verdict = verify(session, out, progress, on_phase=phase,
                             expected_head=expected_head)
    for problem in verdict.problems:
        click.echo(problem)
    click.echo(f"{'OK' if verdict.ok else 'FAILED'}: {verdict.entries} entries, "
               f"{verdict.accounts} accounts (export {verdict.export_seconds:.2f}s, "
               f"beancount {verdict.load_seconds:.2f}s, cross-check {verdict.check_seconds:.2f}s)")
    sys.exit(0 if verdict.ok else 1)
