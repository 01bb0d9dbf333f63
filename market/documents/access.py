"""Who may read a document: the uploader, plus whatever the owning feature's policy says.

Each feature registers the policy for the owner types it stores documents under, on the
app, in its ``init_app``; an owner type without a policy stops the app at start
(``check``) — no document is ever readable by a rule nobody wrote.
"""
from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from market.core import registry
from market.documents.models import Document, OwnerType
from market.errors import NotFound

Policy = Callable[[Session, object, Document], bool]


def register_policy(app, owner_type: OwnerType | str, policy: Policy) -> None:
    """A feature says who may read the documents it stores under ``owner_type``."""
    owner_type = OwnerType(owner_type)
    for policies in registry.targets(app, "document_policies", dict, process=True):
        policies[owner_type] = policy


def policies(app) -> dict[str, Policy]:
    """The app's policies by owner type."""
    return dict(registry.of(app, "document_policies", dict))


def check(app) -> list[str]:
    """What is wrong for start-up: each declared owner type without a policy."""
    have = registry.of(app, "document_policies", dict)
    return [f"document owner type {t.value!r} has no access policy (a feature's init_app "
            f"must call market.documents.access.register_policy for it)"
            for t in OwnerType if t not in have]


def can_read(session: Session, user, doc: Document) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if doc.uploaded_by_id is not None and doc.uploaded_by_id == user.id:
        return True
    policy = registry.current("document_policies", dict, process=True).get(doc.owner_type)
    return bool(policy and policy(session, user, doc))


def get_readable_document(session: Session, user, doc_id: int) -> Document:
    """The document, or NotFound — also when it exists but this user may not read it."""
    doc = session.get(Document, doc_id)
    if doc is None or not can_read(session, user, doc):
        raise NotFound(_l("No such document, or you may not read it."))
    return doc
