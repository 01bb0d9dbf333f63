"""Login (password, then the second factor where it is on), logout, sign-up and the
language switch. The account page is in account_views."""
from __future__ import annotations

import secrets
import time

from flask import (abort, current_app, flash, redirect, render_template, request,
                   session as cookie_session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from market.access.guards import login_required, public
from market.access.permissions import Role
from market.accounts import services, sessions, two_factor
from market.accounts.blueprint import bp
from market.accounts.forms import CodeForm, LoginForm, SignupForm
from market.accounts.models import LoginEventKind, User
from market.core.forms import submit
from market.db import get_session, unit_of_work
from market.i18n import LANG_COOKIE
from market.security import local_path, same_site_path



def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("home.dashboard")


def start_session(db, user: User, *, remember: bool = False) -> None:
    """Log ``user`` in on a fresh session: nothing from before the login survives in it
    (the CSRF token, a half-done login, a challenge), and the server records the login."""
    cookie_session.clear()
    sessions.open_login(db, user, remember=remember)
    db.commit()
    login_user(user, remember=remember)


def _throttle():
    return current_app.extensions["login_throttle"]


# --- the question asked while an account or an address sees many failed logins -----

CHALLENGE_KEY = "login_challenge"
CHALLENGE_SECONDS = 10 * 60


def _new_challenge() -> dict:
    challenge = {"a": 2 + secrets.randbelow(18), "b": 2 + secrets.randbelow(18),
                 "n": secrets.token_hex(8), "t": int(time.time())}
    cookie_session[CHALLENGE_KEY] = challenge
    return challenge


def _challenge_question(challenge: dict) -> str:
    return _("What is %(a)s plus %(b)s?", a=challenge["a"], b=challenge["b"])


def _challenge_passed(answer: str | None) -> bool:
    """The answer matches the question this session was asked; each question once."""
    challenge = cookie_session.pop(CHALLENGE_KEY, None)
    if not challenge or not answer or time.time() - challenge.get("t", 0) > CHALLENGE_SECONDS:
        return False
    try:
        right = int(answer.strip()) == challenge["a"] + challenge["b"]
    except (ValueError, KeyError, TypeError):
        return False
    return right and _throttle().first_use("challenge-" + str(challenge.get("n")),
                                           CHALLENGE_SECONDS)


def _login_page(form, status: int, challenge: dict | None = None, retry_after: int = 0):
    question = _challenge_question(challenge) if challenge else None
    response = current_app.make_response((render_template(
        "accounts/login.html", form=form, question=question, retry_after=retry_after), status))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _too_many(form, retry_after: int):
    return _login_page(form, 429, retry_after=retry_after)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if request.method == "POST" and not form.validate():
        # A malformed answer: show the field again, with its message and a new question.
        return _login_page(form, 400, challenge=_new_challenge() if form.answer.errors else None)
    if request.method != "POST":
        return _login_page(form, 200)
    throttle = _throttle()
    address = sessions.client_address()
    username = form.username.data
    verdict = throttle.check(username, address)
    if verdict.retry_after:
        return _too_many(form, verdict.retry_after)
    if verdict.challenge and not _challenge_passed(form.answer.data):
        # The password is not even looked at until the question is answered.
        if form.answer.data:
            form.answer.errors.append(_("That answer is not right. Try the new question."))
        form.answer.data = ""
        return _login_page(form, 400, challenge=_new_challenge())

    db = get_session()
    with unit_of_work(db):
        user, ok = services.check_password(db, username, form.password.data)
        if user is not None and not ok:
            sessions.record_event(db, user, LoginEventKind.FAILURE)
    if not ok:
        throttle.failed(username, address)
        flash(_("Wrong username or password."), "error")
        after = throttle.check(username, address)
        form.answer.data = ""
        return _login_page(form, 401, challenge=_new_challenge() if after.challenge else None)

    target = _safe_next(request.args.get("next"))
    if user.two_factor_enabled:
        # The pair's failures are forgotten only once the code is right too: a known
        # password must not buy fresh guesses at the code.
        cookie_session.clear()
        cookie_session[PENDING_KEY] = {"u": user.id, "v": user.session_version,
                                       "r": bool(form.remember.data), "n": target,
                                       "t": int(time.time())}
        return redirect(url_for("accounts.login_code"))
    throttle.succeeded(username, address)
    start_session(db, user, remember=form.remember.data)
    flash(_("Welcome, %(name)s.", name=user.display_name), "success")
    return redirect(target)


# --- the second step: a code from the authenticator app -------------------------------

PENDING_KEY = "pending_login"


def _pending_user(db) -> tuple[dict | None, User | None]:
    pending = cookie_session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, None
    limit = current_app.config["LOGIN_SECOND_FACTOR_SECONDS"]
    if time.time() - pending.get("t", 0) > limit:
        cookie_session.pop(PENDING_KEY, None)
        return None, None
    user = db.get(User, pending.get("u"))
    if user is None or not user.active or user.session_version != pending.get("v") \
            or not user.two_factor_enabled:
        cookie_session.pop(PENDING_KEY, None)
        return None, None
    return pending, user


@bp.route("/login/code", methods=["GET", "POST"])
@public
def login_code():
    db = get_session()
    pending, user = _pending_user(db)
    if user is None:
        flash(_("Please log in with your username and password first."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    status = 200
    if request.method == "POST":
        throttle = _throttle()
        address = sessions.client_address()
        verdict = throttle.check(user.username, address)
        if verdict.retry_after:
            response = current_app.make_response((render_template(
                "accounts/login_code.html", form=form, retry_after=verdict.retry_after), 429))
            response.headers["Retry-After"] = str(verdict.retry_after)
            return response
        if not form.validate():
            status = 400
        else:
            code = two_factor.normalize_code(form.code.data)
            with unit_of_work(db):
                ok = two_factor.check_login_code(db, user, code)
                if not ok:
                    sessions.record_event(db, user, LoginEventKind.CODE_FAILURE)
            if ok:
                throttle.succeeded(user.username, address)
                start_session(db, user, remember=pending.get("r", False))
                flash(_("Welcome, %(name)s.", name=user.display_name), "success")
                return redirect(_safe_next(pending.get("n")))
            throttle.failed(user.username, address)
            form.code.errors.append(_("This code is not right, or it was used already. "
                                      "Enter the code your app shows now."))
            status = 401
    return render_template("accounts/login_code.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End this login on the server: every copy of its cookies stops working."""
    db = get_session()
    user = current_user._get_current_object()
    with unit_of_work(db):
        sessions.end_login(db, user, sessions.current_login(user))
    cookie_session.clear()
    logout_user()  # after clear(): it marks the remember-me cookie for deletion
    flash(_("You have logged out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/signup", methods=["GET", "POST"])
@public
def signup():
    """An organization creates its account, then applies to register or file."""
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = SignupForm()
    outcome = submit(form, lambda s: services.create_user(
        s, username=form.username.data, password=form.password.data,
        display_name=form.display_name.data, email=form.email.data or None,
        role=Role.ORGANIZATION))
    if outcome.done:
        start_session(get_session(), outcome.result)  # after the commit: the account exists
        flash(_("Your account is ready. Next, apply to register or file your organization."),
              "success")
        return redirect(url_for("home.dashboard"))
    return render_template("accounts/signup.html", form=form), outcome.status


@bp.route("/language/<code>", methods=["POST"])
@public
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    if current_user.is_authenticated:
        session = get_session()
        with unit_of_work(session):
            services.set_locale(session, current_user._get_current_object(), code)
    response = redirect(_safe_next(request.form.get("next")
                                   or same_site_path(request.referrer, request.host)))
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response

