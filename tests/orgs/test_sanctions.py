"""处罚/惩戒: civil affairs records a penalty or investigation (with confirmation) and its
end through HTTP; refusals say why in both languages and change nothing; the public
profile shows what is in force, to the day; the readers the tenders room calls."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from market.auditlog.models import AuditEntry
from market.orgs import sanctions
from market.orgs.enums import SanctionKind
from market.orgs.models import Organization, Sanction
from tests.factories import OrganizationFactory, user
from tests.probes import row_counts, trail

FORM = {"kind": "fine", "serious": "y", "imposed_on": "2026-03-10", "ends_on": "",
        "authority": "昆山市民政局", "document_ref": "昆民罚字〔2026〕第5号",
        "reason": "未按规定办理负责人变更登记。", "confirm": "y"}


@pytest.fixture
def org(session, demo):
    org = OrganizationFactory(name="处罚测试服务中心")
    session.commit()
    return org


def _section(html: str, sanction_id: int) -> str:
    """The list page's card for one sanction (the demo records others)."""
    found = re.search(rf'<section class="card sanction" id="sanction-{sanction_id}">(.*?)'
                      r'</section>', html, re.S)
    assert found, f"sanction {sanction_id} not listed"
    return found.group(1)


def _counts(session):
    return row_counts(session, Sanction, AuditEntry)


def test_civil_affairs_records_a_penalty_and_the_public_sees_it_while_in_force(
        app, session, registry, org, travel):
    travel(2026, 3, 10, 2)  # 10:00 in Kunshan
    civil = registry.client_for("civil")
    page = civil.get(f"/registry/organizations/{org.id}/sanctions/new")
    assert page.status_code == 200 and "录入行政处罚或立案调查" in page.get_data(as_text=True)
    response = civil.post(f"/registry/organizations/{org.id}/sanctions/new", data=FORM)
    assert response.status_code == 302
    sanction = session.scalar(select(Sanction).where(Sanction.organization_id == org.id))
    assert (sanction.kind, sanction.serious, sanction.imposed_on, sanction.ends_on) == (
        SanctionKind.FINE, True, dt.date(2026, 3, 10), None)
    assert sanction.document_ref == "昆民罚字〔2026〕第5号"
    assert trail(session, "sanction", sanction.id)[0][:3] == ("record", None, "fine")
    assert [t[0] for t in trail(session, "organization", org.id)] == ["sanction"]
    # The registry page and the list show it; so does the public profile, in force.
    detail = civil.get(f"/registry/organizations/{org.id}").get_data(as_text=True)
    assert "昆民罚字〔2026〕第5号" in detail and "严重违法" in detail
    listing = _section(civil.get("/registry/sanctions/").get_data(as_text=True), sanction.id)
    assert "处罚测试服务中心" in listing and "生效中" in listing and "登记结束" in listing
    public = app.test_client()
    profile = public.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "罚款" in profile and "尚未执行完毕或解除" in profile
    public.post("/language/en", data={"next": "/"})
    english = public.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Fine" in english and "Not yet executed or lifted" in english

    # It ends (executed) on 2026-03-20: shown through that day, gone the day after.
    travel(2026, 3, 20, 2)
    assert civil.post(f"/registry/sanctions/{sanction.id}/end", data={
        f"end{sanction.id}-ended_on": "2026-03-20",
        f"end{sanction.id}-note": "罚款已缴纳。"}).status_code == 302
    session.expire_all()
    assert session.get(Sanction, sanction.id).ends_on == dt.date(2026, 3, 20)
    assert trail(session, "sanction", sanction.id)[-1][:3] == ("end", "in_force", "ended")
    assert "昆民罚字〔2026〕第5号" in public.get(f"/organizations/{org.id}").get_data(as_text=True)
    travel(2026, 3, 21, 2)
    after = public.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "昆民罚字〔2026〕第5号" not in after and "None." in after
    listing = _section(civil.get("/registry/sanctions/").get_data(as_text=True), sanction.id)
    assert "已结束" in listing and "登记结束" not in listing


def test_the_decision_date_today_is_accepted_tomorrow_refused(app, session, registry, org,
                                                              travel):
    travel(2026, 3, 10, 2)
    civil = registry.client_for("civil")
    before = _counts(session)
    refused = civil.post(f"/registry/organizations/{org.id}/sanctions/new",
                         data=dict(FORM, imposed_on="2026-03-11"))
    assert refused.status_code == 422
    assert "决定日期不能晚于今天。" in refused.get_data(as_text=True)
    civil.post("/language/en", data={"next": "/"})
    refused = civil.post(f"/registry/organizations/{org.id}/sanctions/new",
                         data=dict(FORM, imposed_on="2026-03-11"))
    assert "The date of the decision cannot be in the future." in refused.get_data(as_text=True)
    assert _counts(session) == before
    assert civil.post(f"/registry/organizations/{org.id}/sanctions/new",
                      data=dict(FORM, imposed_on="2026-03-10")).status_code == 302
    assert _counts(session)["Sanction"] == before["Sanction"] + 1


@pytest.mark.parametrize("change,zh,en", [
    ({"confirm": ""}, "请确认所填信息与决定书一致。",
     "Please confirm that the particulars match the decision document."),
    ({"ends_on": "2026-03-09"}, "结束日期不能早于决定日期。",
     "The end date cannot be before the date of the decision."),
    ({"authority": "  "}, "此项为必填项", "This field is required."),
])
def test_refusals_say_why_in_both_languages_and_store_nothing(
        app, session, registry, org, travel, change, zh, en):
    travel(2026, 3, 10, 2)
    civil = registry.client_for("civil")
    before = _counts(session)
    url = f"/registry/organizations/{org.id}/sanctions/new"
    response = civil.post(url, data=dict(FORM, **change))
    assert response.status_code in (400, 422) and zh in response.get_data(as_text=True)
    civil.post("/language/en", data={"next": "/"})
    assert en in civil.post(url, data=dict(FORM, **change)).get_data(as_text=True)
    assert _counts(session) == before


def test_ending_before_the_decision_or_twice_is_refused(app, session, registry, org, travel):
    travel(2026, 3, 10, 2)
    sanction = sanctions.record_sanction(session, user(session, "civil"), org.id,
                                         kind="investigation", imposed_on=dt.date(2026, 3, 1),
                                         authority="昆山市公安局", reason="涉嫌违规募捐")
    session.commit()
    civil = registry.client_for("civil")
    before = _counts(session)
    bad = civil.post(f"/registry/sanctions/{sanction.id}/end", data={
        f"end{sanction.id}-ended_on": "2026-02-28", f"end{sanction.id}-note": "结案"})
    assert bad.status_code == 422 and "结束日期不能早于决定日期。" in bad.get_data(as_text=True)
    assert _counts(session) == before
    assert civil.post(f"/registry/sanctions/{sanction.id}/end", data={
        f"end{sanction.id}-ended_on": "2026-03-01",
        f"end{sanction.id}-note": "撤销案件"}).status_code == 302
    before = _counts(session)
    again = civil.post(f"/registry/sanctions/{sanction.id}/end", data={
        f"end{sanction.id}-ended_on": "2026-03-05", f"end{sanction.id}-note": "x"})
    assert again.status_code == 409
    assert _counts(session) == before


def test_only_civil_affairs_records(app, session, registry, org):
    before = _counts(session)
    for who in ("dept", "town", "auditor", "org"):
        client = registry.client_for(who)
        assert client.get(f"/registry/organizations/{org.id}/sanctions/new").status_code \
            in (403, 404)
        assert client.post(f"/registry/organizations/{org.id}/sanctions/new",
                           data=FORM).status_code in (403, 404)
    assert _counts(session) == before
    # Registry readers read the list; the public does not.
    assert registry.client_for("auditor").get("/registry/sanctions/").status_code == 200
    assert app.test_client().get("/registry/sanctions/").status_code in (302, 401, 403)


@pytest.mark.parametrize("language,empty,kind,state", [
    ("zh", "尚无行政处罚或立案调查记录。", "立案调查", "生效中"),
    ("en", "No penalty or investigation has been recorded.", "Case opened for investigation",
     "In force")])
def test_the_list_page_empty_and_with_rows_in_both_languages(app, session, client, language,
                                                             empty, kind, state):
    """Without the demo, so the list starts empty."""
    from market.access.permissions import Role
    from tests.factories import UserFactory

    from market.accounts.models import Town

    civil = UserFactory(role=Role.CIVIL_AFFAIRS, username="civil-only")
    session.add(Town(code="YS", name_zh="玉山镇", name_en="Yushan Town", population=1))
    session.flush()
    org = OrganizationFactory()
    session.commit()
    assert client.post("/login", data={"username": "civil-only",
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    assert empty in client.get("/registry/sanctions/").get_data(as_text=True)
    s = sanctions.record_sanction(session, civil, org.id, kind="investigation",
                                  imposed_on=dt.date(2026, 1, 5), authority="昆山市公安局",
                                  reason="涉嫌违规募捐")
    session.commit()
    page = client.get("/registry/sanctions/").get_data(as_text=True)
    assert empty not in page and kind in _section(page, s.id) and state in _section(page, s.id)


# --- the readers other rooms call ----------------------------------------------------------

def test_in_force_from_the_day_imposed_through_the_day_it_ends(app, session, demo):
    org = OrganizationFactory()
    civil = user(session, "civil")
    s = sanctions.record_sanction(session, civil, org.id, kind="suspension",
                                  imposed_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 7, 31),
                                  authority="昆山市民政局", reason="限期停止活动三个月")
    assert sanctions.sanctions_in_force(session, org, dt.date(2025, 4, 30)) == []
    assert sanctions.sanctions_in_force(session, org, dt.date(2025, 5, 1)) == [s]
    assert sanctions.sanctions_in_force(session, org.id, dt.date(2025, 7, 31)) == [s]
    assert sanctions.sanctions_in_force(session, org, dt.date(2025, 8, 1)) == []


def test_serious_violation_counts_for_exactly_the_years_given(app, session, demo):
    org = OrganizationFactory()
    civil = user(session, "civil")
    serious = sanctions.record_sanction(
        session, civil, org.id, kind="fine", serious=True, imposed_on=dt.date(2023, 6, 1),
        ends_on=dt.date(2023, 6, 30), authority="昆山市民政局", reason="虚假材料骗取资金")
    sanctions.record_sanction(session, civil, org.id, kind="warning",
                              imposed_on=dt.date(2025, 6, 1), ends_on=dt.date(2025, 6, 1),
                              authority="昆山市民政局", reason="未按期年检")
    assert sanctions.serious_violation_within(session, org, 3, dt.date(2026, 5, 31)) == \
        [serious]
    assert sanctions.serious_violation_within(session, org, 3, dt.date(2026, 6, 1)) == []
    assert sanctions.serious_violation_within(session, org, 3, dt.date(2023, 5, 31)) == []
    # One still in force counts however long ago it was imposed.
    old = sanctions.record_sanction(
        session, civil, org.id, kind="suspension", serious=True, imposed_on=dt.date(2019, 1, 1),
        authority="昆山市民政局", reason="长期停止活动")
    assert sanctions.serious_violation_within(session, org, 3, dt.date(2026, 6, 1)) == [old]


def test_penalties_imposed_in_a_year_leave_out_investigations(app, session, demo):
    org = OrganizationFactory()
    civil = user(session, "civil")
    fine = sanctions.record_sanction(session, civil, org.id, kind="fine",
                                     imposed_on=dt.date(2025, 12, 31), authority="民政局",
                                     reason="x")
    sanctions.record_sanction(session, civil, org.id, kind="investigation",
                              imposed_on=dt.date(2025, 3, 1), authority="公安局", reason="y")
    sanctions.record_sanction(session, civil, org.id, kind="warning",
                              imposed_on=dt.date(2026, 1, 1), authority="民政局", reason="z")
    assert sanctions.penalties_imposed_in(session, org, 2025) == [fine]
    assert session.get(Organization, org.id) is not None
