"""Complaints (投诉举报) through HTTP: filed anonymously, tracked by code, routed by civil
affairs, answered by the department, published without the complainant's identity;
overdue ones flagged to civil affairs and auditors; every refusal changes nothing."""
from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from sqlalchemy import func, select

from market.access.permissions import Role
from market.accounts.models import Department
from market.auditlog.models import AuditEntry
from market.clock import today_local
from market.complaints import queries
from market.complaints.forms import form_token
from market.complaints.models import Complaint, ComplaintStatus, Outcome
from market.documents.models import Document, OwnerType
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization
from market.tenders.models import Tender
from tests.factories import PASSWORD, PDF, UserFactory, user
from tests.probes import row_counts

NAME = "赵测试人"
PHONE = "13912345678"
TEXT = "招标文件要求的服务人数与采购需求不一致，无法据此编制投标文件。"


def client_for(app, username: str | None, language: str = "zh"):
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    if username:
        assert client.post("/login", data={"username": username,
                                           "password": PASSWORD}).status_code == 302
        client.post(f"/language/{language}", data={"next": "/"})
        client.get("/")
    return client


def served(app, seconds_ago: int = 60) -> str:
    with app.test_request_context():
        return form_token(time.time() - seconds_ago)


def form(app, subject_kind: str, subject_id, **overrides) -> dict:
    data = {"subject_kind": subject_kind, "subject_id": str(subject_id), "text": TEXT,
            "anonymous": "y", "served": served(app), "website": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def file(app, client, subject_kind, subject_id, **overrides):
    return client.post("/complaints/new", data=form(app, subject_kind, subject_id, **overrides),
                       content_type="multipart/form-data")


def tracking_code(client) -> str:
    html = client.get("/complaints/filed").get_data(as_text=True)
    found = re.search(r'class="tracking-code">([A-Z0-9-]+)<', html)
    assert found, html
    return found.group(1)


def dept_tender(session) -> Tender:
    """A published demo tender of the demo department user's department (卫健委)."""
    dept = user(session, "dept")
    tender = session.scalar(select(Tender).where(Tender.published_at.is_not(None),
                                                 Tender.department_id == dept.department_id)
                            .order_by(Tender.id))
    assert tender is not None
    return tender


def active_org(session) -> Organization:
    return session.scalar(select(Organization).where(Organization.status == OrgStatus.ACTIVE)
                          .order_by(Organization.id))


def count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Complaint.id)))


def latest(session) -> Complaint:
    session.expire_all()
    return session.scalar(select(Complaint).order_by(Complaint.id.desc()))


# --- the whole lifecycle ----------------------------------------------------------------

def test_lifecycle_anonymous_filing_to_public_outcome(app, demo, session, clock):
    tender = dept_tender(session)
    public = client_for(app, None, "en")
    r = file(app, public, "tender", tender.id)
    assert r.status_code == 302 and r.headers["Location"].endswith("/complaints/filed")
    code = tracking_code(public)
    assert len(code.replace("-", "")) == 12
    assert public.get("/complaints/filed").status_code == 302  # shown once only
    complaint = latest(session)
    assert complaint.status == ComplaintStatus.FILED and complaint.anonymous
    assert complaint.subject_title == tender.title
    assert code.replace("-", "") not in complaint.tracking_hash  # kept hashed only
    # 30 working days from the filing (on the working-day calendar)
    assert (complaint.due_at - complaint.filed_at).days >= 30 + 2 * 5

    # Tracked without logging in (the code typed with spaces and in lower case)
    r = public.post("/complaints/track", data={"code": code.replace("-", " ").lower()})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Received, waiting to be routed" in html and tender.title in html
    assert public.post("/complaints/track", data={"code": "AAAA-BBBB-CCCC"}).status_code == 404

    # Civil affairs routes it; the default is the tender's department
    civil = client_for(app, "civil", "en")
    page = civil.get(f"/complaints/work/{complaint.id}").get_data(as_text=True)
    assert f'<option selected value="{tender.department_id}"' in page \
        or f'value="{tender.department_id}" selected' in page
    assert civil.get("/complaints/work").get_data(as_text=True).count(
        f"/complaints/work/{complaint.id}\"") == 1
    r = civil.post(f"/complaints/work/{complaint.id}/route",
                   data={"department_id": str(tender.department_id)})
    assert r.status_code == 302
    complaint = latest(session)
    assert complaint.status == ComplaintStatus.ROUTED
    assert complaint.department_id == tender.department_id

    # The department answers it
    dept = client_for(app, "dept", "en")
    assert f"/complaints/work/{complaint.id}\"" in dept.get("/complaints/work").get_data(
        as_text=True)
    finding = "采购需求已更正，服务人数统一为200人，更正公告已发布。"
    r = dept.post(f"/complaints/work/{complaint.id}/respond",
                  data={"outcome": "partly_upheld", "finding": finding})
    assert r.status_code == 302
    complaint = latest(session)
    assert complaint.status == ComplaintStatus.ANSWERED
    assert complaint.outcome == Outcome.PARTLY_UPHELD

    # Public outcome, and the tracker sees it too
    html = public.get("/complaints/").get_data(as_text=True)
    assert finding in html and "Partly upheld" in html and tender.title in html
    html = public.post("/complaints/track", data={"code": code}).get_data(as_text=True)
    assert finding in html and "Answered" in html

    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "complaint", AuditEntry.object_id == complaint.id)
        .order_by(AuditEntry.id)).all()
    assert actions == ["file", "route", "respond"]


def test_civil_affairs_answers_complaints_about_organizations(app, demo, session, clock):
    org = active_org(session)
    public = client_for(app, None)
    assert file(app, public, "organization", org.id).status_code == 302
    complaint = latest(session)
    assert complaint.organization_id == org.id and complaint.subject_department_id is None
    civil = client_for(app, "civil")
    assert civil.post(f"/complaints/work/{complaint.id}/route",
                      data={"department_id": "0"}).status_code == 302
    assert latest(session).department_id is None
    # A department cannot answer what civil affairs handles
    dept = client_for(app, "dept")
    assert dept.post(f"/complaints/work/{complaint.id}/respond",
                     data={"outcome": "upheld", "finding": "x" * 20}).status_code == 404
    assert latest(session).status == ComplaintStatus.ROUTED
    assert civil.post(f"/complaints/work/{complaint.id}/respond",
                      data={"outcome": "upheld", "finding": "经核查属实，已责令整改。"}
                      ).status_code == 302
    session.expire_all()
    upheld = queries.upheld_against(session, org.id)
    assert complaint.id in [c.id for c in upheld]
    assert all(c.outcome in (Outcome.UPHELD, Outcome.PARTLY_UPHELD) for c in upheld)
    # ... and it is on the organization's credit record (信用记录), publicly, without the
    # complainant
    [entry] = credit_entries(session, complaint)
    assert entry.organization_id == org.id and entry.public
    profile = client_for(app, None).get(f"/organizations/{org.id}").get_data(as_text=True)
    assert complaint.subject_title in profile


def test_not_upheld_is_not_held_against_the_organization(app, demo, session, clock):
    org = active_org(session)
    before = [c.id for c in queries.upheld_against(session, org.id)]
    assert file(app, client_for(app, None), "organization", org.id).status_code == 302
    complaint = latest(session)
    civil = client_for(app, "civil")
    civil.post(f"/complaints/work/{complaint.id}/route", data={"department_id": "0"})
    assert civil.post(f"/complaints/work/{complaint.id}/respond",
                      data={"outcome": "not_upheld", "finding": "经核查，服务记录完整。"}
                      ).status_code == 302
    assert [c.id for c in queries.upheld_against(session, org.id)] == before
    assert credit_entries(session, complaint) == []


def credit_entries(session, complaint):
    from market.credit.models import CreditEntry

    session.expire_all()
    return list(session.scalars(select(CreditEntry).where(
        CreditEntry.source_room == "complaints", CreditEntry.source_id == complaint.id)))


def test_dismissed_as_out_of_scope_with_a_reason(app, demo, session, clock):
    tender = dept_tender(session)
    assert file(app, client_for(app, None), "tender", tender.id).status_code == 302
    complaint = latest(session)
    civil = client_for(app, "civil", "en")
    r = civil.post(f"/complaints/work/{complaint.id}/dismiss", data={"reason": ""})
    assert r.status_code == 400 and latest(session).status == ComplaintStatus.FILED
    reason = "属于劳动争议，应向人社部门反映。"
    assert civil.post(f"/complaints/work/{complaint.id}/dismiss",
                      data={"reason": reason}).status_code == 302
    assert latest(session).status == ComplaintStatus.DISMISSED
    assert reason not in client_for(app, None).get("/complaints/").get_data(as_text=True)
    # A closed complaint is neither routed nor answered any more
    r = civil.post(f"/complaints/work/{complaint.id}/route",
                   data={"department_id": str(tender.department_id)})
    assert r.status_code == 409 and latest(session).status == ComplaintStatus.DISMISSED


# --- overdue ----------------------------------------------------------------------------

def test_overdue_complaint_is_flagged_to_civil_affairs_and_auditors(app, demo, session,
                                                                    clock):
    tender = dept_tender(session)
    clock.travel(dt.datetime(2030, 3, 4, 2, 0, tzinfo=dt.UTC))  # Monday 10:00 in Beijing
    assert file(app, client_for(app, None), "tender", tender.id).status_code == 302
    complaint = latest(session)
    # 30 working days from Monday 4 March 2030: Monday 15 April (no holiday recorded)
    due_day = dt.date(2030, 4, 15)
    assert complaint.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == due_day
    civil = client_for(app, "civil", "en")
    civil.post(f"/complaints/work/{complaint.id}/route",
               data={"department_id": str(tender.department_id)})

    assert complaint.id not in [c.id for c in queries.overdue(session, on=due_day)]
    assert complaint.id in [c.id for c in queries.overdue(
        session, on=due_day + dt.timedelta(days=1))]

    clock.travel(dt.datetime(2030, 4, 15, 15, 0, tzinfo=dt.UTC))  # 23:00 on the due day
    overdue_section = civil.get("/complaints/work").get_data(as_text=True).split(
        'id="overdue"')[1].split("</section>")[0]
    assert f"/complaints/work/{complaint.id}\"" not in overdue_section

    clock.travel(dt.datetime(2030, 4, 16, 1, 0, tzinfo=dt.UTC))  # the next morning
    assert complaint.id in [c.id for c in queries.overdue(session)]
    for who in ("civil", "auditor"):
        c = client_for(app, who, "en")
        page = c.get("/complaints/work").get_data(as_text=True)
        section = page.split('id="overdue"')[1].split("</section>")[0]
        assert f"/complaints/work/{complaint.id}\"" in section, who
        assert "Overdue" in c.get(f"/complaints/work/{complaint.id}").get_data(as_text=True)
        home = c.get("/home").get_data(as_text=True)
        assert "Overdue complaints" in home, who
    # An answer, even late, takes it off the list
    dept = client_for(app, "dept")
    assert dept.post(f"/complaints/work/{complaint.id}/respond",
                     data={"outcome": "not_upheld", "finding": "采购需求前后一致，投诉不成立。"}
                     ).status_code == 302
    assert complaint.id not in [c.id for c in queries.overdue(session)]


def test_holidays_on_the_working_day_calendar_push_the_due_date(app, demo, session, clock):
    from market.tenders.models import CalendarDay

    session.add(CalendarDay(day=dt.date(2030, 3, 5), is_workday=False, note="测试假日"))
    session.commit()
    clock.travel(dt.datetime(2030, 3, 4, 2, 0, tzinfo=dt.UTC))
    assert file(app, client_for(app, None), "tender", dept_tender(session).id
                ).status_code == 302
    due = latest(session).due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert due == dt.date(2030, 4, 16)


# --- refusals: nothing changes ----------------------------------------------------------

@pytest.mark.parametrize("language, message", [
    ("en", "There is no public organization, tender, contract or payment with this number"),
    ("zh", "没有此编号的公开社会组织、招标项目、合同或付款"),
])
def test_bad_subject_is_refused(app, demo, session, clock, language, message):
    before = count(session)
    client = client_for(app, None, language)
    draft = session.scalar(select(Tender.id).where(Tender.published_at.is_(None)))
    for kind, sid in (("tender", 999999), ("tender", draft), ("contract", 999999),
                      ("payment", 999999), ("organization", 999999)):
        if sid is None:
            continue
        r = file(app, client, kind, sid)
        assert r.status_code == 422, (kind, sid)
        assert message in r.get_data(as_text=True)
    assert count(session) == before


@pytest.mark.parametrize("language, message", [
    ("en", "could not be accepted"), ("zh", "无法受理"),
])
def test_honeypot_is_refused(app, demo, session, language, message):
    before = count(session)
    r = file(app, client_for(app, None, language), "organization", active_org(session).id,
             website="http://spam.example")
    assert r.status_code == 400 and message in r.get_data(as_text=True)
    assert count(session) == before


@pytest.mark.parametrize("language, message", [
    ("en", "sent too quickly"), ("zh", "提交过快"),
])
def test_too_fast_is_refused(app, demo, session, language, message):
    before = count(session)
    client = client_for(app, None, language)
    r = file(app, client, "organization", active_org(session).id, served=served(app, 0))
    assert r.status_code == 400 and message in r.get_data(as_text=True)
    r = file(app, client, "organization", active_org(session).id, served="forged")
    assert r.status_code == 400
    assert count(session) == before


def test_the_form_page_carries_a_fresh_signed_time_and_a_hidden_honeypot(app, demo,
                                                                         session):
    html = client_for(app, None).get(
        f"/complaints/new?kind=organization&id={active_org(session).id}").get_data(
        as_text=True)
    assert 'name="served"' in html and 'class="hp-field"' in html
    assert f'value="{active_org(session).id}"' in html


@pytest.mark.parametrize("language, message", [
    ("en", "Too many complaints were filed from here"), ("zh", "投诉过多"),
])
def test_rate_limit_per_address_and_browser(app, demo, session, language, message):
    org = active_org(session)
    client = client_for(app, None, language)
    before = count(session)
    for _ in range(5):
        assert file(app, client, "organization", org.id).status_code == 302
    r = file(app, client, "organization", org.id)
    assert r.status_code == 429 and message in r.get_data(as_text=True)
    assert count(session) == before + 5
    # Another browser from the same address is limited too
    assert file(app, app.test_client(), "organization", org.id).status_code == 429
    assert count(session) == before + 5


def test_csrf_is_required(csrf_app, demo, session):
    before = count(session)
    r = file(csrf_app, csrf_app.test_client(), "organization", active_org(session).id)
    assert r.status_code == 400
    assert count(session) == before


@pytest.mark.parametrize("language, message", [
    ("en", "Only the department this complaint was routed to answers it"),
    ("zh", "只有受理此投诉的部门可以答复"),
])
def test_response_by_the_wrong_department_is_refused(app, demo, session, clock, language,
                                                    message):
    tender = dept_tender(session)
    assert file(app, client_for(app, None), "tender", tender.id).status_code == 302
    complaint = latest(session)
    civil = client_for(app, "civil", language)
    civil.post(f"/complaints/work/{complaint.id}/route",
               data={"department_id": str(tender.department_id)})
    other = session.scalar(select(Department).where(Department.id != tender.department_id,
                                                    Department.is_finance.is_(False)))
    UserFactory(role=Role.DEPARTMENT, department=other, username="other-dept")
    session.commit()
    entries = session.scalar(select(func.count(AuditEntry.id)))
    data = {"outcome": "upheld", "finding": "另一个部门的答复，不应被接受。"}
    assert client_for(app, "other-dept", language).post(
        f"/complaints/work/{complaint.id}/respond", data=data).status_code == 404
    # Civil affairs reads it but does not answer for the department
    r = civil.post(f"/complaints/work/{complaint.id}/respond", data=data)
    assert r.status_code == 403 and message in r.get_data(as_text=True)
    # An organization user may not even reach the page
    assert client_for(app, "org").post(f"/complaints/work/{complaint.id}/respond",
                                       data=data).status_code == 403
    after = latest(session)
    assert after.status == ComplaintStatus.ROUTED and after.finding is None
    assert session.scalar(select(func.count(AuditEntry.id))) == entries


# --- identity and attachments -----------------------------------------------------------

def test_the_complainant_is_never_shown_in_public(app, demo, session, clock):
    org = active_org(session)
    public = client_for(app, None)
    r = file(app, public, "organization", org.id, anonymous=None, contact_name=NAME,
             contact_phone=PHONE)
    assert r.status_code == 302
    code = tracking_code(public)
    complaint = latest(session)
    assert not complaint.anonymous
    civil = client_for(app, "civil")
    civil.post(f"/complaints/work/{complaint.id}/route", data={"department_id": "0"})
    civil.post(f"/complaints/work/{complaint.id}/respond",
               data={"outcome": "upheld", "finding": "经核查，投诉事项属实。"})
    assert latest(session).status == ComplaintStatus.ANSWERED

    secrets_ = (NAME, PHONE, code, code.replace("-", ""))
    for language in ("zh", "en"):
        anyone = client_for(app, None, language)
        pages = ["/", "/complaints/", "/complaints/track", "/organizations/",
                 f"/organizations/{org.id}", "/complaints/new", "/rules"]
        for path in pages:
            html = anyone.get(path).get_data(as_text=True)
            assert all(s not in html for s in secrets_), path
        # The outcome is on the organization's public profile, the person is not
        profile = anyone.get(f"/organizations/{org.id}").get_data(as_text=True)
        assert "经核查，投诉事项属实。" in profile
        html = anyone.post("/complaints/track", data={"code": code}).get_data(as_text=True)
        assert "经核查，投诉事项属实。" in html
        assert NAME not in html and PHONE not in html
    # Civil affairs sees the contact; auditors check the handling, not the person
    assert PHONE in civil.get(f"/complaints/work/{complaint.id}").get_data(as_text=True)
    auditor = client_for(app, "auditor")
    assert PHONE not in auditor.get(f"/complaints/work/{complaint.id}").get_data(
        as_text=True)
    for reader in (civil, auditor):
        log = reader.get("/audit-log/?object_type=complaint").get_data(as_text=True)
        assert PHONE not in log and NAME not in log
    assert session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.reason.contains(PHONE))) == 0


def test_name_without_contact_is_refused_unless_anonymous(app, demo, session):
    before = count(session)
    r = file(app, client_for(app, None, "en"), "organization", active_org(session).id,
             anonymous=None)
    assert r.status_code == 422 and "or file anonymously" in r.get_data(as_text=True)
    assert count(session) == before


def test_attachments_are_read_only_by_civil_affairs_auditors_and_the_department(
        app, demo, session, clock):
    tender = dept_tender(session)
    public = client_for(app, None)
    data = form(app, "tender", tender.id)
    data["attachments"] = [(io.BytesIO(PDF), "evidence.pdf")]
    r = public.post("/complaints/new", data=data, content_type="multipart/form-data")
    assert r.status_code == 302
    complaint = latest(session)
    doc = session.scalar(select(Document).where(Document.owner_type == OwnerType.COMPLAINT,
                                                Document.owner_id == complaint.id))
    assert doc is not None and doc.uploaded_by_id is None
    url = f"/documents/{doc.id}"
    assert client_for(app, "civil").get(url).status_code == 200
    assert client_for(app, "auditor").get(url).status_code == 200
    assert client_for(app, "org").get(url).status_code == 404
    assert client_for(app, "dept").get(url).status_code == 404  # not routed to it yet
    assert public.get(url).status_code == 302
    client_for(app, "civil").post(f"/complaints/work/{complaint.id}/route",
                                  data={"department_id": str(tender.department_id)})
    assert client_for(app, "dept").get(url).status_code == 200


def test_too_many_attachments_are_refused(app, demo, session):
    before = row_counts(session, Complaint, Document)
    data = form(app, "organization", active_org(session).id)
    data["attachments"] = [(io.BytesIO(PDF), f"e{n}.pdf") for n in range(4)]
    r = client_for(app, None).post("/complaints/new", data=data,
                                   content_type="multipart/form-data")
    assert r.status_code == 422
    assert row_counts(session, Complaint, Document) == before


# --- pages in both languages ------------------------------------------------------------

@pytest.mark.parametrize("language, words", [
    ("zh", ["投诉举报", "处理结果"]), ("en", ["Complaints and their outcomes", "Outcome"]),
])
def test_public_pages_in_both_languages(app, demo, session, language, words):
    client = client_for(app, None, language)
    html = client.get("/complaints/").get_data(as_text=True)
    assert all(w in html for w in words)
    assert "经民政局核查服务记录" in html  # the demo's upheld complaint
    assert client.get("/complaints/new").status_code == 200
    assert client.get("/complaints/track").status_code == 200


def test_demo_has_an_overdue_and_an_upheld_complaint(app, demo, session):
    assert queries.overdue(session, on=today_local())
    assert any(c.outcome == Outcome.UPHELD for c in session.scalars(select(Complaint)))
