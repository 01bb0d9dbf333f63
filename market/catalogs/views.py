"""Catalog pages: public list, the department's drafting, finance's review."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market import nav
from market.accounts.access import permission_required, public
from market.accounts.permissions import Permission
from market.catalogs import queries, services
from market.catalogs.eligibility import category_label, grade_label
from market.catalogs.forms import (AmendForm, CloseYearForm, ConfirmForm, ItemForm,
                                   NewCatalogForm, ReasonForm)
from market.catalogs.models import CATALOG_STATUS_LABELS, SERVICE_CATEGORY_LABELS, CatalogItem
from market.core.pagination import page_number, paginate
from market.db import get_session, unit_of_work
from market.errors import DomainError, NotFound
from market.home.views import register_panel

bp = Blueprint("catalogs", __name__, url_prefix="/catalogs")

nav.register(
    nav.NavItem("catalogs.index", _l("Purchase catalogs"), public=True, order=10),
    nav.NavItem("catalogs.mine", _l("My catalogs"), Permission.CATALOGS_DRAFT, order=20),
    nav.NavItem("catalogs.review", _l("Catalog review"), Permission.CATALOGS_APPROVE, order=20),
)
register_panel("department", "catalogs/_panel_department.html")
register_panel("finance", "catalogs/_panel_finance.html")


@bp.app_context_processor
def _labels():
    return {"catalog_status_label": lambda s: CATALOG_STATUS_LABELS[s],
            "service_category_label": lambda s: SERVICE_CATEGORY_LABELS[s],
            "org_category_label": category_label, "grade_label": grade_label}


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


def _item_data(form: ItemForm) -> services.ItemData:
    return services.ItemData(
        service_category=form.service_category.data, title=form.title.data,
        description=form.description.data or "", quantity=form.quantity.data,
        unit=form.unit.data, budget=form.budget.data,
        eligible_categories=form.eligible_categories.data or [], min_grade=form.min_grade.data)


def _form_error(form, error: DomainError) -> int:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.message)]
    else:
        flash(str(error.message), "error")
    return int(error.status)


@bp.route("/")
@public
def index():
    session = get_session()
    fy, dept = _int_arg("fy"), _int_arg("department")
    page = paginate(session, queries.public_catalogs(fy, dept), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("catalogs/index.html", page=page, fy=fy, dept=dept,
                           years=queries.fiscal_years(session),
                           departments=services.departments(session))


@bp.route("/<int:catalog_id>")
@public
def detail(catalog_id: int, item_form=None, status=200):
    session = get_session()
    catalog = services.get_catalog(session, catalog_id, current_user)
    can_edit = catalog.editable and current_user.is_authenticated \
        and current_user.can(Permission.CATALOGS_DRAFT) \
        and current_user.department_id == catalog.department_id
    can_decide = current_user.is_authenticated and current_user.can(Permission.CATALOGS_APPROVE)
    return render_template(
        "catalogs/detail.html", catalog=catalog, can_edit=can_edit, can_decide=can_decide,
        item_form=item_form or ItemForm(formdata=None), reason_form=ReasonForm(formdata=None),
        amend_form=AmendForm(formdata=None), confirm=ConfirmForm(formdata=None)), status


@bp.route("/mine")
@permission_required(Permission.CATALOGS_DRAFT)
def mine():
    session = get_session()
    page = paginate(session, queries.department_catalogs(current_user.department_id or 0),
                    page_number(), current_app.config["PAGE_SIZE"])
    return render_template("catalogs/mine.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.CATALOGS_DRAFT)
def new():
    form = NewCatalogForm()
    status = 200
    if form.validate_on_submit():
        session = get_session()
        try:
            with unit_of_work(session):
                catalog = services.create_catalog(session, current_user, form.fiscal_year.data)
        except DomainError as e:
            status = _form_error(form, e)
        else:
            flash(_("Catalog created. Add its items, then submit it to the finance bureau."),
                  "success")
            return redirect(url_for(".detail", catalog_id=catalog.id))
    elif request.method == "POST":
        status = 400
    return render_template("catalogs/new.html", form=form), status


@bp.route("/<int:catalog_id>/items", methods=["POST"])
@permission_required(Permission.CATALOGS_DRAFT)
def add_item(catalog_id: int):
    form = ItemForm()
    if not form.validate_on_submit():
        return detail(catalog_id, item_form=form, status=400)
    session = get_session()
    try:
        with unit_of_work(session):
            services.add_item(session, current_user, catalog_id, _item_data(form))
    except DomainError as e:
        if e.field is None:
            raise
        return detail(catalog_id, item_form=form, status=_form_error(form, e))
    flash(_("Item added."), "success")
    return redirect(url_for(".detail", catalog_id=catalog_id))


def _owned_item(item_id: int) -> CatalogItem:
    session = get_session()
    item = session.get(CatalogItem, item_id)
    if item is None:
        raise NotFound(_l("No such catalog item."))
    services.get_catalog(session, item.catalog_id, current_user, edit=True)
    return item


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.CATALOGS_DRAFT)
def edit_item(item_id: int):
    item = _owned_item(item_id)
    form = ItemForm(obj=None if request.method == "POST" else item)
    if request.method == "GET":
        form.budget.data = str(item.budget)
    status = 200
    if form.validate_on_submit():
        session = get_session()
        try:
            with unit_of_work(session):
                services.update_item(session, current_user, item_id, _item_data(form))
        except DomainError as e:
            status = _form_error(form, e)
        else:
            flash(_("Item saved."), "success")
            return redirect(url_for(".detail", catalog_id=item.catalog_id))
    elif request.method == "POST":
        status = 400
    return render_template("catalogs/edit_item.html", form=form, item=item), status


@bp.route("/items/<int:item_id>/delete", methods=["POST"])
@permission_required(Permission.CATALOGS_DRAFT)
def delete_item(item_id: int):
    item = _owned_item(item_id)
    catalog_id = item.catalog_id
    session = get_session()
    with unit_of_work(session):
        services.remove_item(session, current_user, item_id)
    flash(_("Item removed."), "info")
    return redirect(url_for(".detail", catalog_id=catalog_id))


@bp.route("/<int:catalog_id>/submit", methods=["POST"])
@permission_required(Permission.CATALOGS_DRAFT)
def submit(catalog_id: int):
    session = get_session()
    with unit_of_work(session):
        services.submit_catalog(session, current_user, catalog_id)
    flash(_("Catalog submitted to the finance bureau."), "success")
    return redirect(url_for(".detail", catalog_id=catalog_id))


@bp.route("/review")
@permission_required(Permission.CATALOGS_APPROVE)
def review():
    session = get_session()
    page = paginate(session, queries.review_queue(), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("catalogs/review.html", page=page, close_form=CloseYearForm(formdata=None))


@bp.route("/<int:catalog_id>/approve", methods=["POST"])
@permission_required(Permission.CATALOGS_APPROVE)
def approve(catalog_id: int):
    session = get_session()
    with unit_of_work(session):
        catalog = services.approve_catalog(session, current_user, catalog_id)
    flash(_("Catalog approved: %(total)s yuan appropriated in the ledger.",
            total=catalog.total_budget), "success")
    return redirect(url_for(".detail", catalog_id=catalog_id))


@bp.route("/<int:catalog_id>/return", methods=["POST"])
@permission_required(Permission.CATALOGS_APPROVE)
def return_(catalog_id: int):
    form = ReasonForm()
    session = get_session()
    with unit_of_work(session):
        services.return_catalog(session, current_user, catalog_id, form.reason.data or "")
    flash(_("Catalog returned to the department."), "info")
    return redirect(url_for(".review"))


@bp.route("/items/<int:item_id>/amend", methods=["POST"])
@permission_required(Permission.CATALOGS_APPROVE)
def amend(item_id: int):
    form = AmendForm()
    session = get_session()
    with unit_of_work(session):
        amendment = services.amend_budget(session, current_user, item_id,
                                          form.new_budget.data or "", form.reason.data or "")
    flash(_("Budget amended from %(old)s to %(new)s yuan.", old=amendment.old_budget,
            new=amendment.new_budget), "success")
    return redirect(url_for(".detail", catalog_id=amendment.item.catalog_id))


@bp.route("/close-year", methods=["POST"])
@permission_required(Permission.CATALOGS_APPROVE)
def close_year():
    form = CloseYearForm()
    if not form.validate_on_submit():
        flash(_("Enter the fiscal year to close."), "error")
        return redirect(url_for(".review")), 303
    session = get_session()
    with unit_of_work(session):
        close = services.close_fiscal_year(session, current_user, form.fiscal_year.data)
    flash(_("Fiscal year %(y)s closed: %(total)s yuan lapsed.", y=close.fiscal_year,
            total=close.lapsed_total), "success")
    return redirect(url_for(".review"))
