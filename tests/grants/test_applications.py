"""Applications to a venture philanthropy round through HTTP: draft → submitted →
withdrawn, and every refusal (window, cap, self-raised share, budget lines, eligibility,
clearance, a second application) explained in both languages with nothing written."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from market.auditlog.models import AuditEntry
from market.grants.models import ApplicationStatus, GrantApplication
from market.orgs.enums import Category
from tests.factories import org_member
from tests.grants.conftest import application_form, grant_counts, login
from tests.probes import untranslated


def _counts(session):
    return grant_counts(session)


def _apply(client, grant_round, session, **overrides):
    return client.post(f"/grants/rounds/{grant_round.id}/apply",
                       data=application_form(session, **overrides),
                       content_type="multipart/form-data")


def _refused_in_both_languages(client, session, grant_round, username, zh, en, status,
                               **overrides):
    before = _counts(session)
    for language, message in (("zh", zh), ("en", en)):
        login(client, username, language)
        response = _apply(client, grant_round, session, **overrides)
        assert response.status_code == status, (response.status_code, [line for line in response.get_data(as_text=True).splitlines() if "error" in line])
        assert message in response.get_data(as_text=True), language
    assert _counts(session) == before


def test_an_organization_drafts_submits_and_withdraws(app, client, session, grant_round):
    org, member = org_member(session, grade=2)
    login(client, member.username)
    response = _apply(client, grant_round, session)
    assert response.status_code == 302
    application = session.scalar(select(GrantApplication).where(
        GrantApplication.organization_id == org.id))
    assert application.status == ApplicationStatus.DRAFT
    assert application.total == application.requested + application.self_raised
    assert application.answers["q2"] == "12" and application.answers["q3"] == "仅城市"
    assert application.answers["q4"]["name"] == "支持函.pdf"
    assert len(application.document_ids) == 1
    url = f"/grants/applications/{application.id}"
    pages = {}
    pages["draft"] = client.get(url).get_data(as_text=True)
    assert "草稿" in pages["draft"] and "提交申报" in pages["draft"]
    # civil affairs sees no draft
    login(client, "civil")
    assert client.get(url).status_code == 404
    login(client, member.username)
    assert client.post(f"{url}/submit").status_code == 302
    session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED and application.submitted_at
    page = client.get(url).get_data(as_text=True)
    assert "已提交" in page and "提交申报" not in page and "撤回申报" in page
    home = client.get("/home").get_data(as_text=True)
    assert "社区儿童关爱计划" in home and "已提交" in home
    mine = client.get("/grants/mine").get_data(as_text=True)
    assert "社区儿童关爱计划" in mine
    login(client, "civil")
    assert "社区儿童关爱计划" in client.get(url).get_data(as_text=True)
    login(client, member.username)
    assert client.post(f"{url}/withdraw").status_code == 302
    session.refresh(application)
    assert application.status == ApplicationStatus.WITHDRAWN and application.withdrawn_at
    page = client.get(url).get_data(as_text=True)
    assert "已撤回" in page and "撤回申报" not in page
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "grant_application", AuditEntry.object_id == application.id)
        .order_by(AuditEntry.id)).all()
    assert actions == ["create", "submit", "withdraw"]
    # another organization cannot see it
    other, stranger = org_member(session, grade=2)
    login(client, stranger.username)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("language", ["zh", "en"])
def test_application_pages_in_each_state_speak_one_language(app, session, grant_round,
                                                            language, client):
    org, member = org_member(session, grade=2, username="grant-tester")
    grant_round.allow_multiple = True
    session.commit()
    login(client, member.username)
    ids = []
    for end in ("draft", "submitted", "withdrawn"):
        assert _apply(client, grant_round, session, title=f"项目{end}").status_code == 302
        application = session.scalar(select(GrantApplication).where(
            GrantApplication.title == f"项目{end}"))
        if end != "draft":
            client.post(f"/grants/applications/{application.id}/submit")
        if end == "withdrawn":
            client.post(f"/grants/applications/{application.id}/withdraw")
        ids.append(application.id)
    pages = [("grant-tester", f"/grants/applications/{i}") for i in ids]
    pages += [("grant-tester", f"/grants/rounds/{grant_round.id}/apply"),
              ("grant-tester", "/grants/mine"), ("grant-tester", "/home"),
              ("civil", f"/grants/applications/{ids[1]}")]
    assert untranslated(app, session, pages, language) == []


def test_the_window_closes_at_its_close_time(client, session, grant_round, clock):
    first, first_user = org_member(session, grade=2)
    second, second_user = org_member(session, grade=2)
    clock.travel(grant_round.closes_at - dt.timedelta(minutes=1))
    login(client, first_user.username)
    assert _apply(client, grant_round, session).status_code == 302
    application = session.scalar(select(GrantApplication).where(
        GrantApplication.organization_id == first.id))
    clock.travel(grant_round.closes_at)
    _refused_in_both_languages(client, session, grant_round, second_user.username,
                               "申报时间已于", "The application window closed at", 409)
    login(client, first_user.username)
    before = _counts(session)
    response = client.post(f"/grants/applications/{application.id}/submit")
    assert response.status_code == 409 and "申报时间已于" in response.get_data(as_text=True)
    assert _counts(session) == before
    session.refresh(application)
    assert application.status == ApplicationStatus.DRAFT


def test_submission_one_minute_before_the_close(client, session, grant_round, clock):
    org, member = org_member(session, grade=2)
    login(client, member.username)
    assert _apply(client, grant_round, session).status_code == 302
    application = session.scalar(select(GrantApplication).where(
        GrantApplication.organization_id == org.id))
    clock.travel(grant_round.closes_at - dt.timedelta(minutes=1))
    assert client.post(f"/grants/applications/{application.id}/submit").status_code == 302
    session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("overrides, zh, en", [
    ({"requested": "100000.01", "budget_lines-0-amount": "95000.01",
      "self_raised": "25000.00", "budget_lines-1-amount": "30000.00"},
     "超过本次活动每个项目", "exceeds the round"),
    ({"self_raised": "19999.99", "budget_lines-1-amount": "29999.99"},
     "自筹资金应不低于项目总预算的 20%", "Self-raised funds must be at least 20 %"),
    ({"budget_lines-1-amount": "29999.00"}, "预算明细合计", "The budget lines add up to"),
])
def test_amount_refusals(client, session, grant_round, overrides, zh, en):
    org, member = org_member(session, grade=2)
    _refused_in_both_languages(client, session, grant_round, member.username, zh, en, 422,
                               **overrides)


def test_the_cap_and_the_share_at_their_boundaries(client, session, grant_round):
    org, member = org_member(session, grade=2)
    login(client, member.username)
    response = _apply(client, grant_round, session, requested="100000.00",
                      self_raised="25000.00", **{"budget_lines-0-amount": "95000.00"})
    assert response.status_code == 302  # exactly the cap, exactly 20 %


@pytest.mark.parametrize("org_fields, zh, en", [
    ({"grade": 2, "category": Category.INDUSTRY}, "不在本次活动接受的类别之内",
     "category is not among those this round accepts"),
    ({"grade": 1}, "本次活动要求评估等级达到2A级", "This round needs a grade of 2A"),
    ({"grade": 0, "registered_on": dt.date(2020, 1, 1)}, "清退名单",
     "clearance list"),  # registered 2020, never evaluated
])
def test_ineligible_organizations_are_refused(client, session, grant_round, org_fields,
                                              zh, en):
    org, member = org_member(session, **org_fields)
    _refused_in_both_languages(client, session, grant_round, member.username, zh, en, 403)


def test_a_suspended_organization_is_refused(client, session, grant_round):
    from market.orgs.enums import OrgStatus

    org, member = org_member(session, grade=2, status=OrgStatus.CLEARED)
    _refused_in_both_languages(client, session, grant_round, member.username, "已被清退",
                               "has been cleared out", 403)


def test_a_start_up_may_apply_without_a_grade_where_the_round_allows(client, session,
                                                                     grant_round, clock):
    young = clock.now.date() - dt.timedelta(days=365)
    org, member = org_member(session, registered_on=young)
    login(client, member.username)
    assert _apply(client, grant_round, session).status_code == 302
    grant_round.startups_without_grade = False
    session.commit()
    other, other_user = org_member(session, registered_on=young)
    _refused_in_both_languages(client, session, grant_round, other_user.username,
                               "本次活动要求评估等级达到2A级", "This round needs a grade of 2A", 403)


def test_a_second_application_is_refused_until_the_first_is_withdrawn(client, session,
                                                                      grant_round):
    org, member = org_member(session, grade=2)
    login(client, member.username)
    assert _apply(client, grant_round, session).status_code == 302
    _refused_in_both_languages(client, session, grant_round, member.username,
                               "每个组织限报一个项目", "one application per organization", 409)
    first = session.scalar(select(GrantApplication).where(
        GrantApplication.organization_id == org.id))
    assert client.post(f"/grants/applications/{first.id}/withdraw").status_code == 302
    assert _apply(client, grant_round, session).status_code == 302
    grant_round.allow_multiple = True
    session.commit()
    assert _apply(client, grant_round, session).status_code == 302


def test_the_window_opens_at_its_open_time(client, session, grant_round, clock):
    org, member = org_member(session, grade=2)
    grant_round.opens_at = clock.now + dt.timedelta(minutes=1)
    session.commit()
    _refused_in_both_languages(client, session, grant_round, member.username,
                               "该活动尚未开始接受申报", "This round is not taking applications yet",
                               409)
    clock.advance(minutes=1)
    assert _apply(client, grant_round, session).status_code == 302
