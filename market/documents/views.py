"""Downloading a document: always as an attachment, never rendered by the browser."""
from __future__ import annotations

from pathlib import PurePath

from flask import Blueprint, abort, send_file
from flask_login import current_user

from market.access.guards import login_required
from market.db import get_session
from market.documents.access import get_readable_document
from market.documents.storage import open_document

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.route("/<int:doc_id>")
@login_required
def download(doc_id: int):
    doc = get_readable_document(get_session(), current_user, doc_id)
    try:
        fileobj = open_document(doc)
    except FileNotFoundError:
        abort(404)
    # The suggested name ends with the extension of the detected type, whatever was uploaded.
    name = f"{PurePath(doc.original_name).stem or 'document'}.{doc.extension}"
    response = send_file(fileobj, mimetype=doc.mimetype, as_attachment=True,
                         download_name=name, max_age=0, conditional=False, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
