"""The purchasing department's tender work: draft, publish, amend, answer, open, cancel.

Every route needs TENDERS_MANAGE; the services refuse a tender of another department.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market import policy
from market.core.inputs import parse_db_int
from market.access.guards import permission_required
from market.access.permissions import Permission
from market.catalogs.models import CatalogItem
from market.clock import to_local
from market.core.forms import form_page
from market.core.pagination import page_number, paginate
from market.db import get_session, unit_of_work
from market.documents.storage import upload_from
from market.errors import DomainError, NotFound
from market.security import same_site_path
from market.tenders import clarifications, queries, tender_services
from market.tenders.access import get_tender
from market.tenders.forms import AnswerForm, DocumentForm, ReasonForm, TenderForm
from market.tenders.models import TenderStatus
from market.tenders.rules import check_tender
from market.tenders.views.blueprint import bp

MANAGE = Permission.TENDERS_MANAGE


@bp.route("/queue")
@permission_required(MANAGE)
def queue():
    session = get_session()
    dept = current_user.department_id or 0
    page = paginate(session, queries.department_tenders(dept), page_number(),
                    current_app.config["PAGE_SIZE"])
    return render_template("tenders/queue.html", queue=queries.work_queue(session, dept),
                           page=page)


def _item_or_404(session, item_id) -> CatalogItem:
    for item in tender_services.approved_items(session, current_user):
        if item.id == item_id:
            return item
    raise NotFound(_("No such approved catalog item."))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new():
    session = get_session()
    item_id = parse_db_int(request.values.get("item", ""))
    if item_id is None:
        items = tender_services.approved_items(session, current_user)
        budgets = {i.id: tender_services.budget_summary(session, i) for i in items}
        return render_template("tenders/choose_item.html", items=items, budgets=budgets)
    item = _item_or_404(session, item_id)
    form = TenderForm(item=item)
    if not form.is_submitted():
        form.fill_from_item(item)
    return form_page(
        form, lambda s: tender_services.create_tender(s, current_user, item.id,
                                                      form.tender_data()),
        done=lambda tender: _("Draft tender %(ref)s saved. Check it, then publish it.",
                              ref=tender.reference),
        then=lambda tender: url_for(".detail", tender_id=tender.id),
        check=lambda: check_tender(form.tender_data(), item),
        render=lambda: render_template(
            "tenders/edit.html", form=form, item=item, tender=None,
            available=tender_services.available_budget(session, item)))


@bp.route("/<int:tender_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id, manage=True)
    if tender.status not in (TenderStatus.DRAFT, TenderStatus.PUBLISHED):
        flash(_("This tender can no longer be changed."), "error")
        return redirect(url_for(".detail", tender_id=tender.id))
    form = TenderForm(item=tender.catalog_item)
    if not form.is_submitted():
        form.fill_from(tender)

    def save(s):
        if tender.status == TenderStatus.DRAFT:
            tender_services.update_draft(s, current_user, tender_id, form.tender_data())
            return None
        return tender_services.amend(s, current_user, tender_id, form.tender_data(),
                                     form.reason.data)

    def render():
        shown = get_tender(session, current_user, tender_id, manage=True)
        return render_template(
            "tenders/edit.html", form=form, item=shown.catalog_item, tender=shown,
            available=tender_services.available_budget(session, shown.catalog_item))

    return form_page(form, save, render=render, done=_saved,
                     then=url_for(".detail", tender_id=tender_id),
                     check=lambda: check_tender(form.tender_data(), tender.catalog_item,
                                                future=tender.status == TenderStatus.DRAFT))


def _saved(amendment) -> str:
    """The department's message: what the change did, with only a count of bidders."""
    if amendment is None or not amendment.changed:
        return _("Tender saved.")
    parts = [_("Tender amended (now version %(v)s).", v=amendment.tender.version)]
    if amendment.moved_from is not None:
        parts.append(_("The change affects how bids are prepared and came less than %(n)s "
                       "days before the bid deadline, so the deadline moved to %(t)s "
                       "(Beijing time), and the opening with it.",
                       n=policy.value("tender_amendment_min_days"),
                       t=to_local(amendment.tender.bid_deadline).strftime("%Y-%m-%d %H:%M")))
    parts.append(_("The platform told %(n)s bidder(s) who had already bid to reconfirm.",
                   n=amendment.notified))
    return " ".join(parts)


def _act(tender_id: int, fn, done: str, *args):
    session = get_session()
    try:
        with unit_of_work(session):
            fn(session, current_user, tender_id, *args)
    except DomainError as e:
        if e.status in (403, 404):
            raise
        flash(str(e.message), "error")
    else:
        flash(done, "success")
    return redirect(url_for(".detail", tender_id=tender_id))


@bp.route("/<int:tender_id>/publish", methods=["POST"])
@permission_required(MANAGE)
def publish(tender_id: int):
    return _act(tender_id, tender_services.publish_tender, _("Tender published."))


@bp.route("/<int:tender_id>/open", methods=["POST"])
@permission_required(MANAGE)
def open_(tender_id: int):
    return _act(tender_id, tender_services.open_bids,
                _("Bids opened; the receipts are published."))


@bp.route("/<int:tender_id>/cancel", methods=["POST"])
@permission_required(MANAGE)
def cancel(tender_id: int):
    form = ReasonForm()
    return _act(tender_id, tender_services.cancel_tender, _("Tender cancelled."),
                form.reason.data or "")


@bp.route("/<int:tender_id>/documents", methods=["POST"])
@permission_required(MANAGE)
def add_document(tender_id: int):
    form = DocumentForm()
    files = [u for u in (upload_from(f) for f in request.files.getlist("document")) if u]
    if not files:
        get_tender(get_session(), current_user, tender_id, manage=True)
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for(".detail", tender_id=tender_id))

    def attach(session, actor, tid):
        for upload in files:
            tender_services.attach_document(session, actor, tid, upload, form.reason.data)

    return _act(tender_id, attach, _("Document added."))


@bp.route("/questions/<int:question_id>/answer", methods=["POST"])
@permission_required(MANAGE)
def answer(question_id: int):
    session = get_session()
    form = AnswerForm()
    try:
        with unit_of_work(session):
            q = clarifications.answer_question(session, current_user, question_id,
                                               form.answer.data or "")
            change = tender_services.clarification_affects_bids(
                session, current_user, q.tender_id, q.answer) if form.affects_bids.data \
                else None
    except DomainError as e:
        if e.status in (403, 404):
            raise
        flash(str(e.message), "error")
        return redirect(same_site_path(request.referrer, request.host) or url_for(".queue"))
    flash(_("Answer published.") + (" " + _saved(change) if change else ""), "success")
    return redirect(url_for(".detail", tender_id=q.tender_id) + "#questions")
