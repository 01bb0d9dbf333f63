"""The auditors' workspace (审计监督): budget execution, drill-down, export, verification."""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from flask import (Blueprint, abort, current_app, render_template, request, send_file,
                   url_for)

from flask_babel import lazy_gettext as _l

from market.core.inputs import MAX_YEAR, MIN_YEAR, int_arg, search_arg
from market.access.guards import permission_required, public
from market.access.permissions import Permission
from market.auditor import queries
from market.catalogs.queries import fiscal_years
from market.auditor.forms import HeadForm
from market.catalogs.forms import ConfirmForm
from market.clock import today_local
from market.core.listing import Column, Listing, local_name
from market.core.pagination import Page, page_number, paginate
from market.db import get_read_session, get_session, reads_replica

bp = Blueprint("auditor", __name__, url_prefix="/audit")
#: The public side of the ledger: the published chain heads.
heads_bp = Blueprint("ledger_heads", __name__, url_prefix="/ledger")

EXECUTION = Listing("budget-execution", _l("Budget execution"), (
    Column(_l("Fiscal year"), lambda r: r.line.fy),
    Column(_l("Department"), lambda r: local_name(r.item.catalog.department)),
    Column(_l("Code"), lambda r: r.item.code),
    Column(_l("Service"), lambda r: r.item.title),
    *(Column(header, lambda r, a=attr: getattr(r, a), money=True) for header, attr in (
        (_l("Appropriated"), "budget"), (_l("Reserved"), "reserved"),
        (_l("Committed"), "committed"), (_l("Paid"), "paid"), (_l("Available"), "available"),
        (_l("Lapsed"), "lapsed"))),
))
HEADS = Listing("ledger-heads", _l("Published ledger heads"), (
    Column(_l("Date"), lambda h: h.day),
    Column(_l("Sequence number"), lambda h: h.seq),
    Column(_l("Hash (SHA-256)"), lambda h: h.hash),
    Column(_l("Published at"), lambda h: h.published_at),
))
ACCOUNT = Listing("account", _l("Account history"), (
    Column("#", lambda line: line.txn.seq),
    Column(_l("Date"), lambda line: line.txn.date),
    Column(_l("Narration"), lambda line: line.txn.narration),
    Column(_l("Amount (yuan)"), lambda line: line.amount, money=True),
    Column(_l("Hash"), lambda line: line.txn.hash),
))


def opening_year(years: list[int], current: int) -> int:
    """The fiscal year the page opens on: the current one by the app clock (China's fiscal
    year is the calendar year) when it has an approved catalog, else the latest year before
    it, else the earliest after it; the current year when there is none at all."""
    if current in years or not years:
        return current
    past = [y for y in years if y < current]
    return max(past) if past else min(years)


@bp.route("/")
@permission_required(Permission.LEDGER_READ)
@reads_replica
def execution():
    session = get_read_session()
    years = fiscal_years(session)
    fy = int_arg("fy", opening_year(years, today_local().year), low=MIN_YEAR, high=MAX_YEAR)
    search = search_arg()
    if EXECUTION.requested() is not None:  # the file: every department's items
        execution = queries.budget_execution(session, fy, search=search)
        return EXECUTION.file(lambda: [r for d in execution.departments for r in d.items])
    execution = queries.budget_execution(
        session, fy, page_number(), current_app.config["EXECUTION_DEPARTMENTS_PER_PAGE"],
        search=search)
    return render_template("auditor/execution.html", execution=execution,
                           years=years, confirm=ConfirmForm(formdata=None))


@bp.route("/account")
@permission_required(Permission.LEDGER_READ)
@reads_replica
def account():
    name = request.args.get("name", "")
    size = current_app.config["PAGE_SIZE"]
    page_no = page_number()
    session = get_read_session()
    acct, lines, total = queries.account_history(session, name, page_no, size)
    if acct is None:
        abort(404)
    if (file := ACCOUNT.file(lambda: queries.account_lines(session, acct))) is not None:
        return file
    return render_template("auditor/account.html", account=acct,
                           words=queries.account_words(session, [acct.name]).get(acct.name),
                           page=Page(lines, total, page_no, size))


@bp.route("/txn/<int:seq>")
@permission_required(Permission.LEDGER_READ)
@reads_replica
def transaction(seq: int):
    view = queries.transaction(get_read_session(), seq)
    if view is None:
        abort(404)
    return render_template("auditor/transaction.html", view=view)


@bp.route("/export.zip")
@permission_required(Permission.LEDGER_READ)
def export_zip():
    """The ledger as beancount files (one per year, a main file, the checking plugin)."""
    from ledger.export import export

    session = get_session()
    latest = queries.latest_published_head(session)
    with tempfile.TemporaryDirectory(prefix="ledger-export-") as tmp:
        # The plugin line carries the latest published head: bean-check then also fails
        # on a copy truncated before it or rewritten.
        result = export(session, tmp, expected_head=latest.expected if latest else None)
        spooled = tempfile.SpooledTemporaryFile(max_size=16 << 20)
        with zipfile.ZipFile(spooled, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).rglob("*")):
                if path.is_file():
                    zf.write(path, Path("ledger") / path.relative_to(tmp))
        spooled.seek(0)
    name = f"ledger-{today_local().isoformat()}-seq{result.head_seq}.zip"
    return send_file(spooled, mimetype="application/zip", as_attachment=True,
                     download_name=name)


@bp.route("/verify", methods=["POST"])
@permission_required(Permission.LEDGER_READ)
def verify_now():
    """Export, load with beancount and the plugin, cross-check against the balance rows,
    and check that the journal reaches the expected head: the one typed in the form, else
    the latest published one.

    A POST (it does work), so the global CSRF protection covers it."""
    from ledger.verify import verify

    session = get_session()
    form = HeadForm()
    if not form.validate():
        return render_template("auditor/verify.html", form=form,
                               latest=queries.latest_published_head(session)), 422
    expected = form.expected()
    if expected is None:
        latest = queries.latest_published_head(session)
        expected = latest.expected if latest else None
    verdict = verify(session, expected_head=expected)
    return render_template("auditor/verdict.html", verdict=verdict, expected=expected), \
        200 if verdict.ok else 409


@bp.route("/verify")
@permission_required(Permission.LEDGER_READ)
def verify_form():
    """The verification form: against the latest published head, or another one."""
    return render_template("auditor/verify.html", form=HeadForm(formdata=None),
                           latest=queries.latest_published_head(get_session()))


@heads_bp.route("/heads")
@public
def heads():
    """公布的链头 — every published head, newest first: anyone may check an export
    against any of them."""
    session = get_session()
    if (file := HEADS.file(queries.published_heads())) is not None:
        return file
    page = paginate(session, queries.published_heads(), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("auditor/heads.html", page=page)


@heads_bp.app_template_global()
def published_head():
    """The latest published head, for the public portal (None before the first)."""
    return queries.latest_published_head(get_session())


def account_url(name: str) -> str:
    return url_for("auditor.account", name=name)


@bp.app_template_global()
def ledger_account_url(name: str) -> str:
    return account_url(name)


