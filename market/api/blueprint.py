"""The API blueprint, alone in a module: the route modules import it from here, and the
package that lists them imports them (no module imports the package it is listed by)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
