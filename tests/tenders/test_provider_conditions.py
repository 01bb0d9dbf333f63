"""承接主体条件 at the bid (MOF Order 102 art. 7, Government Procurement Law art. 22):
the previous year's annual report accepted (合格, or 基本合格 where the tender allows it),
no sanction in force, no serious violation in the three years before, not on the
clearance list. Refused through HTTP in both languages with nothing written; the
organization's "Tenders I can bid on" page shows each unmet condition first."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.clock import today_local
from market.documents.models import Document
from market.orgs.enums import InspectionResult, SanctionKind
from market.orgs.models import Sanction
from market.orgs.sanctions import years_before
from market.tenders.models import Bid
from tests.factories import (AnnualReportFactory, accepted_reports, budget_item, new_tender,
                             org_member)

LAST_YEAR_ZH = "{y}年度"


def _counts(session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Bid, Document, AuditEntry))


def _client(app, username, language="zh"):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    if language == "en":
        client.post("/language/en", data={"next": "/"})
    return client


def _bid(client, tender_id):
    return client.post(f"/tenders/{tender_id}/bid",
                       data={"price": "250000.00", "proposal": "方案"})


def _member_with_report(session, result):
    """A member whose report for last year has ``result`` (or is ``missing``); the two
    years before are accepted."""
    last = today_local().year - 1
    org, member = org_member(session, reports=False)
    accepted_reports(org, range(last - 2, last))
    if result != "missing":
        AnnualReportFactory(organization=org, year=last, result=result)
    session.commit()
    return org, member


def _sanction(session, org, **fields) -> Sanction:
    fields = {"kind": SanctionKind.FINE, "serious": False, "authority": "昆山市民政局",
              "reason": "未按规定报送材料", **fields}
    row = Sanction(organization_id=org.id, **fields)
    session.add(row)
    session.commit()
    return row


# --- annual report -------------------------------------------------------------------------

@pytest.mark.parametrize("result, accepts_basic, admitted, zh, en", [
    (InspectionResult.PASS, False, True, None, None),
    (InspectionResult.BASIC_PASS, True, True, None, None),
    (InspectionResult.BASIC_PASS, False, False,
     "年度年检结论为“基本合格”，本项目要求年检“合格”。",
     "was only basically passed; this tender requires a pass."),
    (InspectionResult.FAIL, True, False, "年度年检结论为“不合格”。",
     "was failed."),
    (None, True, False, "年度报告尚未通过：民政部门尚未作出年检结论。",
     "has not been accepted yet: civil affairs has not recorded the inspection result."),
    ("missing", True, False, "尚未报送", "has not been filed."),
])
def test_last_years_annual_report_must_be_accepted(app, demo, session, clock, result,
                                                   accepts_basic, admitted, zh, en):
    tender = new_tender(session, clock, accept_basic_pass_report=accepts_basic)
    assert tender.accept_basic_pass_report is accepts_basic
    org, member = _member_with_report(session, result)
    last = today_local().year - 1
    before = _counts(session)
    for language, message in (("zh", zh), ("en", en)):
        response = _bid(_client(app, member.username, language), tender.id)
        if admitted:
            assert response.status_code == 302
            break
        body = response.get_data(as_text=True)
        assert response.status_code == 403, body[:300]
        assert message in body
        assert str(last) in body
        assert _counts(session) == before
    if admitted:
        assert session.scalar(select(Bid).where(Bid.organization_id == org.id)) is not None


def test_an_older_report_does_not_stand_in_for_last_years(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, member = _member_with_report(session, "missing")  # 2 and 3 years ago accepted
    before = _counts(session)
    response = _bid(_client(app, member.username), tender.id)
    assert response.status_code == 403
    assert f"尚未报送{today_local().year - 1}年度报告" in response.get_data(as_text=True)
    assert _counts(session) == before


def test_an_organization_registered_this_year_owes_no_report(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, member = org_member(session, reports=False,
                              registered_on=dt.date(today_local().year, 1, 1))
    assert _bid(_client(app, member.username), tender.id).status_code == 302


# --- sanctions -----------------------------------------------------------------------------

@pytest.mark.parametrize("ends_after_bid_day, admitted", [(-1, True), (0, False)])
def test_a_sanction_ending_the_day_before_the_bid_day_no_longer_bars(
        app, demo, session, clock, ends_after_bid_day, admitted):
    tender = new_tender(session, clock)
    org, member = org_member(session)
    day = today_local()
    _sanction(session, org, imposed_on=day - dt.timedelta(days=60),
              ends_on=day + dt.timedelta(days=ends_after_bid_day))
    before = _counts(session)
    response = _bid(_client(app, member.username), tender.id)
    if admitted:
        assert response.status_code == 302
        return
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert f"处罚仍在执行期内（至{day.isoformat()}止）" in body
    assert "处罚机关：昆山市民政局" in body
    assert _counts(session) == before
    english = _bid(_client(app, member.username, "en"), tender.id).get_data(as_text=True)
    assert f"A sanction is in force since {(day - dt.timedelta(days=60)).isoformat()} " \
           f"(until {day.isoformat()})" in english
    assert _counts(session) == before


def test_a_sanction_ended_the_day_before_the_bid_no_longer_bars(app, demo, session, clock):
    tender = new_tender(session, clock)
    org, member = org_member(session)
    day = today_local()
    # ends_on is the last day in force: lifted (or executed) from the bid day on.
    _sanction(session, org, imposed_on=day - dt.timedelta(days=10),
              ends_on=day - dt.timedelta(days=1))
    assert _bid(_client(app, member.username), tender.id).status_code == 302


@pytest.mark.parametrize("shift, admitted", [
    (-1, True),  # three years and a day before the bid day
    (0, True),  # exactly three years before: the three-year period has run
    (1, False),  # three years minus a day: still within it
])
def test_a_serious_violation_bars_for_three_years(app, demo, session, clock, shift, admitted):
    tender = new_tender(session, clock)
    org, member = org_member(session)
    day = today_local()
    imposed = years_before(day, 3) + dt.timedelta(days=shift)
    # Long over as a sanction: only the serious-violation record can bar.
    _sanction(session, org, serious=True, imposed_on=imposed,
              ends_on=imposed + dt.timedelta(days=30), authority="昆山市市场监督管理局",
              reason="虚假宣传")
    before = _counts(session)
    response = _bid(_client(app, member.username), tender.id)
    if admitted:
        assert response.status_code == 302
        return
    assert response.status_code == 403
    assert f"{imposed.isoformat()}有重大违法记录，在{day.isoformat()}前3年内" in \
        response.get_data(as_text=True)
    english = _bid(_client(app, member.username, "en"), tender.id).get_data(as_text=True)
    assert f"A serious violation (重大违法记录) was recorded on {imposed.isoformat()}, " \
           f"within the 3 years before {day.isoformat()}" in english
    assert _counts(session) == before


# --- clearance list ------------------------------------------------------------------------

def test_an_organization_on_the_clearance_list_is_refused(app, demo, session, clock):
    tender = new_tender(session, clock)
    # Registered 2020, never graded: eligible from 2022, listed from 2025-01-01.
    _org, member = org_member(session, registered_on=dt.date(2020, 1, 1))
    before = _counts(session)
    response = _bid(_client(app, member.username), tender.id)
    assert response.status_code == 403
    assert "本组织自2025-01-01起列入清退名单" in response.get_data(as_text=True)
    english = _bid(_client(app, member.username, "en"), tender.id).get_data(as_text=True)
    assert "on the clearance list (清退) since 2025-01-01" in english
    assert _counts(session) == before


def test_every_unmet_condition_is_named_in_the_refusal(app, demo, session, clock):
    tender = new_tender(session, clock)
    org, member = _member_with_report(session, InspectionResult.BASIC_PASS)
    _sanction(session, org, imposed_on=today_local())
    body = _bid(_client(app, member.username), tender.id).get_data(as_text=True)
    assert "本组织不满足以下承接主体条件：(1)" in body
    assert "基本合格" in body and "处罚仍在执行期内（未定期限）" in body


# --- "Tenders I can bid on" ----------------------------------------------------------------

PAGE_TEXT = {
    "zh": {"heading": "本组织不满足承接主体条件的招标项目", "none": "目前没有本组织可以参与的采购项目。",
           "basic": "年度年检结论为“基本合格”，本项目要求年检“合格”。"},
    "en": {"heading": "Open tenders whose conditions your organization does not meet",
           "none": "No open tender accepts your organization right now.",
           "basic": "was only basically passed; this tender requires a pass."},
}


def _sections(page: str, heading: str) -> tuple[str, str]:
    """(offered, not met): the page before and after the "not met" heading."""
    offered, _, blocked = page.partition(heading)
    return offered, blocked


def _row(section: str, title: str) -> str:
    """The table row of the tender titled ``title`` in a section ('' if absent)."""
    at = section.find(title)
    return "" if at < 0 else section[at:section.find("</tr>", at)]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_list_shows_each_unmet_condition_before_the_organization_tries(
        app, demo, session, clock, language):
    new_tender(session, clock, title="严格年检要求的项目")
    new_tender(session, clock, title="接受基本合格的项目", item=budget_item(session),
               accept_basic_pass_report=True)
    text = PAGE_TEXT[language]

    def page_of(member):
        page = _client(app, member.username, language).get("/tenders/for-me")
        assert page.status_code == 200
        return _sections(page.get_data(as_text=True), text["heading"])

    # Meets everything: both tenders offered with a bid button (the demo's 3A+-only
    # tender is listed as not met: it has no grade).
    _ok, fine = org_member(session)
    offered, blocked = page_of(fine)
    for title in ("严格年检要求的项目", "接受基本合格的项目"):
        assert '/bid">' in _row(offered, title) and title not in blocked
    # 基本合格: the lenient tender is offered, the strict one listed with the reason.
    _org, basic = _member_with_report(session, InspectionResult.BASIC_PASS)
    offered, blocked = page_of(basic)
    assert "接受基本合格的项目" in offered and "严格年检要求的项目" not in offered
    row = _row(blocked, "严格年检要求的项目")
    assert text["basic"] in row and 'data-code="annual_report_basic_pass"' in row
    assert "接受基本合格的项目" not in blocked
    # A sanction in force: nothing offered, both listed with the sanction.
    sanctioned_org, sanctioned = org_member(session)
    _sanction(session, sanctioned_org, imposed_on=today_local(), reason="责令改正")
    offered, blocked = page_of(sanctioned)
    assert text["none"] in offered
    for title in ("严格年检要求的项目", "接受基本合格的项目"):
        row = _row(blocked, title)
        assert 'data-code="sanction_in_force"' in row and "责令改正" in row


def test_the_api_refuses_with_the_reason_and_writes_nothing(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, member = _member_with_report(session, InspectionResult.BASIC_PASS)
    before = _counts(session)
    url = f"/api/v1/tenders/{tender.id}/my-bid"
    answer = _client(app, member.username).put(url, json={"price": "250000.00",
                                                          "proposal": "方案"})
    assert answer.status_code == 403 and answer.get_json()["error"] == "not_eligible"
    assert "本项目要求年检“合格”" in answer.get_json()["message"]
    english = _client(app, member.username, "en").put(url, json={"price": "250000.00",
                                                                 "proposal": "方案"})
    assert "this tender requires a pass." in english.get_json()["message"]
    assert _counts(session) == before


def test_the_demo_shows_unmet_conditions(app, demo, session):
    # The demo user's last inspection was only basically passed: the 3A+ home-care tender
    # (合格 required) is listed with the reason; the health-education one accepts it.
    offered, blocked = _sections(_client(app, "org").get("/tenders/for-me")
                                 .get_data(as_text=True), PAGE_TEXT["zh"]["heading"])
    row = _row(blocked, "2026年度社区居家养老上门服务项目")
    assert 'data-code="annual_report_basic_pass"' in row
    assert "家庭医生签约健康宣教服务" in offered
    # 微笑 is under a sanction since today; 巴城 has a serious violation two years ago.
    _o, blocked = _sections(_client(app, "org-weixiao").get("/tenders/for-me")
                            .get_data(as_text=True), PAGE_TEXT["zh"]["heading"])
    assert 'data-code="sanction_in_force"' in blocked
    _o, blocked = _sections(_client(app, "org-bacheng").get("/tenders/for-me")
                            .get_data(as_text=True), PAGE_TEXT["zh"]["heading"])
    assert 'data-code="serious_violation"' in blocked


def test_each_list_pages_on_its_own(app, demo, session, clock):
    """A province has thousands of open tenders: the offered list pages on ``page`` and the
    not-met list on ``bpage``, each keeping the other's place."""
    app.config["PAGE_SIZE"] = 2
    titles = [f"分页测试项目{i}" for i in range(5)]
    item = budget_item(session, budget="5000000.00")
    for title in titles:
        new_tender(session, clock, title=title, item=item)
    _ok, fine = org_member(session)
    client = _client(app, fine.username)

    def offered(url):
        page = client.get(url)
        assert page.status_code == 200
        shown, _blocked = _sections(page.get_data(as_text=True),
                                    PAGE_TEXT["zh"]["heading"])
        return [t for t in titles if t in shown], page.get_data(as_text=True)

    seen, first = offered("/tenders/for-me")
    assert len(seen) == 2 and "page=2" in first
    later, third = offered("/tenders/for-me?page=3&bpage=2")
    assert later and not set(later) & set(seen)
    # the not-met list's pager keeps the offered list's page, and the other way round
    assert "bpage=2" in third and "page=3" in third
    every = set()
    for n in range(1, 5):
        every |= set(offered(f"/tenders/for-me?page={n}")[0])
    assert every == set(titles)
