"""Catalog pages: public list, the department's drafting, finance's review."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.core.inputs import int_arg
from market.access.guards import permission_required, public
from market.access.permissions import Permission
from market.catalogs import queries, services
from market.catalogs.eligibility import category_label
from market.catalogs.forms import (AmendForm, CloseYearForm, ConfirmForm, IntentionForm,
                                   ItemForm, NewCatalogForm, ReasonForm)
from market.catalogs.labels import CATALOG_STATUS_LABELS, SERVICE_CATEGORY_LABELS
from market.catalogs.models import CatalogItem
from market.core.forms import form_page
from market.core.listing import Column, Listing, local_name
from market.core.pagination import page_number, paginate
from market.db import get_read_session, get_session, reads_replica, unit_of_work
from market.errors import NotFound
from market.grading.labels import grade_label

bp = Blueprint("catalogs", __name__, url_prefix="/catalogs")


@bp.app_context_processor
def _labels():
    return {"catalog_status_label": lambda s: CATALOG_STATUS_LABELS[s],
            "service_category_label": lambda s: SERVICE_CATEGORY_LABELS[s],
            "org_category_label": category_label}


def _int_arg(name: str) -> int | None:
    return int_arg(name)


def _item_data(form: ItemForm) -> services.ItemData:
    return services.ItemData(
        service_category=form.service_category.data, title=form.title.data,
        description=form.description.data or "", quantity=form.quantity.data,
        unit=form.unit.data, budget=form.budget.data,
        eligible_categories=form.eligible_categories.data or [], min_grade=form.min_grade.data)


CATALOGS = Listing("catalogs", _l("Purchase catalogs"), (
    Column(_l("Fiscal year"), lambda c: c.fiscal_year),
    Column(_l("Department"), lambda c: local_name(c.department)),
    Column(_l("Items"), lambda c: len(c.items)),
    Column(_l("Total budget (yuan)"), lambda c: c.total_budget, money=True),
    Column(_l("Approval date"), lambda c: c.approved_at.date() if c.approved_at else None),
))
CATALOG_ITEMS = Listing("catalog-items", _l("Catalog items"), (
    Column(_l("Code"), lambda i: i.code),
    Column(_l("Service"), lambda i: i.title),
    Column(_l("Service category"), lambda i: str(SERVICE_CATEGORY_LABELS[i.service_category])),
    Column(_l("Description"), lambda i: i.description),
    Column(_l("Quantity"), lambda i: f"{i.quantity.normalize():f} {i.unit}"),
    Column(_l("Budget (yuan)"), lambda i: i.budget, money=True),
    Column(_l("Eligible organizations"),
           lambda i: "、".join(category_label(c) for c in i.eligible_categories)),
    Column(_l("Minimum grade"), lambda i: grade_label(i.min_grade, at_least=True)),
))


@bp.route("/")
@public
@reads_replica
def index():
    session = get_read_session()
    fy, dept = _int_arg("fy"), _int_arg("department")
    if (file := CATALOGS.file(queries.public_catalogs(fy, dept))) is not None:
        return file
    page = paginate(session, queries.public_catalogs(fy, dept), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("catalogs/index.html", page=page, fy=fy, dept=dept,
                           years=queries.fiscal_years(session),
                           departments=services.departments(session))


@bp.route("/<int:catalog_id>")
@public
@reads_replica
def detail(catalog_id: int):
    if CATALOG_ITEMS.requested():
        catalog = services.get_catalog(get_read_session(), catalog_id, current_user)
        return CATALOG_ITEMS.file(lambda: catalog.items)
    return _detail_page(catalog_id)


def _detail_page(catalog_id: int, item_form=None) -> str:
    session = get_read_session()
    catalog = services.get_catalog(session, catalog_id, current_user)
    can_edit = catalog.editable and current_user.is_authenticated \
        and current_user.can(Permission.CATALOGS_DRAFT) \
        and current_user.department_id == catalog.department_id
    can_decide = current_user.is_authenticated and current_user.can(Permission.CATALOGS_APPROVE)
    can_publish = catalog.status.value == "approved" and current_user.is_authenticated \
        and current_user.can(Permission.CATALOGS_DRAFT) \
        and current_user.department_id == catalog.department_id
    return render_template(
        "catalogs/detail.html", catalog=catalog, can_edit=can_edit, can_decide=can_decide,
        can_publish=can_publish,
        item_form=item_form or ItemForm(formdata=None), reason_form=ReasonForm(formdata=None),
        amend_form=AmendForm(formdata=None), confirm=ConfirmForm(formdata=None))


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
    return form_page(
        form, lambda s: services.create_catalog(s, current_user, form.fiscal_year.data),
        done=_("Catalog created. Add its items, then submit it to the finance bureau."),
        then=lambda catalog: url_for(".detail", catalog_id=catalog.id),
        render=lambda: render_template("catalogs/new.html", form=form))


@bp.route("/<int:catalog_id>/items", methods=["POST"])
@permission_required(Permission.CATALOGS_DRAFT)
def add_item(catalog_id: int):
    form = ItemForm()
    # The item form sits on the catalog's page: a refusal of the catalog itself (not
    # editable, not yours) is an error page, not a note above a form that may be hidden.
    return form_page(
        form, lambda s: services.add_item(s, current_user, catalog_id, _item_data(form)),
        done=_("Item added."), then=url_for(".detail", catalog_id=catalog_id),
        render=lambda: _detail_page(catalog_id, item_form=form), raise_unplaced=True)


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
        form.budget.data = item.budget
    return form_page(
        form, lambda s: services.update_item(s, current_user, item_id, _item_data(form)),
        done=_("Item saved."), then=url_for(".detail", catalog_id=item.catalog_id),
        render=lambda: render_template("catalogs/edit_item.html", form=form, item=item))


@bp.route("/items/<int:item_id>/intention", methods=["GET", "POST"])
@permission_required(Permission.CATALOGS_DRAFT)
def intention(item_id: int):
    """采购意向 — the owning department publishes or edits an approved item's intention."""
    session = get_session()
    item = session.get(CatalogItem, item_id)
    if item is None or item.catalog.department_id != current_user.department_id:
        raise NotFound(_l("No such catalog item."))
    form = IntentionForm(formdata=None if request.method == "GET" else request.form)
    if request.method == "GET":
        form.needs.data = item.intention_needs or item.description
        form.month.data = item.intention_month.strftime("%Y-%m") if item.intention_month \
            else ""
    return form_page(
        form, lambda s: services.publish_intention(s, current_user, item_id, form.needs.data,
                                                   form.month.data),
        done=_("Procurement intention saved and public."),
        then=url_for(".detail", catalog_id=item.catalog_id),
        render=lambda: render_template("catalogs/intention.html", form=form, item=item))


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
        # As typed: the service's parser (the field's own) names what is wrong with it.
        amendment = services.amend_budget(session, current_user, item_id,
                                          (form.new_budget.raw_data or [""])[0],
                                          form.reason.data or "")
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
