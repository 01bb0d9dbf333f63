"""The JSON API (/api/v1): the same service calls as the pages, answers in JSON.

Authentication is the platform session (log in through /login); state-changing calls
need the CSRF token in the ``X-CSRFToken`` header. Errors are ``{"error", "message"}``
with the domain error's HTTP status (see market/__init__.py).
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Feature modules register their routes on ``bp`` when imported.
from market.api import contracts, tenders  # noqa: E402,F401
