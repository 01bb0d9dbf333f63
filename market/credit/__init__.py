"""信用记录 — credit records (policy §18: 信誉良好): per organization, what counts for or
against its credit, with date, source and evidence; the provider conditions at the bid
read from it. Issue 12, part 7.

Facts of the rooms below are read where they live (sanctions and annual-inspection results
in ``orgs``, the clearance list in ``grading``); facts of the rooms above are written here
by them when they happen (``services.record``: contracts terminated for the organization's
fault, failed performance evaluations, upheld complaints). ``queries.standing_on`` is the
one place the negative-credit conditions are decided (tenders' provider conditions, grants'
eligibility)."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Role
    from market.access.permissions import Permission
    from market.core import listing
    from market.credit.views import RECORD, bp

    app.register_blueprint(bp)
    nav.register(app, nav.NavItem("credit.mine", _l("Our credit record"),
                                  roles=frozenset({Role.ORGANIZATION}), order=34))
    listing.register(app, RECORD, "credit.organization", audience=Permission.CREDIT_READ,
                     params=_an_organization)


def _an_organization(session) -> dict:
    """The organization with the longest credit record (the registry walk's example)."""
    from sqlalchemy import func, select

    from market.credit.models import CreditEntry
    from market.orgs.models import Organization

    org_id = session.scalar(select(CreditEntry.organization_id)
                            .group_by(CreditEntry.organization_id)
                            .order_by(func.count().desc()).limit(1)) \
        or session.scalar(select(Organization.id).order_by(Organization.id).limit(1))
    return {"org_id": org_id}
