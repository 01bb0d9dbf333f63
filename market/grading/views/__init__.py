"""The grading room's pages: cycles, agencies and standing (``cycles``), the clearance
list and the qualified-organization catalog (``clearance``)."""
from __future__ import annotations

from market.grading.views import certificate, clearance, cycles  # noqa: F401  (routes)
from market.grading.views.blueprint import bp

__all__ = ["bp"]
