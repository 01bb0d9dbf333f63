"""`flask demo seed` (the README's first command) seeds everything — a city's year of
tenders, contracts and payments in twelve town offices, and the showcase tender carried
through to a paid milestone — twice without change; the ledger verifies and its export passes
bean-check."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, inspect, select, text

from ledger.export import export
from ledger.models import ChainHead
from ledger.verify import verify
from market.accounts.models import Department
from market.contracts.models import Contract, Milestone, MilestoneStatus
from market.contracts.services import contract_pdf, stored_sha256
from market.grading.services.clearance import clearance_list
from market.clock import today_local
from market.performance.models import PerformanceEvaluation
from market.redflags.detectors import Scope
from market.redflags.queries import compute
from market.tenders.demo import OWN_DEPARTMENTS
from market.tenders.models import Tender, TenderChange, TenderStatus
from market.tenders.scoring.models import Award, PassOver


def _snapshot(session) -> dict:
    """Every table's row count, and the ledger's head: what a second seed must not change."""
    tables = inspect(session.get_bind()).get_table_names()
    counts = {t: session.scalar(text(f'SELECT count(*) FROM "{t}"')) for t in tables}
    head = session.scalar(select(ChainHead))
    return {"counts": counts, "head": (head.last_seq, head.last_hash) if head else None}


def _own(model):
    """Rows of the showcase's own departments (the city-year's are in town offices)."""
    return select(model).join(Department, model.department_id == Department.id).where(
        Department.code.in_(OWN_DEPARTMENTS))


def test_demo_seed_command_is_idempotent_and_the_ledger_verifies(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    for username in ("civil", "town", "finance", "dept", "org", "evaluator", "expert",
                     "auditor"):
        assert username in first.output
    assert "City-year:" in first.output
    session.expire_all()
    before = _snapshot(session)
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    assert "City-year:" not in second.output  # written once
    session.expire_all()
    assert _snapshot(session) == before  # nothing added, nothing changed in the ledger
    own_contracts = session.scalars(_own(Contract)).all()
    assert len(own_contracts) == 1
    contract = own_contracts[0]
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
    assert len(session.scalars(_own(Tender)).all()) == 6
    cancelled = session.scalar(_own(Tender).where(Tender.status == TenderStatus.CANCELLED))
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


def test_the_demo_is_a_city_year(app, session, tmp_path):
    """Every role sees a believable year: a dozen departments' catalogs, tenders in every
    phase, about forty contracts whose milestones are paid, late, waiting for their
    evaluation and failed, grade cycles and a clearance list, a ledger of hundreds of
    entries that verifies, and an export that passes bean-check with the plugin."""
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    town_offices = session.scalars(select(Department).where(Department.code.like("%-SW"))).all()
    assert len(town_offices) == 12
    assert all(d.name_zh.endswith("社会事务办公室") for d in town_offices)
    statuses = dict(session.execute(select(Tender.status, func.count(Tender.id))
                                    .group_by(Tender.status)).all())
    for status in (TenderStatus.PUBLISHED, TenderStatus.OPENED, TenderStatus.AWARDED,
                   TenderStatus.CONTRACTED, TenderStatus.CANCELLED):
        assert statuses.get(status, 0) >= 1, (status, statuses)
    assert 40 <= session.scalar(select(func.count(Contract.id))) <= 60
    today = today_local()
    milestones = session.scalars(select(Milestone)).all()
    paid = [m for m in milestones if m.status == MilestoneStatus.PAID]
    # late: paid weeks after their due day, or accepted and still unpaid past the grace
    late = [f for f in compute(session, Scope(today.year))
            if f.kind == "late_payment"]
    waiting = [m for m in milestones if m.status == MilestoneStatus.ACCEPTED and m.needs_evaluation
               and not m.evaluations]
    failed = session.scalars(select(PerformanceEvaluation).where(
        PerformanceEvaluation.passed.is_(False))).all()
    assert len(paid) > 100 and late and waiting and failed, (len(paid), late, waiting, failed)
    # and no tender of the city-year was published for less than the minimum period (等标期)
    assert not [f for f in compute(session, Scope(today.year))
                if f.kind == "short_period" and "-SW-" in f.subject]
    for evaluation in failed:  # a failed evaluation keeps its milestone unpaid
        assert session.get(Milestone, evaluation.milestone_id).status != MilestoneStatus.PAID
    assert clearance_list(session, today)
    # Its organizations filed annual reports: most may bid on an open tender of their
    # category; the others are told why (a report not filed, failed or only basically
    # passed, a grade too low) — not "not filed" for everyone.
    from market.orgs.models import Organization
    from market.tenders.eligibility import bid_day, provider_conditions

    day = bid_day()
    open_tenders = session.scalars(select(Tender).where(Tender.accepting_bids)).all()
    from market.accounts.models import User

    members = session.scalars(select(Organization).join(
        User, User.organization_id == Organization.id).where(User.username.like("s-org-%"))).all()
    assert open_tenders and members
    unmet = {org.id: {u.code for t in open_tenders
                      for u in provider_conditions(session, org, t, day)} for org in members}
    may_bid = [org for org in members if any(
        not provider_conditions(session, org, t, day) for t in open_tenders)]
    assert len(may_bid) >= len(members) // 2, (len(may_bid), len(members))
    reasons = set().union(*unmet.values())
    assert {"annual_report_missing", "annual_report_failed"} <= reasons, reasons
    head = session.scalar(select(ChainHead))
    assert head.last_seq > 500
    assert verify(session).ok
    exported = export(session, tmp_path / "export")
    env = {**os.environ, "PYTHONPATH": "", "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    checked = subprocess.run([str(Path(sys.executable).with_name("bean-check")),
                              str(exported.main)], capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
