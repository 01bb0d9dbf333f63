"""Tender pages: the public list and detail, the department's work, the organization's
bids, the operator's working-day calendar. Views are thin: form → one service → redirect."""
from __future__ import annotations

from market.tenders.views import bidding, calendar, department, public  # noqa: F401  (routes)
from market.tenders.views.blueprint import bp

__all__ = ["bp"]
