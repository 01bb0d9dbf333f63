"""The organization's side: tenders it can bid on, its bids and receipts, asking questions."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.accounts.access import login_required, permission_required
from market.accounts.permissions import Permission
from market.db import get_session, unit_of_work
from market.documents.storage import upload_from
from market.errors import DomainError
from market.tenders import bid_services, clarifications, notifications, queries, sealed
from market.tenders.access import get_tender
from market.tenders.forms import BidForm, ConfirmForm, QuestionForm
from market.tenders.models import Tender
from market.tenders.views import bp, form_error

BID = Permission.TENDERS_BID


@bp.route("/for-me")
@permission_required(BID)
def for_me():
    session = get_session()
    org_id = current_user.organization_id
    ids = queries.eligible_open_tender_ids(session, org_id) if org_id else []
    tenders = [session.get(Tender, i) for i in ids]
    tenders.sort(key=lambda t: t.bid_deadline)
    return render_template("tenders/for_me.html", tenders=tenders,
                           bid_on=queries.bid_tender_ids(session, org_id) if org_id else set(),
                           has_org=bool(org_id))


@bp.route("/my-bids")
@permission_required(BID)
def my_bids():
    session = get_session()
    return render_template("tenders/my_bids.html",
                           bids=sealed.own_bids(session, current_user),
                           has_org=bool(current_user.organization_id),
                           confirm=ConfirmForm(formdata=None))


def _bid_page(session, tender, form, status=200):
    own = sealed.own_bid(session, current_user, tender)
    docs = bid_services.bid_documents(session, own.document_ids) if own else []
    form.remove_documents.choices = [(d.id, d.original_name) for d in docs]
    org = current_user.organization
    problem = bid_services.eligibility_problem(session, org, tender)
    return render_template("tenders/bid.html", tender=tender, form=form, own=own,
                           documents=docs, problem=problem,
                           confirm=ConfirmForm(formdata=None)), status


@bp.route("/<int:tender_id>/bid", methods=["GET", "POST"])
@permission_required(BID)
def bid(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id)
    form = BidForm()
    if request.method == "GET":
        own = sealed.own_bid(session, current_user, tender)
        if own is not None and own.price is not None:
            form.price.data, form.proposal.data = f"{own.price:.2f}", own.proposal
        return _bid_page(session, tender, form)
    own = sealed.own_bid(session, current_user, tender)
    form.remove_documents.choices = [(i, str(i)) for i in (own.document_ids or ())] if own \
        else []
    if not form.validate_on_submit():
        return _bid_page(session, tender, form, 400)
    uploads = [u for u in (upload_from(f) for f in request.files.getlist("documents")) if u]
    try:
        with unit_of_work(session):
            stored = bid_services.submit_bid(session, current_user, tender.id, form.price.data,
                                             form.proposal.data, uploads,
                                             form.remove_documents.data or ())
    except DomainError as e:
        session.expire_all()
        status = form_error(form, e)
        tender = get_tender(session, current_user, tender_id)
        return _bid_page(session, tender, form, status)
    # What this request stored (another revision may already have followed it).
    flash(_("Your bid is sealed. Receipt (SHA-256): %(h)s", h=stored.receipt_hash), "success")
    return redirect(url_for(".bid", tender_id=tender.id))


def _bid_action(tender_id: int, fn, done: str):
    session = get_session()
    try:
        with unit_of_work(session):
            fn(session, current_user, tender_id)
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


@bp.route("/notices/<int:notice_id>/read", methods=["POST"])
@login_required
def read_notice(notice_id: int):
    session = get_session()
    with unit_of_work(session):
        notice = notifications.mark_read(session, current_user, notice_id)
    if notice.tender_id:
        return redirect(url_for(".detail", tender_id=notice.tender_id))
    return redirect(url_for("home.dashboard"))
