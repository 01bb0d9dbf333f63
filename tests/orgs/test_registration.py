"""Applying to register: every refusal says why, in the user's language, and stores nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from market.orgs import credit_code as uscc
from market.orgs.enums import ApplicationState, OrgStatus
from market.orgs.models import Organization
from tests.factories import PDF, kunshan_code, registration_form, wrong_check
from tests.probes import registry_counts, trail


def test_an_application_is_stored_pending_and_logged(registry, session):
    client = registry.applicant()
    response = registry.apply(client, registration_form(session))
    assert response.status_code == 302
    application = registry.latest_application("昆山市测试公益服务中心")
    assert application.state == ApplicationState.SUBMITTED
    org = application.organization
    assert org.status == OrgStatus.PENDING and org.credit_code == kunshan_code(1)
    assert org.registered_on is None
    assert trail(session, "application", application.id) == [
        ("submit_registered", None, "submitted", None)]
    page = client.get("/my/organization").get_data(as_text=True)
    assert "待审核" in page and "昆山市测试公益服务中心" in page


REFUSALS = [
    # overrides, status, expected Chinese text
    ({"credit_code": wrong_check(kunshan_code(1))}, 422, "校验码不正确"),
    ({"credit_code": kunshan_code(1)[:17]}, 422, "应为 18 位"),
    ({"credit_code": kunshan_code(1)[:10] + "I" + kunshan_code(1)[11:]}, 422, "只能包含数字"),
    ({"credit_code": kunshan_code(1, type_char="1")}, 422, "与所选组织形式不符"),
    ({"name": ""}, 400, "此项为必填项"),
    ({"contact_phone": "call me"}, 422, "有效的电话号码"),
    ({"no_official_declared": None}, 422, "无现职党政领导干部"),
    ({"category": "industry"}, 422, "GB/T 4754"),
    ({"category": "industry", "industry_code": "Z99"}, 422, "门类字母 A–T"),
    ({"category": "other", "supervising_unit": "昆山市文体广电和旅游局"}, 422, "前置审批文件"),
    ({"category": "other"}, 422, "业务主管单位"),
]


@pytest.mark.parametrize("overrides, status, expected", REFUSALS,
                         ids=[next(iter(r[0])) + f"-{i}" for i, r in enumerate(REFUSALS)])
def test_refused_applications_say_why_and_change_nothing(app, registry, session, overrides,
                                                         status, expected):
    client = registry.applicant()
    before = registry_counts(session, app)
    response = registry.apply(client, registration_form(session, **overrides))
    assert response.status_code == status
    assert expected in response.get_data(as_text=True)
    assert registry_counts(session, app) == before


def test_the_message_follows_the_chosen_language(registry, session):
    client = registry.applicant()
    client.post("/language/en", data={"next": "/home"})
    form = registration_form(session, credit_code=wrong_check(kunshan_code(1)))
    response = registry.apply(client, form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "check character is wrong" in html and "校验码" not in html


def test_an_industry_association_with_its_code_is_accepted(registry, session):
    client = registry.applicant()
    form = registration_form(session, name="昆山市测试行业协会", category="industry",
                             industry_code="c3612", legal_form="social_group",
                             credit_code=kunshan_code(2, type_char="1"))
    assert registry.apply(client, form).status_code == 302
    org = registry.latest_application("昆山市测试行业协会").organization
    assert org.industry_code == "C3612"


def test_one_industry_may_have_many_associations(registry, session):
    for n in (1, 2):
        client = registry.applicant(f"assoc{n}")
        form = registration_form(session, name=f"昆山市测试协会{n}", category="industry",
                                 industry_code="C39", legal_form="social_group",
                                 credit_code=kunshan_code(10 + n, type_char="1"))
        assert registry.apply(client, form).status_code == 302


def test_duplicate_credit_code_is_refused(app, registry, session):
    registry.active_org("first")
    client = registry.applicant("second")
    before = registry_counts(session, app)
    response = registry.apply(client, registration_form(session, name="另一个组织"))
    assert response.status_code == 409
    assert "该统一社会信用代码已被登记" in response.get_data(as_text=True)
    assert registry_counts(session, app) == before


def test_duplicate_credit_code_is_refused_by_the_database_too(registry, session):
    from sqlalchemy.exc import IntegrityError

    org = registry.active_org()
    twin = Organization(name="x", credit_code=org.credit_code, track=org.track,
                        category=org.category, town_id=org.town_id, legal_representative="x",
                        contact_name="x", contact_phone="x", office_address="x")
    session.add(twin)
    with pytest.raises(IntegrityError):
        session.flush()


def test_other_category_with_prior_approval_is_accepted(app, registry, session):
    client = registry.applicant()
    form = registration_form(session, name="昆山市测试研究会", category="other",
                             supervising_unit="昆山市文体广电和旅游局")
    form["prior_approval"] = (io.BytesIO(PDF), "批复.pdf")
    assert registry.apply(client, form).status_code == 302
    application = registry.latest_application("昆山市测试研究会")
    assert application.prior_approval.mimetype == "application/pdf"
    assert registry_counts(session, app)["files"] == 1


def test_a_second_application_while_one_is_open_is_refused(registry, session):
    client = registry.applicant()
    assert registry.apply(client, registration_form(session)).status_code == 302
    response = registry.apply(client, registration_form(session, name="又一个",
                                                         credit_code=kunshan_code(9)))
    assert response.status_code == 302  # sent back to its page, nothing stored
    assert session.scalar(select(Organization).where(Organization.name == "又一个")) is None


def test_credit_code_validation_is_exact(app):
    assert uscc.is_valid(kunshan_code(1)) and not uscc.is_valid(wrong_check(kunshan_code(1)))
