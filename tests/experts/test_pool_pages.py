"""The expert pool kept by civil affairs: list (search, pages), add, edit, unavailable
periods and declared conflicts — each audit-logged; refusals change nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.experts.models import PoolExpert, StandingConflict, Unavailability
from tests.factories import ExpertFactory, new_experts, org_member
from tests.probes import untranslated


def _login(client, username, language="zh"):
    client.post("/logout")
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})


def _counts(session):
    return [session.scalar(select(func.count(m.id))) for m in
            (PoolExpert, Unavailability, StandingConflict, AuditEntry)]


def test_the_list_searches_and_pages(app, client, session, demo):
    app.config["PAGE_SIZE"] = 5
    _login(client, "civil")
    page = client.get("/experts/").get_data(as_text=True)
    assert "评审专家刘老师" in page and "共 12 名专家" in page and "第 1 页，共 3 页" in page
    assert page.count("<tr><td><a href=\"/experts/") == 5
    page = client.get("/experts/?page=3").get_data(as_text=True)
    assert page.count('<tr><td><a href="/experts/') == 2 and "第 3 页，共 3 页" in page
    page = client.get("/experts/?q=律师事务所").get_data(as_text=True)
    assert "评审专家刘老师" in page and "评审专家王老师" not in page and "共 1 名专家" in page
    page = client.get("/experts/?specialty=legal").get_data(as_text=True)
    assert "评审专家刘老师" in page and "共 1 名专家" in page
    page = client.get("/experts/?specialty=finance").get_data(as_text=True)
    assert "评审专家张老师" in page and "评审专家孙老师" in page and "共 2 名专家" in page
    page = client.get("/experts/?specialty=nonsense%25").get_data(as_text=True)
    assert "共 12 名专家" in page  # an unknown code filters nothing
    page = client.get("/experts/?q=没有这个人").get_data(as_text=True)
    assert "未找到专家。" in page
    for who in ("dept", "expert", "org", "auditor"):
        _login(client, who)
        assert client.get("/experts/").status_code == 403, who


def test_civil_affairs_adds_and_edits_an_expert(client, session, demo):
    account = ExpertFactory(display_name="评审专家新入库")
    org, _ = org_member(session)
    session.commit()
    _login(client, "civil")
    response = client.post("/experts/new", data={
        "user_id": str(account.id), "specialties": ["health", "elderly_care"],
        "title": "主任医师", "employer_name": "", "employer_org_id": str(org.id),
        "employer_department_id": "0", "active": "y"})
    assert response.status_code == 302
    expert = session.scalar(select(PoolExpert).where(PoolExpert.user_id == account.id))
    assert expert.specialties == ["elderly_care", "health"] and expert.employer == org.name
    page = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "评审专家新入库" in page and "卫生健康" in page and org.name in page
    response = client.post(f"/experts/{expert.id}/edit", data={
        "user_id": str(account.id), "specialties": ["health"], "title": "主任医师",
        "employer_name": "昆山市第二人民医院", "employer_org_id": "0",
        "employer_department_id": "0"})
    assert response.status_code == 302
    session.refresh(expert)
    assert expert.specialties == ["health"] and expert.active is False
    assert expert.employer == "昆山市第二人民医院"
    actions = list(session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "pool_expert", AuditEntry.object_id == expert.id)))
    assert actions == ["add", "edit"]


@pytest.mark.parametrize("language, messages", [
    ("zh", ["请至少选择一个专业类别。", "请填写专家的工作单位。", "结束日期早于开始日期。"]),
    ("en", ["Choose at least one specialty.", "Name the expert's employer.",
            "The period ends before it starts."]),
])
def test_refusals_are_explained_and_change_nothing(client, session, demo, language, messages):
    account = new_experts(session, 1)[0]
    expert = session.scalar(select(PoolExpert).where(PoolExpert.user_id == account.id))
    other = ExpertFactory()
    session.commit()
    _login(client, "civil", language)
    before = _counts(session)
    no_specialty = client.post("/experts/new", data={
        "user_id": str(other.id), "employer_name": "某大学", "employer_org_id": "0",
        "employer_department_id": "0"})
    no_employer = client.post(f"/experts/{expert.id}/edit", data={
        "user_id": str(account.id), "specialties": ["health"], "employer_name": " ",
        "employer_org_id": "0", "employer_department_id": "0", "active": "y"})
    backwards = client.post(f"/experts/{expert.id}/unavailable", data={
        "starts_on": "2028-05-10", "ends_on": "2028-05-09", "reason": "出差"})
    for response, message in zip((no_specialty, no_employer, backwards), messages):
        assert response.status_code in (400, 409, 422)
        assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _counts(session) == before
    session.refresh(expert)
    assert expert.specialties == ["social_work"] and expert.employer == "苏州大学"


def test_unavailable_periods_and_declared_conflicts_are_recorded(client, session, demo):
    account = new_experts(session, 1)[0]
    expert = session.scalar(select(PoolExpert).where(PoolExpert.user_id == account.id))
    org, _ = org_member(session)
    _login(client, "civil")
    assert client.post(f"/experts/{expert.id}/unavailable", data={
        "starts_on": "2028-05-10", "ends_on": "2028-05-10", "reason": "出差"}
    ).status_code == 302  # a single day
    assert client.post(f"/experts/{expert.id}/conflicts", data={
        "organization_id": str(org.id), "note": "曾任该机构理事"}).status_code == 302
    page = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "2028-05-10 – 2028-05-10: 出差" in page and f"{org.name}: 曾任该机构理事" in page
    actions = set(session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "pool_expert", AuditEntry.object_id == expert.id)))
    assert {"unavailable", "declare_conflict"} <= actions


def test_pool_pages_in_both_languages(app, session, demo):
    account = new_experts(session, 1)[0]
    expert = session.scalar(select(PoolExpert).where(PoolExpert.user_id == account.id))
    demo_expert = session.scalar(select(PoolExpert).join(PoolExpert.user).where(
        PoolExpert.user.has(username="expert10")))  # with an unavailable period
    pages = [("civil", "/experts/"), ("civil", "/experts/?q=%E7%8E%8B"),
             ("civil", "/experts/?q=zzz"), ("civil", "/experts/new"),
             ("civil", f"/experts/{expert.id}"), ("civil", f"/experts/{expert.id}/edit"),
             ("civil", f"/experts/{demo_expert.id}"), ("civil", "/experts/draws")]
    for language in ("zh", "en"):
        assert untranslated(app, session, pages, language) == []
