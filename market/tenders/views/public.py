"""Public tender pages: list with filters, detail, bids (through ``sealed``), receipts."""
from __future__ import annotations

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from market.core.inputs import int_arg, search_arg
from market.access.guards import public
from market.access.permissions import Permission, Role
from market.catalogs.eligibility import category_label
from market.catalogs.labels import SERVICE_CATEGORY_LABELS
from market.clock import to_local
from market.core.exports import csv_bytes
from market.core.listing import Column, Listing, local_name
from market.core.pagination import keyset_paginate, page_number
from market.db import get_read_session, get_session, reads_replica
from market.documents.models import Document, OwnerType
from market.documents.storage import send_document
from market.errors import NotFound
from market.tenders import labels, notifications, queries, sealed, tender_services
from market.tenders.access import get_tender, is_owner
from market.tenders.bid_services import bid_documents, eligibility_problem
from market.tenders.clarifications import public_questions
from market.tenders.forms import (AnswerForm, BidForm, ConfirmForm, DocumentForm, QuestionForm,
                                  ReasonForm)
from market.tenders.models import Tender, TenderChange
from market.tenders.views.blueprint import bp


@bp.app_context_processor
def _helpers():
    return {"tender_phase": labels.phase_label, "procedure_label": labels.procedure_label,
            "priority_label": labels.priority_label,
            "priority_in_words": labels.priority_in_words,
            "bid_status_label": lambda s: labels.BID_STATUS_LABELS[s],
            "invalid_reason_label": labels.invalid_reason_label,
            "tender_notices": _notices, "tender_queue": _queue,
            "unread_notice_count": _unread,
            "org_category_label": category_label}


def _notices():
    if not (current_user.is_authenticated and current_user.role == Role.ORGANIZATION):
        return []
    return [(n, notifications.text(n)) for n in notifications.for_user(get_session(),
                                                                      current_user)]


def _unread() -> int:
    """The header's count of unread notices (0 when logged out)."""
    if not current_user.is_authenticated:
        return 0
    return notifications.unread_count(get_session(), current_user)


def _queue():
    if not (current_user.is_authenticated and current_user.can(Permission.TENDERS_MANAGE)):
        return None
    return queries.work_queue(get_session(), current_user.department_id or 0)


def _int_arg(name: str) -> int | None:
    return int_arg(name)


def _my_org_id() -> int | None:
    if current_user.is_authenticated and current_user.role == Role.ORGANIZATION:
        return current_user.organization_id
    return None


TENDER_LIST = Listing("tenders", _l("Tenders"), (
    Column(_l("Reference"), lambda t: t.reference),
    Column(_l("Tender"), lambda t: t.title),
    Column(_l("Service category"),
           lambda t: str(SERVICE_CATEGORY_LABELS[t.catalog_item.service_category])),
    Column(_l("Procedure"), lambda t: labels.procedure_label(t.procedure)),
    Column(_l("Department"), lambda t: local_name(t.department)),
    Column(_l("Ceiling price (yuan)"), lambda t: t.ceiling_price, money=True),
    Column(_l("Bid deadline"), lambda t: t.bid_deadline),
    Column(_l("Status"), labels.phase_label),
))


@bp.route("/")
@public
@reads_replica
def index():
    session = get_read_session()
    eligible = request.args.get("eligible") == "1" and _my_org_id() is not None
    category = request.args.get("category") or None
    filters = queries.Filters(
        status=request.args.get("status") or None, department_id=_int_arg("department"),
        service_category=category if category in SERVICE_CATEGORY_LABELS else None,
        fiscal_year=_int_arg("fy"), eligible_org_id=_my_org_id() if eligible else None,
        department_query=search_arg("department_q") or None)
    stmt = queries.public_tenders(session, filters)
    if (file := TENDER_LIST.file(stmt)) is not None:
        return file
    page = keyset_paginate(session, stmt, page_number(), current_app.config["PAGE_SIZE"],
                           queries.PUBLIC_ORDER)
    counts = queries.live_bid_count_by_tender(session, [t.id for t in page.items])
    return render_template(
        "tenders/index.html", page=page, filters=filters, eligible=eligible, counts=counts,
        status_choices=labels.STATUS_FILTER_LABELS, categories=SERVICE_CATEGORY_LABELS,
        departments=queries.departments_with_tenders(session),
        department_choices_max=queries.DEPARTMENT_CHOICES_MAX,
        years=queries.fiscal_years(session), can_filter_eligible=_my_org_id() is not None)


def tender_context(session, tender: Tender) -> dict:
    """Everything the detail page shows; bids only through ``sealed``."""
    user = current_user if current_user.is_authenticated else None
    own = sealed.own_bid(session, user, tender)
    org = current_user.organization if _my_org_id() else None
    return dict(
        tender=tender, owner=is_owner(user, tender), bid_count=sealed.bid_count(session, tender),
        bids=sealed.visible_bids(session, user, tender) if tender.is_opened else [],
        own_bid=own, questions=public_questions(session, tender),
        changes=list(session.scalars(select(TenderChange).where(
            TenderChange.tender_id == tender.id).order_by(TenderChange.version))),
        documents=list(session.scalars(select(Document).where(
            Document.owner_type == OwnerType.TENDER, Document.owner_id == tender.id)
            .order_by(Document.id))),
        eligibility=eligibility_problem(session, org, tender) if org is not None else None,
        is_bidder_user=_my_org_id() is not None, local=to_local,
        reserved=tender_services.reserved_budget(session, tender)
        if tender.status.value != "draft" else None,
        publishable_from=tender_services.intention_publishable_from(tender.catalog_item)
        if tender.status.value == "draft" else None,
        question_form=QuestionForm(formdata=None), answer_form=AnswerForm(formdata=None),
        reason_form=ReasonForm(formdata=None), confirm=ConfirmForm(formdata=None),
        document_form=DocumentForm(formdata=None), bid_form=BidForm(formdata=None))


@bp.route("/<int:tender_id>")
@public
@reads_replica
def detail(tender_id: int):
    session = get_read_session()
    tender = get_tender(session, current_user, tender_id)
    return render_template("tenders/detail.html", **tender_context(session, tender))


@bp.route("/<int:tender_id>/documents/<int:doc_id>")
@public
def document(tender_id: int, doc_id: int):
    """A tender document (招标文件), for anyone who may see the tender: published tenders'
    documents are public, as the announcement they belong to."""
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    doc = session.get(Document, doc_id)
    if doc is None or doc.owner_type != OwnerType.TENDER or doc.owner_id != tender.id:
        raise NotFound(_l("No such document, or you may not read it."))
    return send_document(doc)


@bp.route("/<int:tender_id>/bids")
@public
def bids(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    user = current_user if current_user.is_authenticated else None
    return render_template("tenders/bids.html", tender=tender,
                           bids=sealed.visible_bids(session, user, tender),
                           bid_count=sealed.bid_count(session, tender),
                           can_read=sealed.may_read_content(session, user, tender))


@bp.route("/bids/<int:bid_id>")
@public
def bid_detail(bid_id: int):
    session = get_session()
    user = current_user if current_user.is_authenticated else None
    view = sealed.get_bid_for(session, user, bid_id)
    tender = get_tender(session, current_user, view.tender_id)
    return render_template("tenders/bid_detail.html", tender=tender, bid=view,
                           documents=bid_documents(session, view.document_ids))


@bp.route("/<int:tender_id>/receipts.csv")
@public
def receipts_csv(tender_id: int):
    """The published receipts (after opening): organization, receipt hash, validity."""
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    if not tender.is_opened:
        raise NotFound(_("Receipts are published when the bids are opened."))
    rows = [["tender", "organization", "receipt_sha256", "submitted_at", "valid"]]
    rows += [[tender.reference, b.organization_name, b.receipt_hash,
              to_local(b.revised_at or b.submitted_at).isoformat(), b.valid]
             for b in sealed.visible_bids(session, None, tender)]
    return Response(csv_bytes(rows, bom=False), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={tender.reference}-receipts.csv"})
