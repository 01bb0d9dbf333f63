"""The feature packages, each contributing a blueprint (and its nav entries)."""
from __future__ import annotations


def blueprints() -> list:
    from market.catalogs.views import bp as catalogs_bp
    from market.contracts.views import bp as contracts_bp
    from market.documents.views import bp as documents_bp
    from market.grading.views import bp as grading_bp
    from market.grading.views import clearance as _clearance  # noqa: F401
    from market.grading.views import cycles as _cycles  # noqa: F401
    from market.orgs.views import bp as orgs_bp
    from market.performance.views import bp as performance_bp
    from market.tenders.scoring.views import bp as scoring_bp
    from market.tenders.views import bp as tenders_bp

    return [catalogs_bp, orgs_bp, documents_bp, tenders_bp, scoring_bp, contracts_bp,
            performance_bp, grading_bp]
