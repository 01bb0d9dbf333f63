"""Downloading a document: always as an attachment, never rendered by the browser."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from market.access.guards import login_required
from market.db import get_session
from market.documents.access import get_readable_document
from market.documents.storage import send_document

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.route("/<int:doc_id>")
@login_required
def download(doc_id: int):
    return send_document(get_readable_document(get_session(), current_user, doc_id))
