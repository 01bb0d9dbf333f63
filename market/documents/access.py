"""Who may read a document: the uploader, plus whatever the owning feature's policy says."""
from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from market.documents.models import Document
from market.errors import NotFound

Policy = Callable[[Session, object, Document], bool]
POLICIES: dict[str, Policy] = {}


def register_policy(owner_type: str, policy: Policy) -> None:
    """A feature says who may read the documents it stores under ``owner_type``."""
    POLICIES[owner_type] = policy


def can_read(session: Session, user, doc: Document) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if doc.uploaded_by_id is not None and doc.uploaded_by_id == user.id:
        return True
    policy = POLICIES.get(doc.owner_type)
    return bool(policy and policy(session, user, doc))


def get_readable_document(session: Session, user, doc_id: int) -> Document:
    """The document, or NotFound — also when it exists but this user may not read it."""
    doc = session.get(Document, doc_id)
    if doc is None or not can_read(session, user, doc):
        raise NotFound(_l("No such document, or you may not read it."))
    return doc
