"""开放接口 — the JSON API (/api/v1; policy §12: information the public may know is also
published as data): the same service calls as the pages, answers in JSON.

Authentication is the platform session (log in through /login); state-changing calls
need the CSRF token in the ``X-CSRFToken`` header. Errors are ``{"error", "message"}``
with the domain error's HTTP status (see market/__init__.py).
"""
from __future__ import annotations


def init_app(app) -> None:
    from market.api import contracts, tenders  # noqa: F401  (their routes are on ``bp``)
    from market.api.blueprint import bp

    app.register_blueprint(bp)
