"""The auditors' workspace (审计监督): budget execution, drill-down, export, verification."""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from flask import (Blueprint, abort, current_app, render_template, request, send_file,
                   url_for)

from flask_babel import lazy_gettext as _l

from market.core.inputs import MAX_YEAR, MIN_YEAR, int_arg
from market.access.guards import permission_required
from market.access.permissions import Permission
from market.auditor import queries
from market.catalogs.queries import fiscal_years
from market.catalogs.forms import ConfirmForm
from market.clock import today_local
from market.core.listing import Column, Listing, local_name
from market.core.pagination import Page, page_number
from market.db import get_session

bp = Blueprint("auditor", __name__, url_prefix="/audit")

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
ACCOUNT = Listing("account", _l("Account history"), (
    Column("#", lambda line: line.txn.seq),
    Column(_l("Date"), lambda line: line.txn.date),
    Column(_l("Narration"), lambda line: line.txn.narration),
    Column(_l("Amount (yuan)"), lambda line: line.amount, money=True),
    Column(_l("Hash"), lambda line: line.txn.hash),
))


@bp.route("/")
@permission_required(Permission.LEDGER_READ)
def execution():
    session = get_session()
    years = fiscal_years(session)
    fy = int_arg("fy", years[0] if years else today_local().year, low=MIN_YEAR, high=MAX_YEAR)
    execution = queries.budget_execution(session, fy)
    if (file := EXECUTION.file(
            lambda: [r for d in execution.departments for r in d.items])) is not None:
        return file
    return render_template("auditor/execution.html", execution=execution,
                           years=years, confirm=ConfirmForm(formdata=None))


@bp.route("/account")
@permission_required(Permission.LEDGER_READ)
def account():
    name = request.args.get("name", "")
    size = current_app.config["PAGE_SIZE"]
    page_no = page_number()
    session = get_session()
    acct, lines, total = queries.account_history(session, name, page_no, size)
    if acct is None:
        abort(404)
    if (file := ACCOUNT.file(lambda: queries.account_lines(session, acct))) is not None:
        return file
    return render_template("auditor/account.html", account=acct,
                           page=Page(lines, total, page_no, size))


@bp.route("/txn/<int:seq>")
@permission_required(Permission.LEDGER_READ)
def transaction(seq: int):
    view = queries.transaction(get_session(), seq)
    if view is None:
        abort(404)
    return render_template("auditor/transaction.html", view=view)


@bp.route("/export.zip")
@permission_required(Permission.LEDGER_READ)
def export_zip():
    """The ledger as beancount files (one per year, a main file, the checking plugin)."""
    from ledger.export import export

    with tempfile.TemporaryDirectory(prefix="ledger-export-") as tmp:
        result = export(get_session(), tmp)
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
    """Export, load with beancount and the plugin, cross-check against the balance rows.

    A POST (it does work), so the global CSRF protection covers it."""
    from ledger.verify import verify

    verdict = verify(get_session())
    return render_template("auditor/verdict.html", verdict=verdict), 200 if verdict.ok else 409


def account_url(name: str) -> str:
    return url_for("auditor.account", name=name)


@bp.app_template_global()
def ledger_account_url(name: str) -> str:
    return account_url(name)


