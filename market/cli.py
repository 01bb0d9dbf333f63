"""Flask CLI: ``flask db``, ``flask i18n``, ``flask demo``, ``flask users``, ``flask seed-scale``."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ledger.cli import expected_head_option
from market.db import alembic_config, get_session, unit_of_work, upgrade_database

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
i18n_cli = AppGroup("i18n", help="Translation catalogs.")
demo_cli = AppGroup("demo", help="Demo data.")
users_cli = AppGroup("users", help="User accounts.")
ledger_cli = AppGroup("ledger", help="The fund ledger: export, verify, publish the chain head.")
backup_cli = AppGroup("backup", help="Portable logical backup (JSON lines) and restore.")


@db_cli.command("upgrade")
@click.option("--set-aside-stale-sqlite", is_flag=True,
              help="Move an SQLite database built by an older migration layout aside first.")
def db_upgrade(set_aside_stale_sqlite: bool):
    """Apply every migration (all branches)."""
    url = current_app.config["DATABASE_URL"]
    if set_aside_stale_sqlite:
        from market.db import set_aside_stale_sqlite as set_aside

        aside = set_aside(url)
        if aside:
            click.echo(f"the old database was built by an older layout; kept as {aside}")
    upgrade_database(url)
    click.echo("database is up to date")


@db_cli.command("check")
def db_check():
    """Fail if the models have changes that no migration captures."""
    from alembic import command

    command.check(alembic_config(current_app.config["DATABASE_URL"]))
    click.echo("no model change is missing a migration")


@i18n_cli.command("compile")
@click.option("--force", is_flag=True)
def i18n_compile(force: bool):
    from market.i18n import compile_catalogs

    click.echo(f"compiled {compile_catalogs(force=force)} catalog(s)")


@demo_cli.command("seed")
@click.option("--city-year/--no-city-year", default=True, show_default=True,
              help="Also a city's year of tenders, contracts and payments (twelve town "
                   "offices, about forty contracts, a ledger of about eight hundred entries).")
def demo_seed(city_year: bool):
    """Seed the demo (idempotent) and print one login per role."""
    from market.demo import seed
    from market.scale import seed_city_year

    session = get_session()
    with unit_of_work(session):
        written = seed_city_year(session) if city_year else None
        logins = seed(session, showcase=True)
    if written:
        click.echo("City-year: " + ", ".join(f"{n:,} {what.replace('_', ' ')}"
                                             for what, n in written.items()))
    click.echo("Demo logins (username / password / role):")
    for username, password, role in logins:
        click.echo(f"  {username:<10} {password:<16} {role}")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True)
@click.option("--name", "display_name", default="")
@click.option("--department-id", type=int)
@click.option("--town-id", type=int)
@click.option("--agency-id", type=int)
@click.password_option()
def users_create(username, role, display_name, department_id, town_id, agency_id, password):
    from market.accounts.services import create_user

    session = get_session()
    with unit_of_work(session):
        user = create_user(session, username=username, password=password,
                           display_name=display_name or username, role=role,
                           department_id=department_id, town_id=town_id, agency_id=agency_id)
    click.echo(f"created user {user.username} ({user.role})")


def _user_or_fail(session, username):
    from market.accounts.services import find_user

    user = find_user(session, username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


@users_cli.command("logout-everywhere")
@click.argument("username")
def users_logout_everywhere(username):
    """End every session and remember-me cookie of a user."""
    from market.accounts.sessions import logout_everywhere

    session = get_session()
    with unit_of_work(session):
        logout_everywhere(session, _user_or_fail(session, username), by_operator=True)
    click.echo(f"every session of {username} has ended")


@users_cli.command("reset-two-factor")
@click.argument("username")
def users_reset_two_factor(username):
    """Turn a user's second factor off (a lost phone) and end their sessions."""
    from market.accounts.two_factor import reset

    session = get_session()
    with unit_of_work(session):
        reset(session, _user_or_fail(session, username))
    click.echo(f"two-step verification is off for {username}; their sessions have ended")


def _published_head() -> tuple[int, str] | None:
    from market.auditor.queries import latest_published_head

    latest = latest_published_head(get_session())
    return latest.expected if latest else None


@ledger_cli.command("export")
@click.option("--out", default=None, help="Folder to write (default: instance/ledger-export).")
def ledger_export(out):
    """Write the ledger as beancount files, one per year plus main.beancount.

    The plugin line carries the latest published chain head (expected_head=SEQ:HASH)."""
    from ledger.cli import _bar
    from ledger.export import export

    session = get_session()
    folder = out or current_app.config["LEDGER_EXPORT_FOLDER"]
    with _bar(session, "exporting") as progress:
        result = export(session, folder, progress, expected_head=_published_head())
    click.echo(f"{result.entries} entries, {result.accounts} accounts -> {result.main}")
    click.echo(f"check it: bean-check {result.main}")


@ledger_cli.command("verify")
@expected_head_option
def ledger_verify(expected_head):
    """Export to a temporary folder, load with beancount + plugin, cross-check balances, and
    check the journal reaches the expected head (default: the latest published one)."""
    from ledger.cli import _bar
    from ledger.verify import verify

    session = get_session()
    expected = expected_head or _published_head()
    with _bar(session, "verifying") as progress:
        verdict = verify(session, progress=progress, expected_head=expected)
    against = f"; reaches #{expected[0]} {expected[1]}" if expected else \
        "; no published head to check against"
    if verdict.ok:
        click.echo(f"OK: {verdict.entries} entries, {verdict.accounts} accounts, "
                   f"head #{verdict.head_seq}; beancount agrees with the balance rows{against}")
        return
    click.echo("FAILED:", err=True)
    for problem in verdict.problems:
        click.echo(f"  - {problem}", err=True)
    raise SystemExit(1)


@click.command("seed-scale")
@click.option("--size", default="city", show_default=True,
              help="city (2,000 organizations), province (100,000) or a number of organizations.")
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same data).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day the data runs up to (default: today).")
def seed_scale_command(size: str, seed: int, today):
    """Fill a fresh database with a city's or a province's data, fast (bulk inserts; every
    invariant kept: the ledger verifies, receipts recompute, grades and clearance agree)."""
    import time

    from market.errors import DomainError
    from market.scale import seed_scale

    started = time.monotonic()

    def progress(what: str, n: int) -> None:
        click.echo(f"  {time.monotonic() - started:7.1f} s  {what:<18} {n:>12,}")

    session = get_session()
    try:
        with unit_of_work(session):
            counts = seed_scale(session, size, seed=seed,
                                today=today.date() if today else None, progress=progress)
    except DomainError as e:
        raise click.ClickException(str(e)) from e
    click.echo("written:")
    for what, n in counts.items():
        click.echo(f"  {what:<18} {n:>12,}")
    click.echo(f"done in {time.monotonic() - started:.1f} s")


@ledger_cli.command("publish-head")
def ledger_publish_head():
    """Publish today's chain head (sequence and hash) on the public portal.

    Once a day (Beijing date); running it again the same day changes nothing, so a cron job
    or a systemd timer may run it as often as it likes."""
    from market.auditor.services import publish_head

    session = get_session()
    with unit_of_work(session):
        row, new = publish_head(session)
    verb = "published" if new else "already published"
    click.echo(f"{verb} for {row.day.isoformat()}: #{row.seq} {row.hash}")


def register(app: Flask) -> None:
    for group in (db_cli, i18n_cli, demo_cli, users_cli, ledger_cli, backup_cli):
        app.cli.add_command(group)
    app.cli.add_command(seed_scale_command)


@i18n_cli.command("update")
@click.argument("part")
def i18n_update(part: str):
    """Re-extract PART's messages into its .po and list what still needs translating."""
    from market.i18n import translation_memory, update_part

    count, missing = update_part(part, memory=translation_memory())
    click.echo(f"{part}: {count} messages, {len(missing)} untranslated")
    for msgid in missing:
        click.echo(f"  - {msgid}")


@backup_cli.command("create")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="The file to write (JSON lines).")
def backup_create(out):
    """Dump every table, the ledger's included, in dependency order."""
    from market.backup import create

    counts = create(current_app.config["DATABASE_URL"], out)
    click.echo(f"{sum(counts.values())} rows of {len(counts)} tables -> {out}")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True,
              help="Restore even into a database that holds data: its tables are dropped "
                   "and rebuilt through the migrations first.")
def backup_restore(file, force):
    """Restore FILE into an empty database built by the migrations (insert only)."""
    from market.backup import BackupError, restore

    try:
        counts = restore(current_app.config["DATABASE_URL"], file, force=force)
    except BackupError as e:
        click.echo(f"refused: {e}", err=True)
        raise SystemExit(1) from e
    click.echo(f"restored {sum(counts.values())} rows of {len(counts)} tables from {file}")
