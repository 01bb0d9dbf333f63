"""Bid receipts (投标回执): the SHA-256 of a bid's canonical content.

Anyone holding the bid's content can recompute the hash: the canonical text is JSON with
sorted keys, no spaces, UTF-8, of exactly these fields. At opening every receipt is
published beside its bid, so each bidder can check that nothing was altered.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.documents.models import Document
from market.money import CENT

FIELDS = ("tender", "organization", "price", "proposal", "documents", "tender_version")


def organization_code(org) -> str:
    """The credit code (统一社会信用代码); filed organizations have none."""
    return org.credit_code or f"FILED-{org.id}"


def canonical_content(*, tender_reference: str, organization_code: str, price: Decimal,
                      proposal: str, document_hashes: list[str], tender_version: int) -> str:
    content = {
        "tender": tender_reference,
        "organization": organization_code,
        "price": f"{Decimal(price).quantize(CENT):f}",  # the hashed form: never change it
        "proposal": proposal,
        "documents": sorted(document_hashes),
        "tender_version": int(tender_version),
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def document_hashes(session: Session, document_ids) -> list[str]:
    if not document_ids:
        return []
    return list(session.scalars(select(Document.sha256).where(Document.id.in_(document_ids))))


def canonical_for(session: Session, bid) -> str:
    """The canonical text of a stored bid (content read straight from the row: callers are
    the bid services and ``sealed``, which decide who may see it)."""
    return canonical_content(
        tender_reference=bid.tender.reference, organization_code=organization_code(
            bid.organization), price=bid.price, proposal=bid.proposal,
        document_hashes=document_hashes(session, bid.document_ids),
        tender_version=bid.tender_version)


def receipt_for(session: Session, bid) -> str:
    return digest(canonical_for(session, bid))
