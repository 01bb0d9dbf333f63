"""The account page (/account): recent logins and failures, the sessions that still work,
"log out everywhere", and the optional second factor — all self-service."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask import session as cookie_session
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select

from market.accounts import sessions, two_factor
from market.access.guards import login_required, permission_required
from market.accounts.forms import CodeForm, ConfirmForm
from market.accounts.models import LoginEvent, LoginEventKind
from market.access.permissions import Permission
from market.accounts.blueprint import bp
from market.core.pagination import page_number, paginate
from market.db import get_session, unit_of_work
from market.errors import DomainError


def _me():
    return current_user._get_current_object()


def _account_page(status: int = 200, code_form: CodeForm | None = None):
    db = get_session()
    user = _me()
    stmt = select(LoginEvent).where(LoginEvent.user_id == user.id).order_by(LoginEvent.id.desc())
    size = current_app.config["ACCOUNT_EVENTS_PAGE_SIZE"]
    events = paginate(db, stmt, page_number(), size)
    if events.page > events.pages:  # past the end: show the last page
        events = paginate(db, stmt, events.pages, size)
    current = sessions.current_login(user)
    return render_template(
        "accounts/account.html", user=user, events=events, live=sessions.live_logins(db, user),
        current_id=current.id if current else None, form=ConfirmForm(),
        code_form=code_form or CodeForm(), login_kind=LoginEventKind.LOGIN,
        can_two_factor=user.can(Permission.ACCOUNT_TWO_FACTOR) or user.two_factor_enabled,
    ), status


@bp.route("/account")
@login_required
def account():
    return _account_page()


def _logged_out_everywhere():
    cookie_session.clear()
    logout_user()
    flash(_("You have been logged out on every device. Log in again to continue."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every session and remember-me cookie of this user, here and on other devices."""
    if not ConfirmForm().validate():
        return _account_page(400)
    db = get_session()
    with unit_of_work(db):
        sessions.logout_everywhere(db, _me())
    return _logged_out_everywhere()


@bp.route("/account/sessions/<int:event_id>/end", methods=["POST"])
@login_required
def end_session(event_id: int):
    """End one of this user's sessions (a device left logged in somewhere)."""
    if not ConfirmForm().validate():
        return _account_page(400)
    db = get_session()
    user = _me()
    event = db.get(LoginEvent, event_id) if event_id < 2**31 else None
    if event is None or event.user_id != user.id or event.kind != LoginEventKind.LOGIN \
            or not sessions.is_live(event, user):
        flash(_("That session has already ended."), "info")
        return redirect(url_for("accounts.account"))
    current = sessions.current_login(user)
    with unit_of_work(db):
        sessions.end_login(db, user, event, LoginEventKind.SESSION_ENDED)
    if current is not None and current.id == event.id:
        cookie_session.clear()
        logout_user()
        flash(_("You have logged out."), "info")
        return redirect(url_for("home.index"))
    flash(_("The session was ended: that device must log in again."), "success")
    return redirect(url_for("accounts.account"))


# --- the second factor ---------------------------------------------------------------

def _two_factor_page(status: int = 200, form: CodeForm | None = None):
    user = _me()
    return render_template("accounts/two_factor.html", user=user, form=form or CodeForm(),
                           cancel_form=ConfirmForm(), qr=two_factor.qr_svg(user),
                           secret=user.totp_secret), status


@bp.route("/account/two-factor")
@permission_required(Permission.ACCOUNT_TWO_FACTOR)
def two_factor_setup():
    user = _me()
    if user.two_factor_enabled or not user.totp_secret:
        return redirect(url_for("accounts.account"))
    return _two_factor_page()


@bp.route("/account/two-factor/start", methods=["POST"])
@permission_required(Permission.ACCOUNT_TWO_FACTOR)
def two_factor_start():
    if not ConfirmForm().validate():
        return _account_page(400)
    db = get_session()
    try:
        with unit_of_work(db):
            two_factor.start(db, _me())
    except DomainError as e:
        flash(str(e.message), "error")
        return redirect(url_for("accounts.account"))
    return redirect(url_for("accounts.two_factor_setup"))


def _code_throttled():
    """Wrong codes on the account page count like wrong logins (a stolen session must
    not get unlimited guesses at the code that turns the second factor off)."""
    verdict = current_app.extensions["login_throttle"].check(
        _me().username, sessions.client_address())
    return verdict.retry_after


def _code_failed() -> None:
    current_app.extensions["login_throttle"].failed(_me().username, sessions.client_address())


def _too_many(retry_after: int):
    response = current_app.make_response((render_template(
        "errors/error.html", status=429,
        message=_("Too many wrong codes. Please wait %(n)s seconds and try again.",
                  n=retry_after)), 429))
    response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/account/two-factor/confirm", methods=["POST"])
@permission_required(Permission.ACCOUNT_TWO_FACTOR)
def two_factor_confirm():
    user = _me()
    if user.two_factor_enabled or not user.totp_secret:
        flash(_("Start the set-up first."), "info")
        return redirect(url_for("accounts.account"))
    form = CodeForm()
    if not form.validate():
        return _two_factor_page(400, form)
    if retry_after := _code_throttled():
        return _too_many(retry_after)
    db = get_session()
    try:
        with unit_of_work(db):
            two_factor.confirm(db, user, form.code.data)
    except DomainError as e:
        _code_failed()
        form.code.errors.append(str(e.message))
        return _two_factor_page(int(e.status), form)
    flash(_("Two-step verification is on. From now on, logging in asks for a code from "
            "your app."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/two-factor/cancel", methods=["POST"])
@permission_required(Permission.ACCOUNT_TWO_FACTOR)
def two_factor_cancel():
    if not ConfirmForm().validate():
        return _account_page(400)
    db = get_session()
    with unit_of_work(db):
        two_factor.cancel(db, _me())
    return redirect(url_for("accounts.account"))


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
def two_factor_disable():
    """Anyone who has the second factor on may turn it off, with a current code."""
    form = CodeForm()
    if not form.validate():
        return _account_page(400, form)
    if retry_after := _code_throttled():
        return _too_many(retry_after)
    db = get_session()
    try:
        with unit_of_work(db):
            two_factor.disable(db, _me(), form.code.data)
    except DomainError as e:
        if e.field == "code":
            _code_failed()
        form.code.errors.append(str(e.message))
        return _account_page(int(e.status), form)
    flash(_("Two-step verification is off."), "success")
    return redirect(url_for("accounts.account"))


@bp.app_template_filter("login_event_label")
def _event_label(kind) -> str:
    return LoginEventKind(kind).label
