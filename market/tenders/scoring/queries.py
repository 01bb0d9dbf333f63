"""What the award page and the API's award result show, in one place: the ranking and its
reasons (``award``), the challenges (``challenges``) and the contract signed from it."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from market.clock import now, to_local
from market.tenders.models import Bid
from market.tenders.outcomes import Outcome, State

from market.tenders.access import is_owner
from market.tenders.labels import priority_in_words
from market.tenders.models import Tender, TenderStatus
from market.tenders.scoring import challenges
from market.tenders.scoring import services as evaluation
from market.tenders.scoring.models import Award, BidResult
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


def bid_outcomes(session: Session, organization_id: int, outcomes: dict[int, Outcome]) -> None:
    """Won, lost or contracted, for the organization's opened bids — one query for all.

    The rank and the total are the bid's own, given only once the award is published (a
    current award): before that the ranking is not public (MISSION.md, sealed bids), even
    to the bidder. No other bid's result is read.
    """
    if not outcomes:
        return
    rows = session.execute(
        select(Bid.id, Tender.status, Tender.challenge_deadline, Award.bid_id,
               BidResult.rank, BidResult.total)
        .join(Tender, Tender.id == Bid.tender_id)
        .outerjoin(Award, and_(Award.tender_id == Bid.tender_id, Award.revoked_at.is_(None)))
        .outerjoin(BidResult, and_(BidResult.bid_id == Bid.id,
                                   BidResult.tender_id == Bid.tender_id))
        .where(Bid.organization_id == organization_id, Bid.id.in_(list(outcomes))))
    at = now()
    for bid_id, status, deadline, awarded_bid, rank, total in rows:
        out = outcomes[bid_id]
        if awarded_bid is None or out.state in (State.WITHDRAWN, State.CANCELLED,
                                                 State.UNSUCCESSFUL, State.SEALED):
            continue  # no award published: no rank, no score, not even one's own
        out.rank, out.total = rank, total
        page = url_for("scoring.award_page", tender_id=out.tender_id)
        if awarded_bid == bid_id:
            if status == TenderStatus.CONTRACTED:
                out.state = State.CONTRACTED
                out.action, out.action_url = None, None
            else:
                out.state = State.WON
                out.action = _l("Wait for the department to sign the contract, then "
                                "countersign it")
                out.action_url = page
        else:
            if out.state != State.INVALID:
                out.state = State.LOST
            if status == TenderStatus.AWARDED and deadline is not None and at < deadline:
                out.action = _l("Read the award's reasons; you may challenge it until %(d)s",
                                d=to_local(deadline).strftime("%Y-%m-%d %H:%M"))
                out.action_url = page


def tenders_to_award(session: Session, user) -> int:
    """A department's to-do: its evaluated tenders waiting for the award."""
    return session.scalar(select(func.count(Tender.id)).where(
        Tender.department_id == (user.department_id or 0),
        Tender.status == TenderStatus.EVALUATED)) or 0
