"""The accounts blueprint, shared by the login pages (``views``) and the account page
(``account_views``)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("accounts", __name__)
