"""Reviewing applications: who may decide, reasons, return-and-resubmit, rejection."""
from __future__ import annotations

from market.accounts.models import User
from market.orgs.enums import ApplicationState, OrgStatus
from tests.factories import kunshan_code, registration_form, wrong_check
from tests.probes import registry_counts, trail


def _pending(registry, session, username="applicant-x", **overrides):
    client = registry.applicant(username)
    form = registration_form(session, **overrides)
    assert registry.apply(client, form).status_code == 302
    return client, registry.latest_application(form["name"])


def test_an_organization_user_cannot_approve(app, registry, session):
    client, application = _pending(registry, session)
    before = registry_counts(session, app)
    assert registry.decide(client, application, "approve").status_code == 403
    assert registry.decide(registry.client_for("org"), application, "approve").status_code == 403
    assert registry_counts(session, app) == before


def test_a_town_officer_cannot_decide_a_registration(app, registry, session):
    _, application = _pending(registry, session)
    before = registry_counts(session, app)
    assert registry.decide(registry.client_for("town"), application, "approve").status_code == 403
    assert registry_counts(session, app) == before


def test_reject_and_return_need_reasons(app, registry, session):
    _, application = _pending(registry, session)
    civil = registry.client_for("civil")
    before = registry_counts(session, app)
    for decision in ("reject", "return"):
        response = registry.decide(civil, application, decision, "  ")
        assert response.status_code == 422
        assert "请填写理由" in response.get_data(as_text=True)
    assert registry_counts(session, app) == before


def test_return_correct_resubmit_approve(app, registry, session):
    client, application = _pending(registry, session, contact_phone="0512-55555555")
    civil = registry.client_for("civil")
    reason = "办公场所证明材料不完整，请补充租赁合同。"
    assert registry.decide(civil, application, "return", reason).status_code == 302
    session.expire_all()
    assert application.state == ApplicationState.RETURNED
    assert application.organization.status == OrgStatus.PENDING

    # The applicant sees the reason, corrects the form (prefilled) and resubmits.
    page = client.get("/my/organization").get_data(as_text=True)
    assert reason in page and "已退回补正" in page
    form_page = client.get(f"/my/applications/{application.id}/correct").get_data(as_text=True)
    assert "0512-55555555" in form_page and reason in form_page
    # A decision while it waits for correction is refused.
    assert registry.decide(civil, application, "approve").status_code == 409
    corrected = registration_form(session, office_address="玉山镇前进路1号创业大厦5楼")
    response = client.post(f"/my/applications/{application.id}/correct", data=corrected,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    session.expire_all()
    assert application.state == ApplicationState.SUBMITTED and application.submissions == 2
    assert application.organization.office_address.endswith("创业大厦5楼")

    assert registry.decide(civil, application, "approve").status_code == 302
    session.expire_all()
    assert application.organization.status == OrgStatus.ACTIVE
    assert [t[:3] for t in trail(session, "application", application.id)] == [
        ("submit_registered", None, "submitted"), ("return", "submitted", "returned"),
        ("resubmit", "returned", "submitted"), ("approve", "submitted", "approved")]
    assert trail(session, "application", application.id)[1][3] == reason


def test_only_the_applicant_may_correct(registry, session):
    _, application = _pending(registry, session)
    registry.decide(registry.client_for("civil"), application, "return", "请补正")
    other = registry.applicant("someone-else")
    assert other.get(f"/my/applications/{application.id}/correct").status_code == 404


def test_a_corrected_application_is_checked_again(app, registry, session):
    client, application = _pending(registry, session)
    registry.decide(registry.client_for("civil"), application, "return", "请补正")
    before = registry_counts(session, app)
    form = registration_form(session, credit_code=wrong_check(kunshan_code(1)))
    response = client.post(f"/my/applications/{application.id}/correct", data=form,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert registry_counts(session, app) == before


def test_rejection_is_shown_with_reasons_and_the_applicant_may_apply_again(registry, session):
    client, application = _pending(registry, session)
    reason = "拟任负责人为现职公务员，不符合政社分开要求。"
    assert registry.decide(registry.client_for("civil"), application, "reject",
                           reason).status_code == 302
    session.expire_all()
    assert application.organization.status == OrgStatus.REJECTED
    page = client.get("/my/organization").get_data(as_text=True)
    assert reason in page and "未获准许" in page
    assert trail(session, "organization", application.organization_id)[-1] == (
        "reject", "pending", "rejected", reason)
    # Applying again with the same code reopens the same registry record.
    assert registry.apply(client, registration_form(session)).status_code == 302
    again = registry.latest_application("昆山市测试公益服务中心")
    assert again.id != application.id
    assert again.organization_id == application.organization_id
    assert again.organization.status == OrgStatus.PENDING


def test_approval_links_the_applicant_and_sets_the_date(registry, session, travel):
    travel(2025, 3, 1, 4)
    org = registry.active_org()
    user = session.query(User).filter_by(username="applicant-x").one()
    assert user.organization_id == org.id
    assert str(org.registered_on) == "2025-03-01"


def test_an_approval_must_be_confirmed_explicitly(app, registry, session):
    """Approving registers the organization (legal effect): without the tick in "I
    confirm" it is refused beside the box, in both languages, and nothing changes."""
    _, application = _pending(registry, session)
    civil = registry.client_for("civil")
    before = registry_counts(session, app)
    url = f"/registry/applications/{application.id}/registration-decision"
    page = civil.get(f"/registry/applications/{application.id}").get_data(as_text=True)
    assert 'id="confirm-approve"' in page and "checked" not in page.split(
        'id="confirm-approve"')[1].split(">")[0]
    refused = civil.post(url, data={"decision": "approve", "reason": ""})
    assert refused.status_code == 400
    assert "请勾选确认框以确认批准。" in refused.get_data(as_text=True)
    civil.post("/language/en", data={"next": "/"})
    refused = civil.post(url, data={"decision": "approve", "reason": ""})
    assert "Tick the box to confirm the approval." in refused.get_data(as_text=True)
    assert registry_counts(session, app) == before
    session.expire_all()
    assert application.organization.status == OrgStatus.PENDING
    assert registry.decide(civil, application, "approve").status_code == 302
    session.expire_all()
    assert application.organization.status == OrgStatus.ACTIVE
