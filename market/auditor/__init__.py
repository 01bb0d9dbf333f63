"""审计监督 — the auditors' workspace (policy §14: 监察, finance and audit supervise the
purchase funds): budget execution, drill-down from account to transaction to documents,
ledger export and verification, and a read-only Fava."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission
    from market.auditor import fava
    from market.auditor.views import bp

    app.register_blueprint(bp)
    nav.register(app, nav.NavItem("auditor.execution", _l("Budget execution"),
                                  Permission.LEDGER_READ, order=30))
    fava.init_app(app)
