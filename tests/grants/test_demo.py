"""The demo shows an open round of this year with applications in draft, submitted and
withdrawn, and seeding twice changes nothing."""
from __future__ import annotations

from sqlalchemy import select

from market.clock import LOCAL_TZ, now
from market.grants.models import ApplicationStatus, GrantApplication, GrantRound
from tests.grants.conftest import grant_counts


def test_the_demo_round_is_open_with_applications_in_each_state(app, session, demo):
    grant_round = session.scalar(select(GrantRound))
    assert grant_round.is_open(now())
    assert grant_round.opens_at.astimezone(LOCAL_TZ).year == now().astimezone(LOCAL_TZ).year
    states = sorted(a.status.value for a in session.scalars(select(GrantApplication)))
    assert states == [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                      ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN]
    before = grant_counts(session)
    from market.grants.demo import seed

    seed(session)
    session.commit()
    assert grant_counts(session) == before
