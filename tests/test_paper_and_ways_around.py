"""Paper where offices need paper, and ways around (issue 14, parts 5 and 6): the printable
award notice, bid receipt, contract, grade certificate and inspection result; breadcrumbs;
the way back from Fava and its translated refusals; the favicon; the grouped menu; tender
documents required for publication; the reviewer reading an applicant's materials."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from market.errors import Invalid
from market.tenders import tender_services
from market.tenders.models import Tender, TenderStatus
from tests.auditor.test_auditor_workspace import approved  # noqa: F401  (fixture)
from tests.factories import (PDF, OrganizationFactory, attach_tender_document,
                             bid_of, new_tender, org_member, place_bid, registration_form, user)


def _lang(client, code: str) -> None:
    client.post(f"/language/{code}", data={"next": "/"})


def _login(client, username: str) -> None:
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302


# --- the award notice (中标通知书) ------------------------------------------------------------

def test_award_notice_prints_the_whole_score_table_in_both_languages(client, awarded, session):
    _item, tender, bidders = awarded
    bids = {k: bid_of(session, tender, u) for k, u in bidders.items()}
    for code, title, deadline in (("zh", "中标通知书", "质疑"), ("en", "Award notice",
                                                                "Challenges accepted until")):
        _lang(client, code)
        response = client.get(f"/tenders/{tender.id}/award/notice")  # public, once awarded
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert title in html and deadline in html
        assert 'data-print' in html and "print.css" in html and 'media="print"' in html
        assert "<script>" not in html  # the print button needs no inline script
        for bid in bids.values():  # every bidder's row, as on the award page
            assert f'data-bid="{bid.id}"' in html
            assert bid.organization.name in html
        winner = re.search(r'id="notice-winner">([^<]+)<', html).group(1)
        assert winner == bids["a"].organization.name
        assert "240,000.00" in html
        assert tender.reference in html
    # The award page links to it.
    assert f"/tenders/{tender.id}/award/notice" in client.get(
        f"/tenders/{tender.id}/award").get_data(as_text=True)


def test_no_award_notice_before_the_award(client, demo, session, clock):
    tender = new_tender(session, clock)
    _lang(client, "en")
    response = client.get(f"/tenders/{tender.id}/award/notice")
    assert response.status_code == 404
    _login(client, "dept")
    assert client.get(f"/tenders/{tender.id}/award/notice").status_code == 404


# --- the bid receipt (投标回执): sealed until opening -----------------------------------------

def test_bid_receipt_prints_for_its_bidder_and_stays_sealed_to_others(app, demo, session,
                                                                       clock):
    tender = new_tender(session, clock)
    _org, bidder = org_member(session)
    bid = place_bid(session, bidder, tender, "230000.00")
    own = app.test_client()
    _login(own, bidder.username)
    for code, label in (("zh", "投标回执"), ("en", "Bid receipt")):
        _lang(own, code)
        html = own.get(f"/tenders/bids/{bid.id}").get_data(as_text=True)
        assert label in html and bid.receipt_hash in html and tender.title in html
        assert "data-print" in html
    for who in (None, "dept", "auditor", "civil"):  # before opening: nobody else
        other = app.test_client()
        if who:
            _login(other, who)
        response = other.get(f"/tenders/bids/{bid.id}")
        assert response.status_code in (403, 404), who
        assert bid.receipt_hash not in response.get_data(as_text=True)


# --- contract, grade certificate, inspection result --------------------------------------

def test_grade_certificate_is_public_and_printable(client, demo, session):
    graded = OrganizationFactory(grade=4)
    ungraded = OrganizationFactory()
    session.commit()
    for code, label in (("zh", "等级证书"), ("en", "Grade certificate")):
        _lang(client, code)
        html = client.get(f"/grades/certificate/{graded.id}").get_data(as_text=True)
        assert label in html and graded.name in html and "data-print" in html
        assert 'id="certificate-grade"' in html
    assert client.get(f"/grades/certificate/{ungraded.id}").status_code == 404


def test_contract_page_prints_with_a_way_back(client, demo, session, clock):
    from tests.factories import budget_item, signed_contract

    contract = signed_contract(session, clock, budget_item(session))[0]
    html = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "data-print" in html and 'class="breadcrumbs"' in html
    assert 'href="/contracts/"' in html


# --- breadcrumbs, favicon, grouped navigation ---------------------------------------------

def test_detail_pages_have_breadcrumbs_back_to_their_list(client, demo, session, clock):
    tender = new_tender(session, clock)
    html = client.get(f"/tenders/{tender.id}").get_data(as_text=True)
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert 'href="/tenders/"' in crumbs and tender.reference in crumbs
    org = OrganizationFactory()
    session.commit()
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert 'href="/organizations/"' in crumbs


def test_favicon_is_served_and_linked(client, demo):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200 and b"<svg" in response.data
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_civil_affairs_menu_is_grouped_without_near_duplicates(client, demo):
    _lang(client, "en")
    _login(client, "civil")
    html = client.get("/home").get_data(as_text=True)
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    groups = re.findall(r'<details class="navgroup" data-group="(\w+)"><summary>([^<]+)<', nav)
    assert [g for g, _label in groups] == ["procurement", "philanthropy", "organizations",
                                           "oversight", "public"]
    top = re.findall(r'<ul>\s*((?:<li><a [^>]*>[^<]*</a></li>\s*)*)<li><details', nav)[0]
    assert top.count("<li>") <= 3  # Home and My workspace stand alone
    assert 'href="/registry/"' in nav
    assert 'href="/organizations/"' not in nav  # the public list, a near-duplicate
    assert 'href="/complaints/work"' in nav and 'href="/complaints/"' not in nav
    # The public still sees the public list.
    client.post("/logout")
    assert 'href="/organizations/"' in client.get("/").get_data(as_text=True)


# --- tender documents before publication --------------------------------------------------

def test_publication_needs_a_tender_document(app, client, demo, session, clock):
    draft = new_tender(session, clock, publish=False, documents=False)
    dept = user(session, "dept")
    with pytest.raises(Invalid) as refused:
        tender_services.publish_tender(session, dept, draft.id)
    assert refused.value.field == "documents"
    session.rollback()
    _login(client, "dept")
    _lang(client, "en")
    html = client.post(f"/tenders/{draft.id}/publish", follow_redirects=True).get_data(
        as_text=True)
    assert "Attach the tender documents before publishing" in html
    _lang(client, "zh")
    html = client.post(f"/tenders/{draft.id}/publish", follow_redirects=True).get_data(
        as_text=True)
    assert "发布前请上传招标文件" in html
    session.expire_all()
    assert session.get(Tender, draft.id).status == TenderStatus.DRAFT
    # With a document it publishes, and the public page offers the document.
    assert client.post(f"/tenders/{draft.id}/documents", data={
        "document": (io.BytesIO(PDF), "招标文件.pdf")},
        content_type="multipart/form-data").status_code == 302
    assert client.post(f"/tenders/{draft.id}/publish").status_code == 302
    session.expire_all()
    assert session.get(Tender, draft.id).status == TenderStatus.PUBLISHED
    client.post("/logout")
    html = client.get(f"/tenders/{draft.id}").get_data(as_text=True)
    link = re.search(r'href="(/tenders/\d+/documents/\d+)">招标文件.pdf<', html).group(1)
    download = client.get(link)  # the public downloads it from the tender page
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    # A draft's documents stay with its department; a document is served only under its
    # own tender.
    other = new_tender(session, clock, publish=False, documents=False)
    doc_id = int(link.rsplit("/", 1)[1])
    assert client.get(f"/tenders/{other.id}/documents/{doc_id}").status_code == 404
    assert client.get(f"/tenders/{draft.id}/documents/{doc_id + 1000}").status_code == 404


def test_factory_attach_helper_lets_a_service_publish(demo, session, clock):
    draft = new_tender(session, clock, publish=False, documents=False)
    attach_tender_document(session, user(session, "dept"), draft)
    tender_services.publish_tender(session, user(session, "dept"), draft.id)
    assert draft.status == TenderStatus.PUBLISHED


# --- the registration reviewer reads the applicant's materials ----------------------------

def test_reviewer_sees_the_applicants_materials(registry, session):
    client = registry.applicant()
    form = registration_form(session, name="昆山市测试研究会", category="other",
                             supervising_unit="昆山市文体广电和旅游局")
    form["prior_approval"] = (io.BytesIO(PDF), "主管单位批复.pdf")
    assert registry.apply(client, form).status_code == 302
    application = registry.latest_application("昆山市测试研究会")
    civil = registry.client_for("civil")
    for code, heading in (("zh", "申请材料"), ("en", "Materials submitted")):
        _lang(civil, code)
        html = civil.get(f"/registry/applications/{application.id}").get_data(as_text=True)
        section = re.search(r'id="application-materials".*?</section>', html, re.S).group(0)
        assert heading in section and "主管单位批复.pdf" in section
        assert f"/documents/{application.prior_approval_id}" in section


# --- Fava: the way back and translated refusals -------------------------------------------

def test_fava_pages_carry_the_way_back_and_refusals_are_translated(client, auth,
                                                                    approved):  # noqa: F811
    auth.login("auditor")
    _lang(client, "en")
    front = client.get("/audit/fava/")
    bfile = front.headers["Location"].split("/audit/fava/")[1].split("/")[0]
    page = client.get(f"/audit/fava/{bfile}/balance_sheet/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    bar = re.search(r'<div class="fava-way-back".*?</div>', html, re.S).group(0)
    assert 'href="/audit/"' in bar and "Back to the platform" in bar
    assert int(page.headers["Content-Length"]) == len(page.data)
    refused = client.get(f"/audit/fava/{bfile}/editor/")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "Not available in the ledger browser" in text and "download the export" in text
    missing = client.get(f"/audit/fava/{bfile}/no-such-page/")
    assert missing.status_code == 404 and "no such page" in missing.get_data(as_text=True)
    _lang(client, "zh")
    assert "返回平台" in client.get(f"/audit/fava/{bfile}/balance_sheet/").get_data(
        as_text=True)
    assert "台账浏览器不提供此页面" in client.get(f"/audit/fava/{bfile}/editor/").get_data(
        as_text=True)


def test_inspection_result_prints_in_both_languages(client, demo, session):
    from market.orgs.models import AnnualReport

    org, _member = org_member(session)  # with accepted (合格) annual reports
    report = session.scalar(select(AnnualReport).where(AnnualReport.organization_id == org.id)
                            .order_by(AnnualReport.year.desc()))
    _login(client, "civil")
    for code, crumb in (("zh", "年检"), ("en", "Annual inspection")):
        _lang(client, code)
        html = client.get(f"/registry/annual-reports/{report.id}").get_data(as_text=True)
        assert "data-print" in html and org.name in html
        crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
        assert crumb in crumbs and 'href="/registry/annual-reports/"' in crumbs
