"""备案: community organizations filed with, and reviewed by, their own town."""
from __future__ import annotations

import pytest

from market.access.permissions import Role
from market.orgs.enums import OrgStatus, Track
from market.orgs.status import OrganizationCannotTransact, ensure_can_transact
from tests.factories import APPLICANT_PASSWORD, UserFactory, filing_form, town_id
from tests.probes import registry_counts, trail


def _filed(registry, session, town="YS"):
    client = registry.applicant()
    form = filing_form(session, town=town)
    assert registry.apply(client, form, kind="filing").status_code == 302
    return client, registry.latest_application(form["name"])


def test_the_town_officer_of_the_town_approves_a_filing(app, registry, session):
    client, application = _filed(registry, session)
    assert application.track == Track.FILED and application.organization.credit_code is None
    town = registry.client_for("town")  # the demo town officer of 玉山镇
    home = town.get("/home").get_data(as_text=True)
    assert "本区镇待审备案" in home and "玉山镇测试社区文体队" in home
    assert town.get(f"/registry/applications/{application.id}").status_code == 200
    assert registry.decide(town, application, "approve").status_code == 302
    session.expire_all()
    org = application.organization
    assert org.status == OrgStatus.ACTIVE and org.is_filed and org.registered_on
    assert [t[:3] for t in trail(session, "application", application.id)] == [
        ("submit_filed", None, "submitted"), ("approve", "submitted", "approved")]
    # Filed organizations are flagged publicly and may take community projects only.
    profile = app.test_client().get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "备案" in profile and "备案日期" in profile
    ensure_can_transact(org, community_project=True)
    with pytest.raises(OrganizationCannotTransact):
        ensure_can_transact(org)


def test_a_town_officer_of_another_town_cannot_see_or_decide(app, registry, session):
    _, application = _filed(registry, session)
    UserFactory(username="bacheng", role=Role.TOWN_OFFICER, town_id=town_id(session, "BC"),
                password=APPLICANT_PASSWORD)
    session.commit()
    other = registry.client_for("bacheng", APPLICANT_PASSWORD)
    before = registry_counts(session, app)
    assert other.get(f"/registry/applications/{application.id}").status_code == 404
    assert registry.decide(other, application, "approve").status_code == 404
    assert "玉山镇测试社区文体队" not in other.get("/registry/applications/").get_data(
        as_text=True)
    assert registry_counts(session, app) == before


def test_civil_affairs_does_not_decide_filings(app, registry, session):
    _, application = _filed(registry, session)
    before = registry_counts(session, app)
    assert registry.decide(registry.client_for("civil"), application, "approve"
                           ).status_code == 403
    assert registry_counts(session, app) == before


def test_a_filing_may_be_returned_and_resubmitted(registry, session):
    client, application = _filed(registry, session)
    town = registry.client_for("town")
    assert registry.decide(town, application, "return", "请补充活动场所使用证明").status_code == 302
    response = client.post(f"/my/applications/{application.id}/correct",
                           data=filing_form(session, office_address="朝阳社区党群服务中心二楼"),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert registry.decide(town, application, "approve").status_code == 302
    session.expire_all()
    assert application.organization.office_address == "朝阳社区党群服务中心二楼"


def test_filing_refuses_the_other_category(app, registry, session):
    client = registry.applicant()
    before = registry_counts(session, app)
    response = registry.apply(client, filing_form(session, category="other"), kind="filing")
    assert response.status_code == 400  # not an offered choice
    assert registry_counts(session, app) == before
