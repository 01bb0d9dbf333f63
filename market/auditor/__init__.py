"""审计监督 — the auditors' workspace (policy §14: 监察, finance and audit supervise the
purchase funds): budget execution, drill-down from account to transaction to documents,
ledger export and verification, and a read-only Fava; and the ledger's chain head
published every day on the public portal (§12 information disclosure), against which
any export can be verified (``flask ledger publish-head``, ``/ledger/heads``)."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission
    from market.auditor import fava
    from market.auditor.views import ACCOUNT, EXECUTION, HEADS, bp, heads_bp
    from market.core import listing

    app.register_blueprint(bp)
    app.register_blueprint(heads_bp)
    nav.register(app, nav.NavItem("auditor.execution", _l("Budget execution"),
                                  Permission.LEDGER_READ, order=30),
                 nav.NavItem("ledger_heads.heads", _l("Ledger heads"), public=True, order=60))
    fava.init_app(app)
    read = Permission.LEDGER_READ
    listing.register(app, EXECUTION, "auditor.execution", audience=read,
                     count=lambda page: sum(len(d.items) for d in page["execution"].departments))
    listing.register(app, ACCOUNT, "auditor.account", audience=read, params=_busiest_account)
    listing.register(app, HEADS, "ledger_heads.heads")


def _busiest_account(session) -> dict:
    from sqlalchemy import func, select

    from ledger.models import Account, Posting

    name = session.scalar(select(Account.name).join(Posting, Posting.account_id == Account.id)
                          .group_by(Account.name).order_by(func.count().desc(), Account.name))
    return {"name": name}
