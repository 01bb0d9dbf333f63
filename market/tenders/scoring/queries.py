"""What the award page and the API's award result show, in one place: the ranking and its
reasons (``award``), the challenges (``challenges``) and the contract signed from it."""
from __future__ import annotations

from sqlalchemy.orm import Session

from market.tenders.access import is_owner
from market.tenders.labels import priority_in_words
from market.tenders.models import Tender
from market.tenders.scoring import challenges
from market.tenders.scoring import services as evaluation
from market.tenders.scoring.award import (Row, awards, can_award, can_withdraw, current_award,
                                         explain, may_read_passover_evidence, passovers)


def award_page(session: Session, user, tender: Tender) -> dict:
    """Everything the award page and the API show, in one place."""
    rows = [Row(r, r.bid.organization.name) for r in evaluation.results(session, tender)]
    award = current_award(session, tender)
    passed = passovers(session, tender)
    names = {r.result.bid_id: r.name for r in rows}

    return {
        "tender": tender, "rows": rows, "award": award, "history": awards(session, tender),
        "criteria": evaluation.technical_criteria(tender),
        "price_criterion": next((c for c in tender.criteria if c.is_price), None),
        "reasons": explain(tender, rows, award, passed),
        "passovers": [(p, names.get(p.bid_id, "")) for p in passed],
        "evidence_readable": {p.id for p in passed if p.evidence_document_id
                              and may_read_passover_evidence(session, user, p)},
        "can_withdraw": can_withdraw(user, tender),
        "priority_text": priority_in_words(tender),
        "contract": tender.contract,
        "challenges": challenges.visible_challenges(session, user, tender),
        "can_award": can_award(user, tender),
        "can_challenge": challenges.can_challenge(session, user, tender),
        "is_owner": is_owner(user, tender),
    }
