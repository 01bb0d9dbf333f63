"""The grading room's pages: cycles, agencies and standing (``cycles``), the clearance
list and the qualified-organization catalog (``clearance``)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("grading", __name__)
