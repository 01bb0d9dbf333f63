"""The feature packages, each contributing a blueprint (and its nav entries)."""
from __future__ import annotations


def blueprints() -> list:
    from market.catalogs.views import bp as catalogs_bp
    from market.documents.views import bp as documents_bp
    from market.orgs.views import bp as orgs_bp

    return [catalogs_bp, orgs_bp, documents_bp]
