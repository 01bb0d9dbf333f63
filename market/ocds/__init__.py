"""开放合同数据 — Open Contracting Data Standard (OCDS 1.1) publication.

Every published tender is an OCDS contracting process (``ocid`` = app config
``OCDS_PREFIX`` + "-" + the tender reference) with releases for planning (the catalog
item's budget), tender, opening (tenderers — never before opening: the sealed-bid rule),
award, contract and implementation (each payment a transaction carrying its ledger
sequence and chain hash), a record per process, and a fiscal year's bulk package streamed
by ``flask ocds export`` and /ocds/years/<year>.json. Reads other rooms' models; nothing
imports it but the app's features.
"""
from __future__ import annotations


def init_app(app) -> None:
    from market import nav
    from market.ocds.cli import ocds_cli
    from market.ocds.views import NAV_ITEM, api_bp, bp

    if bp.name not in app.blueprints:
        app.register_blueprint(bp)
        app.register_blueprint(api_bp)
        app.cli.add_command(ocds_cli)
    nav.register(app, NAV_ITEM)
