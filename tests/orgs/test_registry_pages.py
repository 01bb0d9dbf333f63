"""Internal registry pages, home panels and the demo data behind them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from market.accounts.models import User
from market.orgs import credit_code
from market.orgs.enums import ApplicationState, OrgStatus, Track
from market.orgs.models import AnnualReport, Application, Organization


def test_demo_registry(session, demo):
    orgs = list(session.scalars(select(Organization)))
    assert len(orgs) >= 30
    assert all(credit_code.is_valid(o.credit_code) for o in orgs if o.credit_code)
    statuses = {o.status for o in orgs}
    assert {OrgStatus.ACTIVE, OrgStatus.PENDING, OrgStatus.SUSPENDED,
            OrgStatus.CLEARED} <= statuses
    assert {o.town_id for o in orgs if o.status == OrgStatus.ACTIVE}.__len__() >= 8
    assert {o.registered_on.year for o in orgs if o.registered_on} >= {2015, 2020, 2025}
    user = session.scalar(select(User).where(User.username == "org"))
    assert user.organization.name == "昆山市阳光社工服务中心"
    assert user.organization.status == OrgStatus.ACTIVE
    open_apps = list(session.scalars(select(Application).where(
        Application.state.in_([ApplicationState.SUBMITTED, ApplicationState.RETURNED]))))
    assert {a.track for a in open_apps} == {Track.REGISTERED, Track.FILED}
    assert session.scalar(select(AnnualReport).where(AnnualReport.result.is_(None)))


def test_demo_is_idempotent(session, demo):
    from market.demo import seed

    before = [session.query(m).count() for m in (Organization, Application, AnnualReport)]
    seed(session)
    session.commit()
    assert [session.query(m).count() for m in (Organization, Application, AnnualReport)] \
        == before


@pytest.mark.parametrize("who, texts", [
    ("org", ["我的组织", "昆山市阳光社工服务中心", "待报送年度报告"]),
    ("civil", ["待审登记申请", "昆山市环保志愿者联合会", "待审年度报告"]),
    ("town", ["本区镇待审备案", "玉山镇城北社区邻里守望队"]),
])
def test_home_panels(registry, who, texts):
    html = registry.client_for(who).get("/home").get_data(as_text=True)
    for text in texts:
        assert text in html


def test_a_town_officer_sees_only_its_own_towns_filings(registry):
    html = registry.client_for("town").get("/home").get_data(as_text=True)
    assert "周市镇永共村乡贤议事会" not in html


def test_registry_list_and_filters(registry, session):
    civil = registry.client_for("civil")
    html = civil.get("/registry/?status=suspended").get_data(as_text=True)
    assert "昆山市创新创业促进会" in html and "昆山市阳光社工服务中心" not in html
    html = civil.get("/registry/?track=filed").get_data(as_text=True)
    assert "玉山镇朝阳社区文体队" in html and "昆山市慈善基金会" not in html
    code = session.scalar(select(Organization.credit_code).where(
        Organization.name == "昆山市慈善基金会"))
    assert "昆山市慈善基金会" in civil.get(f"/registry/?q={code}").get_data(as_text=True)
    assert civil.get("/registry/?page=2").status_code == 200


def test_registry_detail_shows_the_audit_trail(registry, session):
    org = session.scalar(select(Organization).where(Organization.name == "昆山市民俗文化交流中心"))
    html = registry.client_for("auditor").get(f"/registry/organizations/{org.id}").get_data(
        as_text=True)
    assert "审计记录" in html and "依规清退" in html and "import" in html


def test_readers_who_may_not_change_status(registry, session):
    org = session.scalar(select(Organization).where(Organization.name == "昆山市慈善基金会"))
    finance = registry.client_for("finance")
    html = finance.get(f"/registry/organizations/{org.id}").get_data(as_text=True)
    assert f"/registry/organizations/{org.id}/suspend" not in html
    assert f"/registry/organizations/{org.id}/suspend" in registry.client_for("civil").get(
        f"/registry/organizations/{org.id}").get_data(as_text=True)
    assert finance.post(f"/registry/organizations/{org.id}/suspend",
                        data={"reason": "x"}).status_code == 403
    assert registry.client_for("org").get("/registry/").status_code == 403


def test_applications_and_reports_lists(registry):
    civil = registry.client_for("civil")
    html = civil.get("/registry/applications/?state=returned").get_data(as_text=True)
    assert "昆山市传统戏曲研究会" in html and "昆山市环保志愿者联合会" not in html
    assert "待年检" in civil.get("/registry/annual-reports/").get_data(as_text=True)
    assert civil.get("/registry/annual-reports/?pending=0&year=2024").status_code == 200


def test_english_registry(registry):
    civil = registry.client_for("civil")
    civil.post("/language/en", data={"next": "/"})
    html = civil.get("/registry/").get_data(as_text=True)
    assert "Organization registry" in html and "Suspended" in html
