"""Who may download tender and bid documents: the document policies for
``OwnerType.TENDER`` and ``OwnerType.BID``, registered by the tenders feature's
``init_app``.

Bid attachments are bid content: sealed exactly like the price and the proposal.
"""
from __future__ import annotations

from market.tenders import sealed
from market.tenders.access import can_see
from market.tenders.models import Bid, Tender


def may_read_tender_document(session, user, doc) -> bool:
    tender = session.get(Tender, doc.owner_id)
    return tender is not None and can_see(user, tender)


def may_read_bid_document(session, user, doc) -> bool:
    bid = session.get(Bid, doc.owner_id)
    if bid is None or doc.id not in (bid.document_ids or []):
        return False
    return sealed.may_read_content(session, user, bid.tender, bid)
