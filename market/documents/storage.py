"""Storing uploads: size limit, type by content, random server-side name, sha256.

The file is written when the document row is added; if the transaction then rolls back,
the file is removed again, so a refused form leaves neither a row nor a file behind.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path, PurePath

import filetype
from filetype.types import archive, document, image
from flask import abort, current_app, has_app_context, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from market.auditlog.services import record
from market.documents.models import Document, OwnerType
from market.errors import DomainError, Invalid

# Only these, recognised by their bytes; the name the user gave the file is never trusted.
_MATCHERS = {
    "application/pdf": archive.Pdf(),
    "image/png": image.Png(),
    "image/jpeg": image.Jpeg(),
    document.Docx.MIME: document.Docx(),
    document.Xlsx.MIME: document.Xlsx(),
}
ALL_TYPES = frozenset(_MATCHERS)
PDF_ONLY = frozenset({"application/pdf"})
PDF_OR_IMAGE = frozenset({"application/pdf", "image/png", "image/jpeg"})

TYPE_NAMES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG",
              document.Docx.MIME: "Word (.docx)", document.Xlsx.MIME: "Excel (.xlsx)"}


class FileTooLarge(DomainError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    code = "file_too_large"


class FileTypeRefused(DomainError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    code = "file_type_refused"


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it: the name they gave it and (at most limit+1) bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class DocumentStore:
    """Where files go and how big they may be (UPLOAD_FOLDER, policy max_upload_bytes).

    ``folder=None`` records documents without writing files (demo data seeded outside
    an application context).
    """

    folder: Path | None
    max_bytes: int

    @classmethod
    def current(cls) -> DocumentStore:
        from market import policy

        if not has_app_context():
            return cls(None, policy.value("max_upload_bytes"))
        cfg = current_app.config
        return cls(Path(cfg["UPLOAD_FOLDER"]), policy.value_in(cfg, "max_upload_bytes"))

    def path_of(self, stored_name: str) -> Path:
        if self.folder is None:
            raise FileNotFoundError(stored_name)
        return self.folder / stored_name[:2] / stored_name


def upload_from(file_storage, max_bytes: int | None = None) -> Upload | None:
    """Turn a werkzeug FileStorage into an Upload (None when no file was chosen)."""
    if file_storage is None or not getattr(file_storage, "filename", None):
        return None
    limit = max_bytes if max_bytes is not None else DocumentStore.current().max_bytes
    return Upload(file_storage.filename, file_storage.stream.read(limit + 1))


def detect_type(data: bytes) -> str | None:
    """The MIME type of ``data`` if it is one we accept, judged by content only."""
    kind = filetype.match(data[:8192], matchers=list(_MATCHERS.values()))
    return kind.mime if kind else None


def check_upload(upload: Upload, *, allowed: frozenset[str] = ALL_TYPES,
                 store: DocumentStore | None = None) -> str:
    """The detected MIME type, or a DomainError saying why the file is refused."""
    store = store or DocumentStore.current()
    if not upload.data:
        raise Invalid(_l("The file is empty."))
    if len(upload.data) > store.max_bytes:
        raise FileTooLarge(_l("The file is larger than the limit of %(mb)s MB.",
                              mb=_megabytes(store.max_bytes)))
    mime = detect_type(upload.data)
    if mime is None or mime not in allowed:
        names = ", ".join(TYPE_NAMES[m] for m in sorted(allowed, key=list(_MATCHERS).index))
        raise FileTypeRefused(_l("This file type is not accepted here (judged by the file's "
                                 "content, not its name). Accepted: %(types)s.", types=names))
    return mime


def store_document(session: Session, upload: Upload, *, owner_type: str, owner_id: int,
                   purpose: str, actor, allowed: frozenset[str] = ALL_TYPES,
                   store: DocumentStore | None = None) -> Document:
    """Check, write and record an upload (with its audit entry), in the caller's transaction."""
    doc = prepare_document(session, upload, owner_type=owner_type, owner_id=owner_id,
                           purpose=purpose, actor=actor, allowed=allowed, store=store)
    session.flush()
    record(session, actor, "document", doc.id, "upload", None, purpose)
    return doc


def prepare_document(session: Session, upload: Upload, *, owner_type: str, owner_id: int,
                     purpose: str, actor, allowed: frozenset[str] = ALL_TYPES,
                     store: DocumentStore | None = None) -> Document:
    """Check and write an upload and add its row, unflushed and not yet in the audit log
    (for bulk loading; the caller records the upload)."""
    store = store or DocumentStore.current()
    mime = check_upload(upload, allowed=allowed, store=store)
    owner_type = OwnerType(owner_type)  # ValueError for a kind no policy is declared for
    stored_name = secrets.token_hex(20)
    doc = Document(
        owner_type=owner_type, owner_id=owner_id, purpose=purpose,
        original_name=_safe_name(upload.filename), stored_name=stored_name, mimetype=mime,
        extension=_MATCHERS[mime].extension, size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(), uploaded_by_id=getattr(actor, "id", None))
    session.add(doc)
    if store.folder is not None:
        _write(session, store.path_of(stored_name), upload.data)
    return doc


def open_document(doc: Document, store: DocumentStore | None = None):
    """A binary file object for the document's bytes (FileNotFoundError if missing)."""
    store = store or DocumentStore.current()
    return store.path_of(doc.stored_name).open("rb")


def _write(session: Session, path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    session.info.setdefault("uncommitted_files", []).append(path)


@event.listens_for(Session, "after_commit")
def _keep_files(session):
    session.info.pop("uncommitted_files", None)


@event.listens_for(Session, "after_rollback")
def _remove_files(session):
    for path in session.info.pop("uncommitted_files", []):
        path.unlink(missing_ok=True)


def _safe_name(filename: str) -> str:
    """Only for display and the download's suggested name; never a path on disk."""
    name = os.path.basename(filename.replace("\\", "/")).strip() or "document"
    return "".join(c for c in name if c.isprintable())[:255]


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}"


def send_document(doc):
    """The document as an attachment, for a route that has already decided it may be read."""
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
