"""``flask ocds export --year Y --out FILE``: the fiscal year's release package, written
as it is built, with a progress bar."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from market.db import get_session
from market.ocds import packages

ocds_cli = AppGroup("ocds", help="Open Contracting Data Standard (OCDS) publication.")


@ocds_cli.command("export")
@click.option("--year", type=click.IntRange(1990, 2200), required=True,
              help="Fiscal year of the catalogs whose tenders are exported.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The JSON file to write.")
def export(year: int, out: str) -> None:
    """Write the fiscal year's OCDS release package to OUT."""
    session = get_session()
    total = packages.count_year(session, year)
    uri = f"{current_app.config['OCDS_PUBLIC_URL'].rstrip('/')}/ocds/years/{year}.json"
    with open(out, "w", encoding="utf-8") as fh, \
            click.progressbar(length=total, label=f"OCDS {year}") as bar:
        for chunk in packages.stream_release_package(
                current_app.config["OCDS_PREFIX"], packages.year_processes(session, year),
                uri, on_process=lambda: bar.update(1)):
            fh.write(chunk)
    click.echo(f"{total} processes -> {out}")
