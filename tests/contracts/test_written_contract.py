"""The written contract (issue 10, part 7): its PDF and SHA-256, verification of a copy,
the organization's acceptance before the first payment, the signing period (政府采购法
第四十六条), the term (财政部令第102号 第二十四条) and publication — through HTTP, each
refusal in both languages and changing nothing."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from market.auditlog.models import AuditEntry
from market.clock import LOCAL_TZ, to_local
from market.contracts.models import Contract, MilestoneStatus
from market.documents.models import Document
from market.documents.storage import DocumentStore
from market.tenders.models import TenderStatus
from tests.factories import (awarded_tender, budget_item, deliver_and_accept, signed_contract,
                             user)
from tests.probes import item_balances, procurement_counts, row_counts, untranslated

PASSWORD = "demo-pass-2026"
SCHEDULE = {"title-1": "预付款", "percent-1": "30", "due-1": "2028-03-01",
            "title-2": "中期交付", "percent-2": "40", "due-2": "2028-07-01",
            "title-3": "结项验收", "percent-3": "30", "due-3": "2028-12-01", "gated-3": "y"}
TERMS = {"service_content": "社区治理创新服务", "service_quantity": "20个社区",
         "quality_standard": "按采购文件服务标准", "evaluation_method": "第三方绩效评价",
         "liabilities": "按民法典承担违约责任", "term_start": "2028-01-01",
         "term_end": "2028-12-31"}


def _client(app, language: str, username: str | None = None):
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    if username:
        assert client.post("/login", data={"username": username,
                                           "password": PASSWORD}).status_code == 302
        client.post(f"/language/{language}", data={"next": "/"})
    return client


def _state(session, item, contract=None):
    """Everything a contract step could write: rows (documents too), ledger balances and
    the contract's own acceptance fields."""
    counts = procurement_counts(session) | row_counts(session, Document)
    fields = None
    if contract is not None:
        session.refresh(contract)
        fields = (contract.accepted_at, contract.accepted_by_id, contract.published_at,
                  contract.pdf_sha256, [m.status for m in contract.milestones])
    return counts, item_balances(session, item, contract), fields


@pytest.fixture
def signable(app, demo, session, clock):
    item = budget_item(session)
    tender, bidders = awarded_tender(session, clock, item)
    return item, tender, bidders


@pytest.fixture
def unaccepted(app, demo, session, clock):
    """A's contract signed by the department, not yet accepted; signed in an application
    context, as a request or ``flask demo seed`` is, so its PDF file is stored."""
    item = budget_item(session)
    with app.app_context():
        contract, bidders = signed_contract(session, clock, item, accepted=False)
    return item, contract, bidders["a"]


# --- the PDF, its hash, verification ------------------------------------------------------

def test_the_pdf_is_generated_with_its_number_and_its_hash_verifies(app, session, unaccepted):
    _, contract, contractor = unaccepted
    assert contract.written and len(contract.pdf_sha256) == 64
    client = _client(app, "zh", "dept")
    response = client.get(f"/contracts/{contract.id}/contract.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.data
    assert data.startswith(b"%PDF")
    assert contract.number.encode() in data
    assert hashlib.sha256(data).hexdigest() == contract.pdf_sha256
    # The hash is in the audit log of the signing.
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "contract", AuditEntry.object_id == contract.id,
        AuditEntry.action == "sign"))
    assert contract.pdf_sha256 in entry.reason

    # The verify page recomputes the stored file's hash, and checks a copy.
    page = client.get(f"/contracts/{contract.id}/verify").get_data(as_text=True)
    assert 'id="stored-result">一致<' in page
    same = client.post(f"/contracts/{contract.id}/verify",
                       data={"file": (io.BytesIO(data), "合同.pdf")},
                       content_type="multipart/form-data")
    assert same.status_code == 200 and 'data-match="yes"' in same.get_data(as_text=True)
    tampered = data.replace(contract.number.encode(), b"X" * len(contract.number), 1)
    other = client.post(f"/contracts/{contract.id}/verify",
                        data={"file": (io.BytesIO(tampered), "合同.pdf")},
                        content_type="multipart/form-data")
    assert 'data-match="no"' in other.get_data(as_text=True)
    assert "不一致" in other.get_data(as_text=True)


def test_a_tampered_stored_file_shows_a_mismatch_and_cannot_be_accepted(app, session,
                                                                         unaccepted):
    item, contract, contractor = unaccepted
    doc = session.get(Document, contract.pdf_document_id)
    with app.app_context():
        path = DocumentStore.current().path_of(doc.stored_name)
    path.write_bytes(path.read_bytes() + b"\n% altered")
    client = _client(app, "en", "auditor")
    page = client.get(f"/contracts/{contract.id}/verify").get_data(as_text=True)
    assert 'id="stored-result">mismatch<' in page
    before = _state(session, item, contract)
    org = _client(app, "en", contractor.username)
    refused = org.post(f"/contracts/{contract.id}/accept",
                       data={"confirm": "y", "password": PASSWORD})
    assert refused.status_code == 409
    assert "does not match its recorded SHA-256" in refused.get_data(as_text=True)
    assert _state(session, item, contract) == before


def test_before_publication_only_the_parties_and_auditors_read_the_pdf(app, session,
                                                                      unaccepted):
    _, contract, contractor = unaccepted
    url = f"/contracts/{contract.id}/contract.pdf"
    assert app.test_client().get(url).status_code == 404
    assert _client(app, "zh", "org").get(url).status_code == 404  # another organization
    for who in (contractor.username, "dept", "auditor", "finance"):
        assert _client(app, "zh", who).get(url).status_code == 200, who


# --- acceptance before the first payment -------------------------------------------------

@pytest.mark.parametrize("language,expected", [
    ("zh", "承接方尚未签章确认书面合同"),
    ("en", "The organization has not yet accepted (countersigned) the written contract")])
def test_no_payment_before_the_organization_accepts(app, session, unaccepted, language,
                                                    expected):
    item, contract, contractor = unaccepted
    deliver_and_accept(session, contract, 1, contractor)
    before = _state(session, item, contract)
    finance = _client(app, language, "finance")
    refused = finance.post(f"/contracts/{contract.id}/milestones/1/pay")
    assert refused.status_code == 409 and expected in refused.get_data(as_text=True)
    assert expected in finance.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert _state(session, item, contract) == before

    # The organization accepts: checkbox and password.
    org = _client(app, language, contractor.username)
    page = org.get(f"/contracts/{contract.id}/accept")
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)
    assert org.post(f"/contracts/{contract.id}/accept",
                    data={"confirm": "y", "password": PASSWORD}).status_code == 302
    session.refresh(contract)
    assert contract.in_effect and contract.published_at == contract.accepted_at
    accepted = session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "contract", AuditEntry.object_id == contract.id,
        AuditEntry.action == "accept"))
    assert contract.pdf_sha256 in accepted.reason

    assert finance.post(f"/contracts/{contract.id}/milestones/1/pay").status_code == 302
    session.refresh(contract)
    assert contract.milestones[0].status == MilestoneStatus.PAID
    assert item_balances(session, item, contract)["expense"] == D("72000.00")


@pytest.mark.parametrize("language,data,expected", [
    ("zh", {"password": PASSWORD}, "请勾选确认您已阅读本合同"),
    ("en", {"password": PASSWORD}, "Confirm that you have read the contract"),
    ("zh", {"confirm": "y", "password": "wrong-pass"}, "密码不正确"),
    ("en", {"confirm": "y", "password": "wrong-pass"}, "The password is not correct"),
])
def test_acceptance_needs_the_checkbox_and_the_password(app, session, unaccepted, language,
                                                        data, expected):
    item, contract, contractor = unaccepted
    before = _state(session, item, contract)
    refused = _client(app, language, contractor.username).post(
        f"/contracts/{contract.id}/accept", data=data)
    assert refused.status_code == 422 and expected in refused.get_data(as_text=True)
    assert _state(session, item, contract) == before


def test_only_the_contracted_organization_accepts(app, session, unaccepted):
    item, contract, _ = unaccepted
    before = _state(session, item, contract)
    other = _client(app, "zh", "org")
    assert other.post(f"/contracts/{contract.id}/accept",
                      data={"confirm": "y", "password": PASSWORD}).status_code == 404
    assert _client(app, "zh", "dept").post(
        f"/contracts/{contract.id}/accept",
        data={"confirm": "y", "password": PASSWORD}).status_code == 403
    assert _state(session, item, contract) == before


# --- the signing period: thirty days from the award notice --------------------------------

def _day(tender, n: int, hour: int) -> dt.datetime:
    """``hour`` o'clock Beijing time on day ``n`` after the award notice's day."""
    day = to_local(tender.awarded_at).date() + dt.timedelta(days=n)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def test_signing_on_day_30_is_allowed(app, session, signable, clock):
    _, tender, _ = signable
    clock.travel(_day(tender, 30, 23))
    response = _client(app, "zh", "dept").post(f"/contracts/sign/{tender.id}",
                                               data=SCHEDULE | TERMS)
    assert response.status_code == 302
    contract = session.scalar(select(Contract).where(Contract.tender_id == tender.id))
    assert contract is not None and contract.written


@pytest.mark.parametrize("language,expected", [
    ("zh", "合同应当自中标通知书发出之日起30日内"),
    ("en", "The contract had to be signed within 30 days of the award notice")])
def test_signing_on_day_31_is_refused(app, session, signable, clock, language, expected):
    item, tender, _ = signable
    clock.travel(_day(tender, 31, 0))
    before = _state(session, item)
    client = _client(app, language, "dept")
    page = client.get(f"/contracts/sign/{tender.id}").get_data(as_text=True)
    assert expected in page and 'name="percent-1"' not in page
    response = client.post(f"/contracts/sign/{tender.id}", data=SCHEDULE | TERMS)
    assert response.status_code == 409 and expected in response.get_data(as_text=True)
    assert _state(session, item) == before
    session.refresh(tender)
    assert tender.status == TenderStatus.AWARDED


def test_acceptance_after_day_30_is_refused(app, session, unaccepted, clock):
    item, contract, contractor = unaccepted
    clock.travel(_day(contract.tender, 30, 23))
    before = _state(session, item, contract)
    client = _client(app, "zh", contractor.username)
    late = _day(contract.tender, 31, 0)
    clock.travel(late)
    refused = client.post(f"/contracts/{contract.id}/accept",
                          data={"confirm": "y", "password": PASSWORD})
    assert refused.status_code == 409 and "30日内" in refused.get_data(as_text=True)
    assert _state(session, item, contract) == before


# --- the term: one year, or up to three when marked with a reason -------------------------

@pytest.fixture
def on_time(signable, clock):
    item, tender, bidders = signable
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    return item, tender


def _sign(app, tender, language="zh", **terms):
    return _client(app, language, "dept").post(f"/contracts/sign/{tender.id}",
                                               data=SCHEDULE | TERMS | terms)


@pytest.mark.parametrize("end", ["2028-12-31"])
def test_a_one_year_term_is_signed(app, session, on_time, end):
    _, tender = on_time
    assert _sign(app, tender, term_end=end).status_code == 302
    contract = session.scalar(select(Contract).where(Contract.tender_id == tender.id))
    assert (contract.term_start, contract.term_end) == (dt.date(2028, 1, 1),
                                                        dt.date(2028, 12, 31))
    assert contract.long_term_reason is None


@pytest.mark.parametrize("language,end,expected", [
    ("zh", "2029-01-01", "合同履行期限最长为12个月"),
    ("en", "2029-01-31", "A contract term is at most 12 months unless the service is marked"),
])
def test_a_term_over_one_year_without_the_mark_is_refused(app, session, on_time, language,
                                                          end, expected):
    item, tender = on_time
    before = _state(session, item)
    response = _sign(app, tender, language, term_end=end)
    assert response.status_code == 422 and expected in response.get_data(as_text=True)
    assert _state(session, item) == before
    assert session.scalar(select(Contract).where(Contract.tender_id == tender.id)) is None


@pytest.mark.parametrize("language,expected", [
    ("zh", "请说明本服务符合履行期限超过12个月条件的理由"),
    ("en", "Give the reason why the service meets the conditions")])
def test_the_mark_needs_a_reason(app, session, on_time, language, expected):
    item, tender = on_time
    before = _state(session, item)
    response = _sign(app, tender, language, term_end="2029-01-31", long_term="y")
    assert response.status_code == 422 and expected in response.get_data(as_text=True)
    assert _state(session, item) == before


def test_thirteen_months_marked_with_a_reason_is_signed_and_recorded(app, session, on_time):
    _, tender = on_time
    reason = "社区治理服务内容相对固定、连续性强，经费已列入三年滚动预算"
    assert _sign(app, tender, term_end="2029-01-31", long_term="y",
                 long_term_reason=reason).status_code == 302
    contract = session.scalar(select(Contract).where(Contract.tender_id == tender.id))
    assert contract.long_term_reason == reason and contract.term_end == dt.date(2029, 1, 31)
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "contract", AuditEntry.object_id == contract.id,
        AuditEntry.action == "sign"))
    assert reason in entry.reason


def test_three_years_marked_is_the_limit(app, session, on_time):
    item, tender = on_time
    marked = {"long_term": "y", "long_term_reason": "内容固定、连续性强"}
    before = _state(session, item)
    for language, expected in (("zh", "最长也不得超过36个月"),
                               ("en", "A contract term is at most 36 months, even for")):
        response = _sign(app, tender, language, term_end="2031-01-01", **marked)
        assert response.status_code == 422 and expected in response.get_data(as_text=True)
        assert _state(session, item) == before
    assert _sign(app, tender, term_end="2030-12-31", **marked).status_code == 302


# --- the pages in each state, in both languages -------------------------------------------

@pytest.mark.parametrize("language", ["zh", "en"])
def test_pages_in_each_state_in_both_languages(app, session, unaccepted, language):
    _, contract, contractor = unaccepted
    org = contractor.username
    pages = [(None, f"/contracts/{contract.id}"), ("dept", f"/contracts/{contract.id}"),
             (org, f"/contracts/{contract.id}"), (org, f"/contracts/{contract.id}/accept"),
             ("auditor", f"/contracts/{contract.id}/verify"), (org, "/contracts/work")]
    # Signed, awaiting acceptance.
    assert untranslated(app, session, pages, language) == []
    awaiting = {"zh": "待承接方签章确认", "en": "awaiting the organization's acceptance"}
    work = _client(app, language, org).get("/contracts/work").get_data(as_text=True)
    assert awaiting[language] in work.replace("&#39;", "'")
    html = _client(app, language, org).get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert 'data-state="awaiting"' in html and f"/contracts/{contract.id}/accept" in html
    public = app.test_client().get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "contract.pdf" not in public  # not published yet
    # Accepted: in effect and published.
    assert _client(app, language, org).post(
        f"/contracts/{contract.id}/accept",
        data={"confirm": "y", "password": PASSWORD}).status_code == 302
    assert untranslated(app, session, pages[:3] + [(None, f"/contracts/{contract.id}/verify"),
                                                   (org, f"/contracts/{contract.id}/accept")],
                        language) == []
    work = _client(app, language, org).get("/contracts/work").get_data(as_text=True)
    assert awaiting[language] not in work.replace("&#39;", "'")
    public = _client(app, language).get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert 'data-state="accepted"' in public and "contract.pdf" in public
    session.refresh(contract)
    assert to_local(contract.published_at).strftime("%Y-%m-%d %H:%M") in public
    assert app.test_client().get(f"/contracts/{contract.id}/contract.pdf").status_code == 200


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_unsigned_state_shows_the_written_contract_form(app, session, on_time, language):
    _, tender = on_time
    html = _client(app, language, "dept").get(f"/contracts/sign/{tender.id}") \
        .get_data(as_text=True)
    assert 'name="term_end"' in html and 'name="liabilities"' in html
    assert untranslated(app, session, [("dept", f"/contracts/sign/{tender.id}")],
                        language) == []
