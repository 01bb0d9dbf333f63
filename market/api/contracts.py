"""Award, contract and payment endpoints."""
from __future__ import annotations

from market.api import bp  # noqa: F401
