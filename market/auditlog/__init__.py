"""审计日志 — the append-only record of every state change (policy §12, §14: supervision
and disclosure). Infrastructure: every service writes it through ``services.record``.

Features that write entries which must stay hidden for a while register a redaction
(``services.register_redaction``); the app refuses to start without the required ones
(the sealed-bid redaction, ``services.REQUIRED_REDACTIONS``)."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission
    from market.auditlog.views import AUDIT_LOG, bp
    from market.core import listing

    app.register_blueprint(bp)
    nav.register(app, nav.NavItem("auditlog.index", _l("Audit log"), Permission.AUDIT_LOG_READ,
                                  order=90))
    listing.register(app, AUDIT_LOG, "auditlog.index", audience=Permission.AUDIT_LOG_READ)
