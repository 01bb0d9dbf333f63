"""公益服务采购与公益创投平台 — the Flask application."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect

from market import config as config_module
from market import db, i18n, policy, security
from market.core import caching, inputs
from market.errors import DomainError

csrf = CSRFProtect()
login_manager = LoginManager()


def create_app(config: Mapping | None = None, features: Iterable | None = None) -> Flask:
    """The application: configuration, extensions, then each feature's ``init_app``
    (``features``, default every one in ``market.features.FEATURES``) and the start-up
    checks — a ``ConfigError`` when the app must not run."""
    app = Flask(
        __name__,
        instance_path=str(config_module.INSTANCE),
        template_folder=str(config_module.ROOT / "templates"),
        static_folder=str(config_module.ROOT / "static"),
    )
    app.config.from_mapping(config_module.default_config())
    app.config.from_prefixed_env("MARKET")
    if config:
        app.config.from_mapping(config)
    app.config["DATABASE_URL"] = config_module.normalize_database_url(app.config["DATABASE_URL"])
    if app.config.get("DATABASE_REPLICA_URL"):
        app.config["DATABASE_REPLICA_URL"] = config_module.normalize_database_url(
            app.config["DATABASE_REPLICA_URL"])
    config_module.finalize(app.config)
    policy.check_config(app.config)  # a bad MARKET_POLICY_* override stops the app here

    _setup_extensions(app)
    _setup_features(app, features)
    _setup_errors(app)
    _setup_templates(app)
    _setup_cli(app)
    security.trust_proxies(app)  # outermost: every part sees the client's address
    return app


def _setup_extensions(app: Flask) -> None:
    # First: the bounded ``int`` converter before any route, the input hook before any
    # other ``before_request`` (market/core/inputs.py).
    inputs.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    caching.init_app(app)  # ETags and 304s for the public, nothing cached for a login
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"
    from market.accounts.services import configure_hasher

    configure_hasher(app.config.get("ARGON2_TIME_COST"), app.config.get("ARGON2_MEMORY_COST"))
    # Cookies name a login the server can end (logout, log out everywhere, expiry).
    from market.accounts import sessions

    sessions.init_app(app, login_manager)


def _setup_features(app: Flask, features: Iterable | None) -> None:
    from market import features as features_module

    features_module.init_app(app, features)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _error_response(status: int, message: str, code: str):
    if wants_json():
        return jsonify({"error": code, "message": message}), status
    return render_template("errors/error.html", status=status, message=message, code=code,
                           back_url=_same_site_referrer()), status


def _same_site_referrer() -> str | None:
    """The page the user came from, when it is one of ours (never an open redirect)."""
    return security.same_site_path(request.referrer, request.host)


def _setup_errors(app: Flask) -> None:
    messages = {
        400: lambda: _("The request could not be understood."),
        403: lambda: _("You do not have permission to do this."),
        404: lambda: _("The page or object you asked for does not exist."),
        405: lambda: _("This action is not allowed here."),
        413: lambda: _("The upload is too large."),
        429: lambda: _("Too many attempts. Please wait a while and try again."),
        500: lambda: _("Something went wrong on our side. Nothing was changed."),
    }

    for status, msg in messages.items():
        app.register_error_handler(status, lambda e, s=status, m=msg: _error_response(
            s, m(), HTTPStatus(s).phrase.lower().replace(" ", "_")))

    @app.errorhandler(CSRFError)
    def _csrf(e):
        return _error_response(400, _("Your form expired or was sent from elsewhere. "
                                      "Please reload the page and try again."), "csrf")

    @app.errorhandler(DomainError)
    def _domain(e: DomainError):
        return _error_response(int(e.status), str(e.message), e.code)


def _setup_templates(app: Flask) -> None:
    from flask_babel import get_locale
    from flask_login import current_user

    from market import nav
    from market.clock import to_local

    @app.context_processor
    def _inject():
        return {
            "nav_items": nav.items_for(current_user),
            "nav_menu": nav.menu_for(current_user),
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
        }

    @app.template_filter("quantity")
    def _quantity(value):
        """A Decimal quantity without trailing zeros and never in exponent form."""
        return f"{value.normalize():f}" if value is not None else ""

    @app.template_filter("localtime")
    def _localtime(value, fmt="%Y-%m-%d %H:%M"):
        return to_local(value).strftime(fmt) if value else ""

    from market.grading.labels import grade_label
    from market.money import money

    app.add_template_filter(money, "money")  # {{ amount|money }}: 80,000.00 元
    app.add_template_filter(grade_label, "grade_label")  # {{ grade|grade_label }}: 3A
    app.add_template_global(grade_label, "grade_label")  # grade_label(g, at_least=True)
    from market.core.listing import download_url

    app.add_template_global(download_url, "download_url")  # the list as CSV / Excel


def _setup_cli(app: Flask) -> None:
    from market.cli import register

    register(app)
