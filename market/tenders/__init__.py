"""招标采购 — tenders for public services (policy §14: yearly public-service tendering from
the purchase catalog; §18: services go by tender and other competitive procedures to
qualified, reputable organizations; §10: organizations graded 3A and above come first;
§12: what is tendered, who bid and who won is public): tenders from catalog items,
clarification questions, sealed bids, opening, cancellation. Scoring (评标), the award,
its standstill and challenges (质疑) are the sub-room ``tenders.scoring``, built on this one.

Bid content is read only through ``sealed``; the audit log hides bid entries until the
opening (the sealed-bid redaction this feature registers, checked at start).
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.auditlog.services import SEALED_BIDS, register_object_names, register_redaction
    from market.demo import register_seeder
    from market.documents.access import register_policy
    from market.documents.models import OwnerType
    from market.home.panels import register_panel
    from market.tenders import demo, documents, queries, sealed
    from market.core import listing
    from market.tenders.views import bp
    from market.tenders.views.public import TENDER_LIST

    app.register_blueprint(bp)
    nav.register(
        app,
        nav.NavItem("tenders.index", _l("Tenders"), public=True, order=12),
        nav.NavItem("tenders.queue", _l("Tender work queue"), Permission.TENDERS_MANAGE,
                    order=21),
        nav.NavItem("tenders.for_me", _l("Tenders I can bid on"), Permission.TENDERS_BID,
                    order=21),
        nav.NavItem("tenders.my_bids", _l("My bids"), Permission.TENDERS_BID, order=22),
        nav.NavItem("tenders.calendar", _l("Working-day calendar"), Permission.CALENDAR_MANAGE,
                    order=60),
    )
    register_panel(app, Role.ORGANIZATION, "tenders/_panel_organization.html", order=10)
    register_panel(app, Role.DEPARTMENT, "tenders/_panel_department.html", order=10)
    register_policy(app, OwnerType.TENDER, documents.may_read_tender_document)
    register_policy(app, OwnerType.BID, documents.may_read_bid_document)
    register_redaction(app, SEALED_BIDS, sealed.bid_entries_still_sealed)
    # The audit log names a tender by its reference (KS-WJW-2026-001), not its row id.
    register_object_names(app, "tender", queries.tender_references)
    register_seeder(app, "tenders", demo.seed)
    listing.register(app, TENDER_LIST, "tenders.index")
