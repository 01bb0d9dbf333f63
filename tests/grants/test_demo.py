"""The demo shows last year's finished round (paid, one grant stopped at mid-term), an open
round of this year with applications in draft, submitted and withdrawn, and a round of this year under review (screened, reviewers drawn, one conflict
declared, scores partly in); seeding twice changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from market.clock import LOCAL_TZ, now
from market.experts.models import DrawStep
from market.grants import review
from market.grants.demo import REVIEW_ROUND_TITLE, ROUND_TITLE
from market.grants.models import ApplicationStatus, GrantApplication, GrantReviewer, GrantRound
from tests.grants.conftest import grant_counts


def test_the_demo_round_is_open_with_applications_in_each_state(app, session, demo):
    grant_round = session.scalar(select(GrantRound).where(GrantRound.title == ROUND_TITLE))
    assert grant_round.is_open(now())
    assert grant_round.opens_at.astimezone(LOCAL_TZ).year == now().astimezone(LOCAL_TZ).year
    states = sorted(a.status.value for a in session.scalars(select(GrantApplication).where(
        GrantApplication.round_id == grant_round.id)))
    assert states == [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                      ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN]
    before = grant_counts(session)
    reviewers = session.scalar(select(func.count(GrantReviewer.id)))
    from market.grants.demo import seed

    seed(session)
    session.commit()
    assert grant_counts(session) == before
    assert session.scalar(select(func.count(GrantReviewer.id))) == reviewers


def test_the_demo_round_under_review_shows_each_step(app, session, demo):
    grant_round = session.scalar(select(GrantRound).where(
        GrantRound.title == REVIEW_ROUND_TITLE))
    assert grant_round.closes_at < now() and not grant_round.is_open(now())
    states = sorted(a.status.value for a in review.screenable(session, grant_round))
    assert states == ["eligible"] * 5 + ["ineligible"]
    ranked = review.ranking(session, grant_round)
    assert [r.complete for r in ranked] == [True, True, False, False, False]
    assert [r.flagged for r in ranked if r.complete].count(True) == 1
    conflicts = session.scalars(select(GrantReviewer).where(
        GrantReviewer.conflict.is_(True))).all()
    assert len(conflicts) == 1 and not conflicts[0].active
    assert session.scalar(select(func.count(DrawStep.id)).where(
        DrawStep.reason == "conflict_at_seat")) == 1
    seats = session.scalars(select(GrantReviewer).join(GrantApplication).where(
        GrantApplication.round_id == grant_round.id, GrantReviewer.active.is_(True))).all()
    assert len(seats) == 15
    assert sum(1 for s in seats if s.submitted_at) == 8
    assert sum(1 for s in seats if s.declared_at and not s.submitted_at) == 2


def test_the_demo_has_last_years_round_finished_with_one_grant_stopped(app, session, demo):
    from market import funds
    from market.grants.demo import finished_round_title, seed
    from market.grants.funding_models import Grant, GrantStatus, TrancheStatus

    year = now().astimezone(LOCAL_TZ).year - 1
    grant_round = session.scalar(select(GrantRound).where(
        GrantRound.title == finished_round_title(year)))
    assert grant_round.item.catalog.fiscal_year == year
    assert grant_round.item.catalog.department.code == "MZJ"
    assert grant_round.closes_at.astimezone(LOCAL_TZ).year == year
    grants = session.scalars(select(Grant).where(Grant.round_id == grant_round.id)
                             .order_by(Grant.id)).all()
    assert [g.status for g in grants] == [GrantStatus.COMPLETED, GrantStatus.COMPLETED,
                                          GrantStatus.STOPPED, GrantStatus.COMPLETED]
    assert sum(g.amount for g in grants) <= grant_round.pool
    stopped = grants[2]
    assert stopped.released == stopped.amount / 2
    assert [t.status for t in stopped.tranches] == [TrancheStatus.PAID, TrancheStatus.CANCELLED,
                                                    TrancheStatus.CANCELLED]
    assert [e.passed for e in stopped.evaluations] == [False]
    for grant in grants:
        assert funds.grant_committed(session, grant) == {}
        assert grant.signed_on.year == year and grant.approved_at.astimezone(LOCAL_TZ).year == year
        assert all(t.paid_at.astimezone(LOCAL_TZ).year == year
                   for t in grant.tranches if t.paid_at)
        assert all(e.recorded_at.astimezone(LOCAL_TZ).year == year for e in grant.evaluations)
    assert all(g.paid == g.amount for g in grants if g is not stopped)
    states = sorted(a.status.value for a in session.scalars(select(GrantApplication).where(
        GrantApplication.round_id == grant_round.id)))
    assert states == ["funded"] * 4 + ["not_funded"]
    ranked = review.ranking(session, grant_round)
    assert all(r.complete for r in ranked) and len(ranked) == 5
    before = (grant_counts(session), session.scalar(select(func.count(Grant.id))))
    seed(session)
    session.commit()
    assert (grant_counts(session), session.scalar(select(func.count(Grant.id)))) == before
