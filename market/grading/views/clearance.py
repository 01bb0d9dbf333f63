"""Clearance list (清退, civil affairs) and the public qualified-organization catalog."""
from __future__ import annotations


from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from market.core.inputs import int_arg
from market.access.guards import permission_required, public
from market.accounts.models import Town
from market.access.permissions import Permission
from market.clock import now, today_local
from market.core.listing import Column, Listing
from market.core.pagination import Page, page_number, page_of
from market.db import get_session, unit_of_work
from market.grading import catalog
from market.grading.labels import grade_label
from market.grading.services import clearance
from market.orgs.enums import Category
from market.grading.views.blueprint import bp


CLEARANCE = Listing("clearance-list", _l("Clearance list"), (
    Column(_l("Organization"), lambda entry: entry.organization.name),
    Column(_l("Unified social credit code"), lambda entry: entry.organization.credit_code),
    Column(_l("Reason"), lambda entry: entry.label),
    Column(_l("Listed since"), lambda entry: entry.since),
    Column(_l("Registered on"), lambda entry: entry.organization.registered_on),
    Column(_l("Eligible for grade evaluation since"), lambda entry: entry.eligible_since),
    Column(_l("Last grade evaluation"), lambda entry: entry.last_grading),
    Column(_l("Last grade"), lambda entry: grade_label(entry.last_grade)
           if entry.last_grading else ""),
    Column(_l("Grade ended on"), lambda entry: entry.grade_ended),
))


@bp.route("/clearance/")
@permission_required(Permission.CLEARANCE_DECIDE)
def clearance_list():
    session = get_session()
    listings = clearance.clearance_list(session, now())
    if (file := CLEARANCE.file(lambda: listings)) is not None:
        return file
    size = current_app.config["PAGE_SIZE"]
    page = page_of(listings, page_number(), size)
    return render_template("grading/clearance.html", page=page, today=today_local())


@bp.route("/clearance/<int:org_id>/decision", methods=["POST"])
@permission_required(Permission.CLEARANCE_DECIDE)
def clearance_decide(org_id: int):
    session = get_session()
    clear = request.form.get("outcome") == "clear"
    with unit_of_work(session):
        clearance.decide(session, current_user, org_id, clear, request.form.get("note", ""),
                         now())
    flash(_("The organization has been cleared out.") if clear
          else _("Recorded why the organization is not cleared out."), "success")
    return redirect(url_for(".clearance_list"))


def _filters() -> catalog.Filters:
    def _int(name):
        return int_arg(name) or None

    return catalog.Filters(category=request.args.get("category") or None,
                           town_id=_int("town"), min_grade=_int("grade"),
                           q=(request.args.get("q") or "").strip() or None)


@bp.route("/qualified-organizations")
@public
def qualified():
    """有资格承接政府委托事项的社会组织目录 — public, no login."""
    session = get_session()
    filters = _filters()
    if catalog.QUALIFIED.requested():
        return _download(catalog.QUALIFIED.requested())
    size = current_app.config["PAGE_SIZE"]
    number = page_number()
    rows, total = catalog.page(session, today_local(), filters, number, size)
    towns = list(session.scalars(select(Town).order_by(Town.code)))
    return render_template("grading/catalog.html", page=Page(rows, total, number, size),
                           filters=filters, towns={t.id: t for t in towns}, town_list=towns,
                           categories=list(Category), today=today_local())


@bp.route("/qualified-organizations.csv")
@public
def qualified_csv():
    return _download("csv")


@bp.route("/qualified-organizations.xlsx")
@public
def qualified_xlsx():
    return _download("xlsx")


def _download(fmt: str):
    session, filters = get_session(), _filters()
    return catalog.QUALIFIED.download(fmt, lambda: catalog.rows(session, today_local(), filters))
