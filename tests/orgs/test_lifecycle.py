"""The whole life of a registered organization through HTTP, each step in the audit log."""
from __future__ import annotations

import io

import pytest

from market.errors import DomainError
from market.orgs.enums import InspectionResult, OrgStatus
from market.orgs.models import AnnualReport, Organization
from market.orgs.status import OrganizationCannotTransact, ensure_can_transact
from tests.factories import PDF, registration_form
from tests.probes import registry_counts, trail

REPORT = {"year": "2025", "income": "1250000.50", "expenditure": "1180000.00",
          "net_assets": "320000.25", "staff_count": "12", "party_org_established": "y",
          "party_building": "党支部每月开展主题党日活动。"}


def test_sign_up_apply_approve_report_inspect_suspend_reactivate_clear(
        app, client, session, registry, travel):
    # Sign up and apply (spring 2025).
    travel(2025, 3, 2, 1)
    assert client.post("/signup", data={
        "username": "sunshine", "display_name": "张三", "password": "long-enough-1",
        "confirm": "long-enough-1"}).status_code == 302
    assert registry.apply(client, registration_form(session)).status_code == 302
    application = registry.latest_application("昆山市测试公益服务中心")
    org_id = application.organization_id

    # Civil affairs approves: active, dated, linked to the applicant.
    civil = registry.client_for("civil")
    assert registry.decide(civil, application, "approve").status_code == 302
    org = session.get(Organization, org_id)
    assert org.status == OrgStatus.ACTIVE and str(org.registered_on) == "2025-03-02"
    ensure_can_transact(org)

    # A year later the 2025 report is due; the organization submits it with its audit.
    travel(2026, 4, 15, 2)
    assert "待报送年度报告：2025" in client.get("/home").get_data(as_text=True)
    form = dict(REPORT, audit_report=(io.BytesIO(PDF), "2025审计报告.pdf"))
    response = client.post("/my/annual-reports/new", data=form,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    session.expire_all()
    report = session.query(AnnualReport).filter_by(organization_id=org_id).one()
    assert str(report.income) == "1250000.50" and report.staff_count == 12
    # The same year again is refused.
    again = client.post("/my/annual-reports/new",
                        data=dict(REPORT, audit_report=(io.BytesIO(PDF), "a.pdf")),
                        content_type="multipart/form-data")
    assert again.status_code in (400, 409)

    # Civil affairs records the inspection result; the public sees it.
    response = civil.post(f"/registry/annual-reports/{report.id}/result",
                          data={"result": "basic_pass", "comment": "票据管理需加强。"})
    assert response.status_code == 302
    session.expire_all()
    assert report.result == InspectionResult.BASIC_PASS
    profile = app.test_client().get(f"/organizations/{org_id}").get_data(as_text=True)
    assert "基本合格" in profile and "2025" in profile

    # Suspend (a reason is required), reactivate, clear out.
    before = registry_counts(session)
    refused = civil.post(f"/registry/organizations/{org_id}/suspend", data={"reason": ""})
    assert refused.status_code == 422 and "请填写理由" in refused.get_data(as_text=True)
    assert registry_counts(session) == before
    assert civil.post(f"/registry/organizations/{org_id}/suspend",
                      data={"reason": "年检基本合格，限期整改"}).status_code == 302
    session.expire_all()
    with pytest.raises(OrganizationCannotTransact):
        ensure_can_transact(session.get(Organization, org_id))
    assert app.test_client().get(f"/organizations/{org_id}").status_code == 404
    assert civil.post(f"/registry/organizations/{org_id}/reactivate",
                      data={"reason": "整改完成"}).status_code == 302
    assert civil.post(f"/registry/organizations/{org_id}/clear",
                      data={"reason": "三年未参加等级评估"}).status_code == 302
    session.expire_all()
    org = session.get(Organization, org_id)
    assert org.status == OrgStatus.CLEARED
    with pytest.raises(OrganizationCannotTransact) as refused_trade:
        ensure_can_transact(org)
    assert refused_trade.value.status == 403
    assert app.test_client().get(f"/organizations/{org_id}").status_code == 404
    # A cleared organization cannot be reactivated.
    assert civil.post(f"/registry/organizations/{org_id}/reactivate",
                      data={"reason": "x"}).status_code == 409

    # Every step is in the audit log.
    assert [t[:3] for t in trail(session, "organization", org_id)] == [
        ("apply", None, "pending"), ("approve", "pending", "active"),
        ("suspend", "active", "suspended"), ("reactivate", "suspended", "active"),
        ("clear", "active", "cleared")]
    assert trail(session, "organization", org_id)[-1][3] == "三年未参加等级评估"
    assert [t[:3] for t in trail(session, "annual_report", report.id)] == [
        ("submit", None, "submitted"), ("inspect", "submitted", "basic_pass")]
    # ... and on the registry page's audit trail.
    detail = civil.get(f"/registry/organizations/{org_id}").get_data(as_text=True)
    assert "三年未参加等级评估" in detail and "年报检查" in detail  # the trail, in words


def test_a_result_other_than_qualified_needs_a_comment(app, registry, session, travel):
    travel(2024, 5, 1)
    org = registry.active_org()
    travel(2025, 5, 1)
    client = registry.client_for("applicant-x", "long-enough-1")
    form = dict(REPORT, year="2024", audit_report=(io.BytesIO(PDF), "a.pdf"))
    assert client.post("/my/annual-reports/new", data=form,
                       content_type="multipart/form-data").status_code == 302
    report = session.query(AnnualReport).filter_by(organization_id=org.id).one()
    civil = registry.client_for("civil")
    before = registry_counts(session, app)
    response = civil.post(f"/registry/annual-reports/{report.id}/result",
                          data={"result": "fail", "comment": ""})
    assert response.status_code == 422 and "请在意见中说明" in response.get_data(as_text=True)
    assert registry_counts(session, app) == before
    # Only civil affairs records results.
    assert client.post(f"/registry/annual-reports/{report.id}/result",
                       data={"result": "pass"}).status_code == 403


def test_annual_report_audit_must_be_a_pdf(app, registry, session, travel):
    travel(2024, 5, 1)
    registry.active_org()
    travel(2025, 5, 1)
    client = registry.client_for("applicant-x", "long-enough-1")
    before = registry_counts(session, app)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post("/my/annual-reports/new",
                           data=dict(REPORT, year="2024", audit_report=(io.BytesIO(png), "a.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 415
    assert "不接受此类文件" in response.get_data(as_text=True)
    assert registry_counts(session, app) == before


def test_departure_audit_hands_over_the_legal_representative(app, registry, session, travel):
    travel(2025, 6, 1)
    org = registry.active_org()
    client = registry.client_for("applicant-x", "long-enough-1")
    response = client.post("/my/departure-audits/new", data={
        "outgoing": "王小明", "incoming": "陈红", "departure_date": "2025-05-31",
        "audit_report": (io.BytesIO(PDF), "离任审计.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Organization, org.id).legal_representative == "陈红"
    assert ("change_legal_representative", None, None, "王小明 → 陈红") in \
        trail(session, "organization", org.id)
    # Civil affairs may record one too; another organization may not.
    civil = registry.client_for("civil")
    assert civil.post(f"/registry/organizations/{org.id}/departure-audits/new", data={
        "outgoing": "陈红", "incoming": "周平", "departure_date": "2025-05-31",
        "audit_report": (io.BytesIO(PDF), "b.pdf")},
        content_type="multipart/form-data").status_code == 302
    other = registry.client_for("org")
    assert other.post(f"/registry/organizations/{org.id}/departure-audits/new",
                      data={}).status_code == 403


def test_ensure_can_transact_by_status(registry, session):
    org = registry.active_org()
    ensure_can_transact(org)
    for status in (OrgStatus.PENDING, OrgStatus.SUSPENDED, OrgStatus.CLEARED,
                   OrgStatus.REJECTED):
        org.status = status
        with pytest.raises(DomainError) as info:
            ensure_can_transact(org)
        assert info.value.code == "organization_cannot_transact"
    with pytest.raises(OrganizationCannotTransact):
        ensure_can_transact(None)
