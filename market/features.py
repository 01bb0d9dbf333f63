"""The feature packages, each contributing a blueprint (and its nav entries)."""
from __future__ import annotations


def blueprints() -> list:
    return []
