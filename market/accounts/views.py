"""Login, logout, sign-up and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from market.accounts import services
from market.access.guards import login_required, public
from market.accounts.forms import LoginForm, SignupForm
from market.access.permissions import Role
from market.core.forms import submit
from market.db import get_session, unit_of_work
from market.i18n import LANG_COOKIE

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("home.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        throttle = current_app.extensions["login_throttle"]
        address = request.remote_addr or "-"
        if throttle.blocked(form.username.data, address):
            abort(429)
        session = get_session()
        with unit_of_work(session):
            user = services.authenticate(session, form.username.data, form.password.data)
        if user is None:
            throttle.failed(form.username.data, address)
            flash(_("Wrong username or password."), "error")
            status = 401
        else:
            throttle.clear(form.username.data)
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
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
        login_user(outcome.result)  # after the commit: the account exists
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
    response = redirect(_safe_next(request.form.get("next") or request.referrer and
                                   urlsplit(request.referrer).path))
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response
