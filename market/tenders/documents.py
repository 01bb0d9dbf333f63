"""Who may download tender and bid documents (registered with the documents feature).

Bid attachments are bid content: sealed exactly like the price and the proposal.
"""
from __future__ import annotations

from market.documents.access import register_policy
from market.tenders import sealed
from market.tenders.access import can_see
from market.tenders.models import Bid, Tender


def _tender_document(session, user, doc) -> bool:
    tender = session.get(Tender, doc.owner_id)
    return tender is not None and can_see(user, tender)


def _bid_document(session, user, doc) -> bool:
    bid = session.get(Bid, doc.owner_id)
    if bid is None or doc.id not in (bid.document_ids or []):
        return False
    return sealed.may_read_content(session, user, bid.tender, bid)


register_policy("tender", _tender_document)
register_policy("bid", _bid_document)
