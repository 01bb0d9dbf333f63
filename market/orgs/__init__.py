"""社会组织登记与备案 — the organization registry (policy §1: direct registration of industry,
science, charity and community organizations; §2: registration and town-level filing, the
two tracks; §3: several associations per industry; §9: annual reports with their audit
report, annual inspection (年检) and the legal representative's departure audit): applications
and their review, status (pending / active / suspended / cleared), memberships.

Writes go through ``applications`` (apply, review), ``reporting`` (annual reports,
inspection, departure audits), ``sanctions`` (处罚/惩戒: penalties and investigations, and
the readers other rooms call) and ``status`` (suspend, reactivate, clear out). Later
features call ``market.orgs.status.ensure_can_transact(org)`` before accepting a bid or an
application from an organization.
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.demo import register_seeder
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.home.panels import register_panel
    from market.orgs import access, demo
    from market.core import listing
    from market.orgs.views import bp, public, registry, sanctions

    app.register_blueprint(bp)
    nav.register(
        app,
        nav.NavItem("orgs.public_list", _l("Social organizations"), public=True, order=20),
        nav.NavItem("orgs.mine", _l("My organization"), roles=frozenset({Role.ORGANIZATION}),
                    order=10),
        nav.NavItem("orgs.registry", _l("Organization registry"), Permission.ORGS_READ_REGISTRY,
                    order=20),
        nav.NavItem("orgs.applications", _l("Applications"), Permission.ORGS_READ_REGISTRY,
                    order=21),
        nav.NavItem("orgs.annual_reports", _l("Annual inspection"),
                    Permission.ORGS_REVIEW_ANNUAL_REPORT, order=22),
        nav.NavItem("orgs.sanctions", _l("Penalties and investigations"),
                    Permission.ORGS_READ_REGISTRY, order=23),
    )
    register_panel(app, Role.ORGANIZATION, "orgs/panels/organization.html", order=10)
    register_panel(app, Role.CIVIL_AFFAIRS, "orgs/panels/civil_affairs.html", order=10)
    register_panel(app, Role.TOWN_OFFICER, "orgs/panels/town_officer.html", order=10)
    register_policy(app, OwnerType.ORGANIZATION, access.may_read_document)
    register_seeder(app, "orgs", demo.seed)
    read = Permission.ORGS_READ_REGISTRY
    listing.register(app, public.ORGANIZATIONS, "orgs.public_list")
    listing.register(app, registry.REGISTRY, "orgs.registry", audience=read)
    listing.register(app, registry.APPLICATIONS, "orgs.applications", audience=read)
    listing.register(app, registry.ANNUAL_REPORTS, "orgs.annual_reports", audience=read)
    listing.register(app, sanctions.SANCTIONS, "orgs.sanctions", audience=read)
