"""文件 — uploaded documents, the evidence the measures rest on (policy §9: annual financial
audit reports and departure audits; §14: tender papers, bids, deliverables and third-party
evaluation reports): checked by content, stored outside static/, served as attachments.

Features own the rules for who may read a document: each registers an access policy for
the ``OwnerType`` it stores documents under (``access.register_policy``, in its
``init_app``); the app refuses to start while a declared owner type has none.
"""
from __future__ import annotations


def init_app(app) -> None:
    from market.documents.views import bp

    app.register_blueprint(bp)
