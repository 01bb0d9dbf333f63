"""Switching the language changes every visible string on the registry and catalog pages.

What counts as interface text, and what as data, is ``tests.probes.untranslated``'s rule:
visible text less every value stored in the database must be wholly Chinese in Chinese —
no run of two English words — and hold no Chinese character in English.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

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
    ("auditor", "/audit/"),
    (None, "/grades/notices"), ("civil", "/evaluations/agencies"), ("civil", "/evaluations/cycles"),
    ("evaluator", "/evaluations/work"), ("org", "/my/standing"),
    (None, "/qualified-organizations"), ("civil", "/clearance/"),
    ("civil", "/performance-evaluations/"), ("dept", "/performance-evaluations/"),
    ("evaluator", "/performance-evaluations/"),
    (None, "/ledger/heads"), ("auditor", "/audit/verify"), ("auditor", "/experts/draws"),
    (None, "/tenders/"), (None, "/contracts/"), (None, "/grants/"), (None, "/incubation/"),
]


@pytest.fixture
def ids(session, demo):
    from market.catalogs.models import Catalog, CatalogStatus
    from market.orgs.enums import OrgStatus
    from market.orgs.models import AnnualReport, Application, Organization

    UserFactory(username="newcomer", display_name="新用户")  # an organization user, no org yet
    from market.auditor.services import publish_head

    publish_head(session)  # the portal and /ledger/heads show a published head
    session.commit()
    org = session.scalar(select(Organization.id).where(Organization.status == OrgStatus.ACTIVE)
                         .order_by(Organization.id))
    return {
        "org": org,
        "application": session.scalar(select(Application.id).order_by(Application.id.desc())),
        "report": session.scalar(select(AnnualReport.id).order_by(AnnualReport.id)),
        "catalog": session.scalar(select(Catalog.id).where(Catalog.status == CatalogStatus.APPROVED)),
    }


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_untranslated_string_on_the_pages(app, session, ids, language):
    problems = untranslated(app, session, [(who, path.format(**ids)) for who, path in PAGES],
                            language)
    assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)
