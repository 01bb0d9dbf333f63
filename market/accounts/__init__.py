"""账户 — users and login (policy §17: each body's part — civil affairs leads, finance pays,
departments buy, towns file, auditors supervise — is a user's role, whose permissions are
in ``market.access.permissions``): Flask-Login sessions, argon2 hashes, sign-up of
organization users, the language switch."""
from __future__ import annotations


def init_app(app) -> None:
    from market.accounts import account_views, views  # noqa: F401  (their routes)
    from market.accounts.blueprint import bp
    from market.accounts.services import display_names
    from market.auditlog.services import register_people

    app.register_blueprint(bp)
    # The audit log (a lower room) shows people by name through this.
    register_people(app, display_names)
