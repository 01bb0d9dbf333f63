"""The feature packages, each contributing a blueprint (and its nav entries)."""
from __future__ import annotations


def blueprints() -> list:
    from market.catalogs.views import bp as catalogs_bp
    from market.contracts.views import bp as contracts_bp
    from market.documents.views import bp as documents_bp
    from market.evaluations.views import bp as grade_evaluations_bp
    from market.evaluations.clearance_views import bp as clearance_bp
    from market.evaluations.performance_views import bp as performance_bp
    from market.orgs.views import bp as orgs_bp
    from market.tenders.evaluation_views import bp as award_bp
    from market.tenders.views import bp as tenders_bp

    return [catalogs_bp, orgs_bp, documents_bp, tenders_bp, award_bp, contracts_bp,
            clearance_bp, performance_bp, grade_evaluations_bp]
