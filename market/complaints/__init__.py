"""投诉举报 — complaints (policy §14: a public channel for complaints and reports): anyone
files, civil affairs routes, the responsible department answers within a set number of
working days, the outcome is public without the complainant's identity. Issue 12, part 4.

Anyone, with a name or anonymously, files a complaint about a public organization, tender,
contract or paid milestone, with evidence, and gets a tracking code (kept hashed) to follow
it at ``/complaints/track``. Civil affairs routes it to the department of the tender or
contract (itself for organizations) or dismisses it as out of scope; the department answers
(upheld / partly upheld / not upheld, with a written finding) within
``complaint_response_working_days`` working days of the filing, on the operator's
working-day calendar. Complaints past that without an answer are listed for civil affairs
and auditors (``queries.overdue``, read by red flags); upheld complaints about an
organization feed its credit record (``queries.upheld_against``). Filing is limited per
address and browser (``complaint_filings_per_hour``, counted in the login throttle's
store), guarded by a honeypot field, a minimum fill time and CSRF.
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.complaints import access, demo
    from market.complaints.views import OUTCOMES, WORK, bp, work_count
    from market.core import listing
    from market.demo import register_seeder
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.home.panels import register_panel

    app.register_blueprint(bp)
    nav.register(
        app,
        nav.NavItem("complaints.index", _l("Complaints"), public=True, order=38),
        nav.NavItem("complaints.work", _l("Complaint handling"), Permission.COMPLAINTS_READ,
                    order=27),
    )
    for role in (Role.CIVIL_AFFAIRS, Role.AUDITOR, Role.DEPARTMENT):
        register_panel(app, role, "complaints/_panel.html", order=55)
    register_policy(app, OwnerType.COMPLAINT, access.may_read_document)
    register_seeder(app, "complaints", demo.seed)
    listing.register(app, OUTCOMES, "complaints.index", count=lambda ctx: ctx["outcomes"].total)
    listing.register(app, WORK, "complaints.work", audience=Permission.COMPLAINTS_READ,
                     count=work_count)
