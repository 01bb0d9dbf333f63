"""The organization's side: tenders it can bid on, its bids and receipts, asking questions."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.access.guards import login_required, permission_required
from market.access.permissions import Permission
from market.core.arrival import request_arrival
from market.core.forms import form_page
from market.core.pagination import Page, page_number
from market.db import get_session, unit_of_work
from market.documents.storage import upload_from
from market.errors import DomainError
from market.tenders import (bid_services, clarifications, notifications, outcomes, queries,
                            sealed)
from market.tenders.access import get_tender
from market.tenders.forms import BidForm, ConfirmForm, QuestionForm
from market.tenders.views.blueprint import bp

BID = Permission.TENDERS_BID


@bp.route("/for-me")
@permission_required(BID)
def for_me():
    """Every tender open for bids: those the organization may bid on, and the others with
    each condition it does not meet and why (承接主体条件), before it tries."""
    session = get_session()
    org_id = current_user.organization_id
    size = current_app.config["PAGE_SIZE"]
    # Each list pages on its own argument, in SQL: a province has thousands of open tenders,
    # and only the shown page of each is loaded (the blocked one judged for its reasons).
    tenders, blocked = (queries.open_tenders_for(session, org_id, page_number(),
                                                 page_number("bpage"), size) if org_id
                        else (Page([], 0, 1, size), Page([], 0, 1, size)))
    return render_template("tenders/for_me.html", tenders=tenders, blocked=blocked,
                           bid_on=queries.bid_tender_ids(session, org_id) if org_id else set(),
                           has_org=bool(org_id))


@bp.route("/my-bids")
@permission_required(BID)
def my_bids():
    session = get_session()
    bids = sealed.own_bids(session, current_user)
    return render_template("tenders/my_bids.html", bids=bids,
                           outcomes=outcomes.outcomes_for(
                               session, current_user.organization_id, bids),
                           has_org=bool(current_user.organization_id),
                           confirm=ConfirmForm(formdata=None))


def _bid_page(session, tender_id: int, form):
    tender = get_tender(session, current_user, tender_id)
    own = sealed.own_bid(session, current_user, tender)
    docs = bid_services.bid_documents(session, own.document_ids) if own else []
    form.remove_documents.choices = [(d.id, d.original_name) for d in docs]
    org = current_user.organization
    problem = bid_services.eligibility_problem(session, org, tender)
    return render_template("tenders/bid.html", tender=tender, form=form, own=own,
                           documents=docs, problem=problem,
                           confirm=ConfirmForm(formdata=None))


@bp.route("/<int:tender_id>/bid", methods=["GET", "POST"])
@permission_required(BID)
def bid(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    form = BidForm()
    own = sealed.own_bid(session, current_user, tender)
    if not form.is_submitted():
        if own is not None and own.price is not None:
            form.price.data, form.proposal.data = own.price, own.proposal
    else:
        form.remove_documents.choices = [(i, str(i)) for i in (own.document_ids or ())] \
            if own else []
    uploads = [u for u in (upload_from(f) for f in request.files.getlist("documents")) if u]
    return form_page(
        form, lambda s: bid_services.submit_bid(s, current_user, tender.id, form.price.data,
                                                form.proposal.data, uploads,
                                                form.remove_documents.data or (),
                                                received_at=request_arrival()),
        done=lambda result: _("Your bid is sealed. Receipt (SHA-256): %(h)s",
                              h=result.receipt_hash),
        then=url_for(".bid", tender_id=tender.id),
        render=lambda: _bid_page(session, tender_id, form))


def _bid_action(tender_id: int, fn, done: str):
    session = get_session()
    try:
        with unit_of_work(session):
            fn(session, current_user, tender_id, received_at=request_arrival())
    except DomainError as e:
        if e.status == 404:
            raise
        flash(str(e.message), "error")
    else:
        flash(done, "success")
    return redirect(url_for(".bid", tender_id=tender_id))


@bp.route("/<int:tender_id>/bid/withdraw", methods=["POST"])
@permission_required(BID)
def withdraw(tender_id: int):
    return _bid_action(tender_id, bid_services.withdraw_bid,
                       _("Your bid was withdrawn. You cannot bid on this tender again."))


@bp.route("/<int:tender_id>/bid/reconfirm", methods=["POST"])
@permission_required(BID)
def reconfirm(tender_id: int):
    return _bid_action(tender_id, bid_services.reconfirm_bid,
                       _("Your bid is reconfirmed for the current version of the tender."))


@bp.route("/<int:tender_id>/questions", methods=["POST"])
@permission_required(BID)
def ask(tender_id: int):
    session = get_session()
    form = QuestionForm()
    try:
        with unit_of_work(session):
            clarifications.ask_question(session, current_user, tender_id,
                                        form.question.data or "")
    except DomainError as e:
        if e.status == 404:
            raise
        flash(str(e.message), "error")
    else:
        flash(_("Your question was sent. The answer will be published without your name."),
              "success")
    return redirect(url_for(".detail", tender_id=tender_id) + "#questions")


NOTICES_SHOWN = 200


@bp.route("/notices")
@login_required
def notices():
    """The user's notices, newest first, the unread ones marked; each is marked read here
    (or when opened). The header's "Notices (n)" links here."""
    session = get_session()
    rows = notifications.for_user(session, current_user, limit=NOTICES_SHOWN)
    return render_template("tenders/notices.html",
                           notices=[(n, notifications.text(n)) for n in rows],
                           unread=notifications.unread_count(session, current_user),
                           confirm=ConfirmForm(formdata=None))


@bp.route("/notices/read-all", methods=["POST"])
@login_required
def read_all_notices():
    session = get_session()
    with unit_of_work(session):
        n = notifications.mark_all_read(session, current_user)
    flash(_("%(n)s notices marked read.", n=n), "success")
    return redirect(url_for(".notices"))


@bp.route("/notices/<int:notice_id>/read", methods=["POST"])
@login_required
def read_notice(notice_id: int):
    session = get_session()
    with unit_of_work(session):
        notice = notifications.mark_read(session, current_user, notice_id)
    if request.form.get("stay"):
        return redirect(url_for(".notices"))
    if notice.tender_id:
        return redirect(url_for(".detail", tender_id=notice.tender_id))
    return redirect(url_for("home.dashboard"))
