"""`flask demo seed` (the README's first command) seeds everything, including the showcase
tender carried through to a paid milestone, twice without harm; the ledger verifies."""
from __future__ import annotations

from sqlalchemy import func, select

from ledger.verify import verify
from market.contracts.models import Contract
from market.contracts.services import contract_pdf, stored_sha256
from market.tenders.models import Tender, TenderChange, TenderStatus
from market.tenders.scoring.models import Award, PassOver


def test_demo_seed_command_is_idempotent_and_the_ledger_verifies(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    for username in ("civil", "town", "finance", "dept", "org", "evaluator", "expert",
                     "auditor"):
        assert username in first.output
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    session.expire_all()
    assert session.scalar(select(func.count(Contract.id))) == 1
    contract = session.scalar(select(Contract))
    assert contract.tender.status == TenderStatus.CONTRACTED
    assert [m.status.value for m in contract.milestones][0] == "paid"
    # The written contract: its PDF is stored, its hash verifies, the organization
    # countersigned it, and it is published.
    with app.app_context():
        data = contract_pdf(session, contract)
        assert data is not None and data.startswith(b"%PDF")
        assert stored_sha256(session, contract) == contract.pdf_sha256
    assert contract.in_effect and contract.published_at is not None
    # Five tenders, and one published and cancelled (its termination notice, 终止公告).
    assert session.scalar(select(func.count(Tender.id))) == 6
    cancelled = session.scalar(select(Tender).where(Tender.status == TenderStatus.CANCELLED))
    assert cancelled.published_at is not None and cancelled.status_reason
    # An award passed to the second-ranked bid for a coded reason with its evidence.
    passed = session.scalar(select(PassOver))
    assert passed.rank == 1 and passed.reason.value == "declined" and passed.evidence_reference
    assert session.get(Tender, passed.tender_id).status == TenderStatus.AWARDED
    # An amended tender whose bid deadline moved (MOF Order No. 87, art. 27).
    moved = session.scalar(select(TenderChange).where(
        TenderChange.deadline_moved_from.is_not(None)))
    assert moved is not None and moved.deadline_moved_to > moved.deadline_moved_from
    # Award dates agree: each current award's notice date is its tender's award date, and
    # the standstill and the challenge (质疑) deadline count from it, never before it.
    awards = session.scalars(select(Award).where(Award.revoked_at.is_(None))).all()
    assert awards
    for row in awards:
        tender = session.get(Tender, row.tender_id)
        assert row.awarded_at == tender.awarded_at
        assert tender.challenge_deadline > row.awarded_at
        assert tender.standstill_ends_at > row.awarded_at
    assert verify(session).ok
