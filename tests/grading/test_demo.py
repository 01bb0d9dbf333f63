"""The grading demo shows each new thing: a clearance entry of each kind, an organization
excluded from grade evaluation for each reason, and sanctions (one a serious violation)."""
from __future__ import annotations

from sqlalchemy import select

from market.clock import today_local
from market.grading.demo import CASES
from market.grading.services import clearance, standing
from market.grading.services.clearance import ClearanceReason
from market.orgs.models import Organization, Sanction


def _org(session, name):
    return session.scalar(select(Organization).where(Organization.name == name))


def test_the_demo_shows_each_kind_and_each_exclusion(app, demo, session):
    from market.demo import seed

    seed(session)  # idempotent: a second run adds nothing
    session.commit()
    today = today_local()
    listed = {l.organization.name: l for l in clearance.clearance_list(session, today)}
    assert listed["昆山市外来务工人员服务中心"].reason == ClearanceReason.NEVER_EVALUATED
    expired = listed["昆山市乡村振兴促进会"]
    assert expired.reason == ClearanceReason.LAPSED and not expired.revoked
    revoked = listed["昆山市社区矫正帮扶服务中心"]
    assert revoked.reason == ClearanceReason.LAPSED and revoked.revoked
    assert listed["昆山市老年大学校友会"].reason == ClearanceReason.NO_GRADE
    reasons = {}
    for name, *_rest, (kind, what) in CASES:
        if kind == "exclusion":
            verdict = standing.standing(session, _org(session, name), today).eligibility
            assert not verdict.eligible and len(verdict.exclusions) == 1, name
            reasons[what] = verdict.exclusions[0]
    assert len(set(reasons.values())) == 6
    # The grading demo's three sanctions (the tenders demo adds its own elsewhere).
    excluded = [_org(session, name).id for name, *_rest, (kind, _w) in CASES
                if kind == "exclusion"]
    sanctions = list(session.scalars(select(Sanction).where(
        Sanction.organization_id.in_(excluded))))
    assert len(sanctions) == 3 and any(s.serious for s in sanctions)
    assert len([n for n, *_ in CASES if _org(session, n) is not None]) == len(CASES)
