"""Switching the language changes every visible string on the registry and catalog pages.

What counts as interface text, and what as data, is ``tests.probes.untranslated``'s rule:
visible text less every value stored in the database must be wholly Chinese in Chinese —
no run of two English words — and hold no Chinese character in English.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from market.clock import today_local

from tests.factories import UserFactory
from tests.probes import untranslated

PAGES = [
    (None, "/"), (None, "/login"), (None, "/signup"), (None, "/organizations/"),
    (None, "/organizations/{org}"), (None, "/catalogs/"), (None, "/catalogs/{catalog}"),
    ("civil", "/home"), ("civil", "/registry/"), ("civil", "/registry/organizations/{org}"),
    ("civil", "/registry/applications/"), ("civil", "/registry/applications/{application}"),
    ("civil", "/registry/annual-reports/"), ("civil", "/registry/annual-reports/{report}"),
    ("civil", "/registry/organizations/{org}/departure-audits/new"), ("civil", "/audit-log/"),
    ("civil", "/registry/sanctions/"), ("civil", "/registry/organizations/{org}/sanctions/new"),
    ("town", "/home"), ("town", "/registry/applications/"),
    ("org", "/home"), ("org", "/my/organization"), ("org", "/my/annual-reports/new"),
    ("org", "/my/departure-audits/new"),
    ("newcomer", "/my/apply/registration"), ("newcomer", "/my/apply/filing"),
    ("dept", "/catalogs/mine"), ("dept", "/catalogs/new"), ("finance", "/catalogs/review"),
    ("auditor", "/audit/"), ("auditor", "/audit/red-flags/"), ("auditor", "/home"),
    ("civil", "/audit/red-flags/"),
    (None, "/grades/notices"), ("civil", "/evaluations/agencies"), ("civil", "/evaluations/cycles"),
    ("evaluator", "/evaluations/work"), ("org", "/my/standing"),
    (None, "/qualified-organizations"), ("civil", "/clearance/"),
    ("civil", "/performance-evaluations/"), ("dept", "/performance-evaluations/"),
    ("evaluator", "/performance-evaluations/"),
    (None, "/complaints/"), (None, "/complaints/new"), (None, "/complaints/track"),
    ("civil", "/complaints/work"), ("civil", "/complaints/work/{complaint_overdue}"),
    ("civil", "/complaints/work/{complaint_new}"), ("auditor", "/complaints/work"),
    ("auditor", "/complaints/work/{complaint_upheld}"), ("dept", "/complaints/work"),
    ("dept", "/complaints/work/{complaint_overdue}"),
    ("civil", "/home"), ("auditor", "/home"), ("dept", "/home"),
    # 信用记录: a sanctioned organization's public profile and full record; the demo
    # organization's own record with an entry written by a higher room.
    (None, "/organizations/{sanctioned}"), ("dept", "/credit/organizations/{sanctioned}"),
    ("auditor", "/credit/organizations/{sanctioned}"), ("org", "/my/credit"),
    ("civil", "/credit/organizations/{own}"),
    # venture philanthropy: the demo round under review (screening, draw, scores)
    ("civil", "/grants/rounds/{grant_round}/screening"),
    ("civil", "/grants/rounds/{grant_round}/review"),
    ("civil", "/grants/applications/{grant_ineligible}"),
    ("civil", "/grants/applications/{grant_scored}/scores"),
    ("expert", "/home"), ("expert", "/grants/reviews"),
    ("expert", "/grants/reviews/{grant_scored}"), ("expert", "/grants/reviews/{grant_scoring}"),
    ("expert", "/grants/reviews/{grant_to_declare}"),
    ("expert", "/grants/applications/{grant_scored}/scores"),
    ("grant-org9", "/grants/applications/{grant_ineligible}"),
    # venture philanthropy: a decided round, a grant in progress, a round waiting for its
    # decision (tests/grants/conftest.py funded_grant, closed_round)
    ("civil", "/grants/rounds/{decided_round}/decision"),
    ("civil", "/grants/rounds/{undecided_round}/decision"),
    ("civil", "/grants/projects/{grant}"), ("org", "/grants/projects/{grant}"),
    ("org", "/grants/my-grants"), ("finance", "/grants/projects/{grant}"),
    ("finance", "/grants/payable"), ("evaluator", "/grants/projects/{grant}"),
    ("auditor", "/grants/projects/{grant}"),
    # venture philanthropy: the demo's finished round of last year (one grant stopped at
    # mid-term, one application not funded)
    (None, "/grants/rounds/{finished_round}"), ("civil", "/grants/rounds/{finished_round}/review"),
    ("civil", "/grants/rounds/{finished_round}/decision"),
    ("grant-org4", "/grants/projects/{finished_stopped}"), ("grant-org4", "/grants/my-grants"),
    ("finance", "/grants/projects/{finished_completed}"),
    ("grant-org6", "/grants/applications/{finished_rejected}"),
    (None, "/portal/"), (None, "/announcements/"), (None, "/announcements/?type=correction"),
    (None, "/announcements/intentions/{item}"), (None, "/portal/payments"),
    (None, "/portal/cleared"), (None, "/search?q=社区"), (None, "/search?q=zzzz-nothing"),
    ("dept", "/catalogs/items/{item}/intention"), ("dept", "/catalogs/{catalog}"),
    (None, "/dashboard/"), (None, "/dashboard/?year=2015&fy=2026"), ("civil", "/dashboard/"),
    ("civil", "/dashboard/population"),
    (None, "/ledger/heads"), ("auditor", "/audit/verify"), ("auditor", "/experts/draws"),
    (None, "/tenders/"), (None, "/contracts/"), (None, "/grants/"), (None, "/incubation/"),
    # outcomes people can see: my bids, notices, each role's to-do counts
    ("org", "/tenders/my-bids"), ("org", "/tenders/notices"), ("finance", "/home"),
    ("evaluator", "/home"),
]


@pytest.fixture
def ids(session, demo):
    from market.accounts.models import User
    from market.catalogs.models import Catalog, CatalogItem, CatalogStatus
    from market.complaints.models import Complaint, ComplaintStatus
    from market.orgs.enums import OrgStatus
    from market.orgs.models import AnnualReport, Application, Organization

    from market.credit import services as credit
    from market.orgs.models import Sanction
    from tests.factories import user
    from tests.grants.conftest import closed_round, eligible, funded_grant

    UserFactory(username="newcomer", display_name="新用户")  # an organization user, no org yet
    own = user(session, "org").organization_id
    credit.record(session, user(session, "civil"), organization_id=own,
                  kind="upheld_complaint", occurred_on=today_local(), source_room="complaints",
                  source_kind="complaint", source_id=10_000, summary="投诉查实：未按时上门服务",
                  public=True, evidence_ref="TS-2026-0001")
    from market.auditor.services import publish_head

    publish_head(session)  # the portal and /ledger/heads show a published head
    session.commit()
    grant_round, grant = funded_grant(session, user(session, "org"))
    undecided = closed_round(session, "待立项的公益创投活动")
    eligible(session, undecided, "50000.00")
    org = session.scalar(select(Organization.id).where(Organization.status == OrgStatus.ACTIVE)
                         .order_by(Organization.id))
    return {
        **_grant_ids(session),
        "org": org,
        "application": session.scalar(select(Application.id).order_by(Application.id.desc())),
        "report": session.scalar(select(AnnualReport.id).order_by(AnnualReport.id)),
        "catalog": session.scalar(select(Catalog.id).where(Catalog.status == CatalogStatus.APPROVED)),
        # the demo complaints: answered (upheld), routed and overdue, just received
        **{f"complaint_{name}": session.scalar(select(Complaint.id).where(
            Complaint.status == status)) for name, status in (
            ("upheld", ComplaintStatus.ANSWERED), ("overdue", ComplaintStatus.ROUTED),
            ("new", ComplaintStatus.FILED))},
        "sanctioned": session.scalar(select(Sanction.organization_id).order_by(Sanction.id)),
        "own": own,
        "item": session.scalar(select(CatalogItem.id).join(Catalog).join(User, User.department_id == Catalog.department_id)
                               .where(User.username == "dept", Catalog.status == CatalogStatus.APPROVED)
                               .order_by(CatalogItem.id)),
        "decided_round": grant_round.id, "grant": grant.id, "undecided_round": undecided.id,
    }


def _grant_ids(session) -> dict:
    """The demo round under review: an ineligible application, and the demo expert's
    seats submitted (all scores in), scoring, and awaiting the declaration."""
    from market.accounts.models import User
    from market.grants.demo import REVIEW_ROUND_TITLE
    from market.grants.models import ApplicationStatus, GrantApplication, GrantReviewer, GrantRound

    grant_round = session.scalar(select(GrantRound).where(GrantRound.title == REVIEW_ROUND_TITLE))
    expert = session.scalar(select(User).where(User.username == "expert"))
    seats = session.scalars(select(GrantReviewer).where(GrantReviewer.user_id == expert.id,
                                                        GrantReviewer.active.is_(True))).all()
    return {
        "grant_round": grant_round.id,
        "grant_ineligible": session.scalar(select(GrantApplication.id).where(
            GrantApplication.round_id == grant_round.id,
            GrantApplication.status == ApplicationStatus.INELIGIBLE)),
        "grant_scored": next(s.application_id for s in seats if s.submitted_at),
        "grant_scoring": next(s.application_id for s in seats
                              if s.declared_at and not s.submitted_at),
        "grant_to_declare": next(s.application_id for s in seats if not s.declared_at),
        **_finished_ids(session),
    }


def _finished_ids(session) -> dict:
    """The demo's finished round of last year: a stopped grant, a completed one, and the
    application not funded."""
    from market.clock import LOCAL_TZ, now
    from market.grants.demo import finished_round_title
    from market.grants.funding_models import Grant, GrantStatus
    from market.grants.models import ApplicationStatus, GrantApplication, GrantRound

    finished = session.scalar(select(GrantRound.id).where(
        GrantRound.title == finished_round_title(now().astimezone(LOCAL_TZ).year - 1)))
    grant_of = {status: session.scalar(select(Grant.id).where(
        Grant.round_id == finished, Grant.status == status).order_by(Grant.id).limit(1))
        for status in (GrantStatus.STOPPED, GrantStatus.COMPLETED)}
    return {"finished_round": finished, "finished_stopped": grant_of[GrantStatus.STOPPED],
            "finished_completed": grant_of[GrantStatus.COMPLETED],
            "finished_rejected": session.scalar(select(GrantApplication.id).where(
                GrantApplication.round_id == finished,
                GrantApplication.status == ApplicationStatus.NOT_FUNDED))}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_untranslated_string_on_the_pages(app, session, ids, language):
    problems = untranslated(app, session, [(who, path.format(**ids)) for who, path in PAGES],
                            language)
    assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)
