"""Tender and bid endpoints: the same services as the pages; bids only through ``sealed``.

Money is a string with two decimals ("123456.78"), times are ISO 8601 in UTC.
"""
from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from market.core.arrival import request_arrival
from market.core.inputs import MAX_YEAR, MIN_YEAR, choice_arg, int_arg
from market.access.guards import permission_required, public
from market.access.permissions import Permission, Role
from market.api.blueprint import bp
from market.api.body import json_body
from market.core.pagination import page_number, paginate
from market.db import get_session, unit_of_work
from market.errors import NotFound
from market.money import plain_money
from market.tenders import bid_services, clarifications, labels, queries, sealed
from market.tenders.access import get_tender
from market.tenders.models import Tender, TenderChange
from market.catalogs.models import ServiceCategory

STATUSES = frozenset(queries.STATUS_FILTERS)
CATEGORIES = frozenset(c.value for c in ServiceCategory)


def _time(value) -> str | None:
    return value.isoformat() if value is not None else None


def _user():
    return current_user if current_user.is_authenticated else None


def _summary(t: Tender, count: int) -> dict:
    return {
        "id": t.id, "reference": t.reference, "title": t.title,
        "department": t.department.code, "catalog_item": t.catalog_item.code,
        "service_category": t.catalog_item.service_category.value,
        "fiscal_year": t.catalog_item.catalog.fiscal_year, "procedure": t.procedure.value,
        "status": t.status.value, "phase": t.phase, "version": t.version,
        "ceiling_price": plain_money(t.ceiling_price), "bid_deadline": _time(t.bid_deadline),
        "opening_time": _time(t.opening_time), "bid_count": count,
    }


def _bid(view: sealed.BidView) -> dict:
    out = {
        "id": view.id, "tender_id": view.tender_id, "tender_reference": view.tender_reference,
        "organization": view.organization_name,
        "status": view.status.value, "submitted_at": _time(view.submitted_at),
        "revised_at": _time(view.revised_at), "withdrawn_at": _time(view.withdrawn_at),
        "tender_version": view.tender_version,
        "needs_reconfirmation": view.needs_reconfirmation, "valid": view.valid,
        "invalid_reason": view.invalid_reason, "receipt_hash": view.receipt_hash,
        "sealed": view.sealed,
    }
    if not view.sealed:
        out.update(price=plain_money(view.price), proposal=view.proposal,
                   document_ids=list(view.document_ids or ()))
    return out


def _org_id() -> int | None:
    user = _user()
    return user.organization_id if user is not None and user.role == Role.ORGANIZATION else None


@bp.route("/tenders")
@public
def tenders_list():
    session = get_session()
    args = request.args
    department = int_arg("department")
    fiscal_year = int_arg("fy", low=MIN_YEAR, high=MAX_YEAR)
    eligible = args.get("eligible") == "1" and _org_id() is not None
    filters = queries.Filters(status=choice_arg("status", STATUSES), department_id=department,
                              service_category=choice_arg("category", CATEGORIES),
                              fiscal_year=fiscal_year,
                              eligible_org_id=_org_id() if eligible else None)
    page = paginate(session, queries.public_tenders(session, filters), page_number(),
                    current_app.config["PAGE_SIZE"])
    counts = queries.live_bid_count_by_tender(session, [t.id for t in page.items])
    return jsonify({"items": [_summary(t, counts.get(t.id, 0)) for t in page.items],
                    "total": page.total, "page": page.page, "pages": page.pages})


@bp.route("/tenders/<int:tender_id>")
@public
def tender_detail(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    out = _summary(tender, sealed.bid_count(session, tender))
    out.update(
        description=tender.description, ceiling_price=plain_money(tender.ceiling_price),
        eligible_categories=list(tender.eligible_categories), min_grade=tender.min_grade,
        allow_filed=tender.allow_filed, accept_basic_pass_report=tender.accept_basic_pass_report,
        priority={"rule": tender.priority_rule.value,
                  "value": f"{tender.priority_value.normalize():f}",
                  "text": labels.priority_in_words(tender)},
        criteria=[{"name": c.name, "weight": f"{c.weight.normalize():f}", "is_price": c.is_price}
                  for c in tender.criteria],
        clarification_deadline=_time(tender.clarification_deadline),
        standstill_days=tender.standstill_days,
        challenge_window_days=tender.challenge_window_days,
        published_at=_time(tender.published_at), opened_at=_time(tender.opened_at),
        status_reason=tender.status_reason if tender.status.value == "cancelled" else None,
        changes=[{"version": c.version, "fields": c.fields, "reason": c.reason, "at": _time(c.at)}
                 for c in session.scalars(select(TenderChange).where(
                     TenderChange.tender_id == tender.id).order_by(TenderChange.version))],
        questions=[_question(q) for q in clarifications.public_questions(session, tender)],
        receipts=[{"organization": b.organization_name, "receipt_hash": b.receipt_hash,
                   "valid": b.valid} for b in sealed.visible_bids(session, None, tender)]
        if tender.is_opened else None)
    return jsonify(out)


@bp.route("/tenders/<int:tender_id>/bids")
@public
def tender_bids(tender_id: int):
    """Before opening: the count (and the caller's own bid). After: every receipt, content
    for the department, auditors and assigned experts."""
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    return jsonify({"tender_id": tender.id, "opened": tender.is_opened,
                    "count": sealed.bid_count(session, tender),
                    "bids": [_bid(v) for v in sealed.visible_bids(session, _user(), tender)]})


@bp.route("/bids/<int:bid_id>")
@public
def bid_detail(bid_id: int):
    return jsonify(_bid(sealed.get_bid_for(get_session(), _user(), bid_id)))


@bp.route("/tenders/<int:tender_id>/my-bid", methods=["GET", "PUT", "DELETE"])
@permission_required(Permission.TENDERS_BID)
def my_bid(tender_id: int):
    """GET the organization's bid; PUT {"price", "proposal"} submits or revises it;
    DELETE withdraws it (for good)."""
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    # A change answers with what this request stored, never with a re-read of the row:
    # another user of the organization may revise the bid the moment this one commits.
    if request.method == "PUT":
        body = json_body()
        price, proposal = body.amount("price"), body.text("proposal")
        remove = body.ids("remove_document_ids")
        with unit_of_work(session):
            stored = bid_services.submit_bid(session, current_user, tender.id, price, proposal,
                                             remove_document_ids=remove,
                                             received_at=request_arrival())
        return jsonify(_bid(sealed.stored_view(stored)))
    if request.method == "DELETE":
        with unit_of_work(session):
            stored = bid_services.withdraw_bid(session, current_user, tender.id,
                                               received_at=request_arrival())
        return jsonify(_bid(sealed.stored_view(stored)))
    view = sealed.own_bid(session, current_user, tender)
    if view is None:
        raise NotFound(_l("Your organization has no bid on this tender."))
    return jsonify(_bid(view))


@bp.route("/tenders/<int:tender_id>/my-bid/reconfirm", methods=["POST"])
@permission_required(Permission.TENDERS_BID)
def my_bid_reconfirm(tender_id: int):
    session = get_session()
    with unit_of_work(session):
        stored = bid_services.reconfirm_bid(session, current_user, tender_id,
                                            received_at=request_arrival())
    return jsonify(_bid(sealed.stored_view(stored)))


def _question(q: clarifications.QuestionView) -> dict:
    return {"id": q.id, "question": q.question, "asked_at": _time(q.asked_at),
            "answer": q.answer, "answered_at": _time(q.answered_at)}


@bp.route("/tenders/<int:tender_id>/questions")
@public
def tender_questions(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    return jsonify({"items": [_question(q)
                              for q in clarifications.public_questions(session, tender)]})


@bp.route("/tenders/<int:tender_id>/questions", methods=["POST"])
@permission_required(Permission.TENDERS_BID)
def tender_ask(tender_id: int):
    session = get_session()
    question = json_body().text("question")
    with unit_of_work(session):
        q = clarifications.ask_question(session, current_user, tender_id, question)
    return jsonify(_question(clarifications.view_of(q))), 201


@bp.route("/questions/<int:question_id>/answer", methods=["POST"])
@permission_required(Permission.TENDERS_MANAGE)
def tender_answer(question_id: int):
    session = get_session()
    answer = json_body().text("answer")
    with unit_of_work(session):
        q = clarifications.answer_question(session, current_user, question_id, answer)
    return jsonify(_question(clarifications.view_of(q)))
