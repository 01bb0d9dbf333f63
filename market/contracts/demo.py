"""A showcase for the demo (``flask demo seed`` only; the test fixtures leave it out):
the opened community-governance tender is scored by its drawn experts, awarded, signed, and
its first milestone delivered and paid — so the award page, the contract, budget
execution and Fava all show real figures; and the children's-services tender awarded to
its second-ranked bid for a coded reason with evidence."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.access.permissions import Role
from market.contracts import payments
from market.contracts.services import (MilestoneData, accept_contract, contract_for_tender,
                                       default_terms, sign_contract)
from market.demo import DEMO_PASSWORD
from market.money import CENT
from market.tenders import sealed, tender_services
from market.experts.models import Specialty
from market.tenders.scoring import award, committee
from market.tenders.scoring import services as evaluation
from market.tenders.models import Tender, TenderStatus

TITLE = "社区治理创新项目（第一批）"
PASSED_OVER_TITLE = "困境儿童关爱服务项目"
# Each expert's technical marks, as a share of every criterion's weight, by bid order.
SHARES = [Decimal("0.85"), Decimal("0.80"), Decimal("0.90")]


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def seed(session: Session) -> None:
    _contracted(session)
    _passed_over(session)


def _passed_over(session: Session) -> None:
    """The children's-services tender, due for opening: opened, scored, and awarded to the
    second-ranked bid because the first-ranked bidder declined in writing (放弃中标) — the
    award page shows the reason code and the letter's reference."""
    tender = session.scalar(select(Tender).where(Tender.title == PASSED_OVER_TITLE))
    if tender is None or tender.status != TenderStatus.PUBLISHED or not tender.openable:
        return
    dept = _user(session, "dept-mzj")
    tender_services.open_bids(session, dept, tender.id)
    if tender.status != TenderStatus.OPENED:
        return
    # The committee is drawn from the pool like any other (five experts, no hand-picking).
    committee.draw_committee(session, dept, tender.id, Specialty.COMMUNITY_GOVERNANCE.value, 5,
                             [dept.id])
    _score(session, tender, evaluation.active_experts(session, tender))
    ranked = [r for r in evaluation.results(session, tender) if r.rank]
    award.award_tender(session, dept, tender.id, ranked[1].bid_id, [award.PassOverData(
        ranked[0].bid_id, "declined", reference="放弃中标声明函（2026年第12号）",
        note="该机构因服务团队调整，书面声明放弃中标资格。")])
    session.flush()


def _score(session: Session, tender: Tender, seats) -> None:
    """Each seated expert declares no conflict and marks every bid by ``SHARES``."""
    bids = sealed.opened_bids(session, tender)
    technical = evaluation.technical_criteria(tender)
    for seat in seats:
        evaluation.declare(session, seat.expert, tender.id, set())
        scores = {(b.id, c.id): (c.weight * share).quantize(CENT)
                  for b, share in zip(bids, SHARES, strict=False)  # spare shares unused
                  for c in technical}
        evaluation.submit_scores(session, seat.expert, tender.id, scores)


def _contracted(session: Session) -> None:
    tender = session.scalar(select(Tender).where(Tender.title == TITLE))
    if tender is None or tender.status != TenderStatus.OPENED or \
            contract_for_tender(session, tender) is not None:
        return
    dept = _user(session, "dept-mzj")
    seats = evaluation.active_experts(session, tender)
    if not seats:  # the committee is drawn by the scoring room's demo
        return
    _score(session, tender, seats)
    top = evaluation.results(session, tender)[0]
    decision = award.award_tender(session, dept, tender.id, top.bid_id)
    # The standstill is over: the award happened twelve days ago. The award row, the
    # tender's award date and the periods that count from it move together, so no notice
    # shows a challenge deadline before its award date.
    shift = dt.timedelta(days=12)
    decision.awarded_at -= shift
    tender.awarded_at -= shift
    tender.standstill_ends_at -= shift
    tender.challenge_deadline -= shift
    session.flush()
    year = tender.catalog_item.catalog.fiscal_year
    # The written contract: its terms, a one-year term, its PDF (kept as a document with
    # its SHA-256); the organization countersigns it, so it is in effect and published.
    terms = default_terms(tender)
    terms.service_quantity = "覆盖40个社区；每社区建立1个楼道议事会，全年开展议事活动不少于12次。"
    terms.term_start = dt.date(year, 12, 1)
    terms.term_end = dt.date(year + 1, 11, 30)
    contract = sign_contract(session, dept, tender.id, [
        MilestoneData("启动与社区调研", "30", dt.date(year, 12, 31)),
        MilestoneData("中期交付", "40", dt.date(year + 1, 4, 30)),
        MilestoneData("结项验收", "30", dt.date(year + 1, 9, 30), True)], terms)
    contractor = session.scalar(select(User).where(
        User.organization_id == contract.organization_id, User.role == Role.ORGANIZATION))
    accept_contract(session, contractor, contract.id, True, DEMO_PASSWORD)
    payments.submit_deliverables(session, contractor, contract.id, 1,
                                 "完成40个社区的需求调研，建立楼道议事会工作台账。")
    payments.decide_deliverables(session, dept, contract.id, 1, True)
    payments.approve_payment(session, _user(session, "finance"), contract.id, 1)
    session.flush()

