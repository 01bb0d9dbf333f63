"""Uploaded documents: judged by content, stored privately, served only as attachments."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from market.documents.models import Document
from market.documents.storage import (DocumentStore, FileTooLarge, FileTypeRefused, Upload,
                                      detect_type, store_document)
from tests.factories import PDF, filing_form, registration_form
from tests.probes import registry_counts

HTML = b"<!doctype html><html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def _office(inner: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr(f"{inner}/document.xml", "<x/>")
    return buf.getvalue()


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize("data, mime", [
    (PDF, "application/pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
    (_office("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (_office("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (HTML, None), (EXE, None), (_plain_zip(), None), (b"%!PS-Adobe", None), (b"just text", None),
])
def test_types_are_judged_by_content(data, mime):
    assert detect_type(data) == mime


def _other_category(session, data: bytes, filename: str) -> dict:
    form = registration_form(session, category="other", supervising_unit="昆山市文体广电和旅游局")
    form["prior_approval"] = (io.BytesIO(data), filename)
    return form


@pytest.mark.parametrize("data, filename", [(HTML, "批复.pdf"), (EXE, "approval.pdf"),
                                            (_plain_zip(), "approval.docx")])
def test_a_disguised_file_is_refused_and_nothing_is_stored(app, registry, session, data,
                                                          filename):
    client = registry.applicant()
    before = registry_counts(session, app)
    response = registry.apply(client, _other_category(session, data, filename))
    assert response.status_code == 415
    assert "按文件内容而非文件名判断" in response.get_data(as_text=True)
    assert registry_counts(session, app) == before


def test_an_oversized_file_is_refused_and_nothing_is_stored(app, registry, session):
    app.config["MAX_UPLOAD_BYTES"] = 1024
    client = registry.applicant()
    before = registry_counts(session, app)
    big = PDF + b"%" + b"x" * 2048
    response = registry.apply(client, _other_category(session, big, "批复.pdf"))
    assert response.status_code == 413
    assert "1024" not in response.get_data(as_text=True)
    assert "大小限制" in response.get_data(as_text=True)
    assert registry_counts(session, app) == before


def test_a_failed_transaction_removes_its_file(app, session, demo, tmp_path):
    store = DocumentStore(tmp_path / "up", 1 << 20)
    doc = store_document(session, Upload("a.pdf", PDF), owner_type="organization", owner_id=1,
                         purpose="test", actor=None, store=store)
    path = store.path_of(doc.stored_name)
    assert path.read_bytes() == PDF
    session.rollback()
    assert not path.exists()
    doc = store_document(session, Upload("a.pdf", PDF), owner_type="organization", owner_id=1,
                         purpose="test", actor=None, store=store)
    session.commit()
    assert store.path_of(doc.stored_name).exists()


def test_store_refuses_before_writing(tmp_path, app):
    store = DocumentStore(tmp_path / "up", 100)
    with app.test_request_context():
        with pytest.raises(FileTooLarge):
            store_document(None, Upload("a.pdf", PDF), owner_type="x", owner_id=1,
                           purpose="t", actor=None, store=store)
        with pytest.raises(FileTypeRefused):
            store_document(None, Upload("a.pdf", HTML), owner_type="x", owner_id=1,
                           purpose="t", actor=None, store=DocumentStore(tmp_path, 1 << 20))
    assert not (tmp_path / "up").exists()


@pytest.fixture
def prior_approval(app, registry, session):
    """An 'other' category application with its prior-approval PDF, by user applicant-x."""
    client = registry.applicant()
    assert registry.apply(client, _other_category(session, PDF, "批复<script>.html")
                          ).status_code == 302
    doc = session.scalar(select(Document).where(Document.purpose == "prior_approval")
                         .order_by(Document.id.desc()).limit(1))
    return client, doc


def test_the_file_is_stored_privately_under_a_random_name(app, prior_approval):
    _, doc = prior_approval
    upload_root = Path(app.config["UPLOAD_FOLDER"])
    stored = upload_root / doc.stored_name[:2] / doc.stored_name
    assert stored.read_bytes() == PDF
    assert doc.sha256 == hashlib.sha256(PDF).hexdigest() and doc.size == len(PDF)
    assert "批复" not in doc.stored_name and not doc.stored_name.endswith(".html")
    assert "static" not in str(upload_root)


def test_download_headers(prior_approval):
    client, doc = prior_approval
    response = client.get(f"/documents/{doc.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert ".pdf" in disposition and ".html" not in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("who, allowed", [
    ("civil", True), ("auditor", True), ("org", False), ("finance", False), ("town", False),
    ("dept", False), ("expert", False),
])
def test_download_authorization(registry, prior_approval, who, allowed):
    _, doc = prior_approval
    response = registry.client_for(who).get(f"/documents/{doc.id}")
    assert response.status_code == (200 if allowed else 404)


def test_anonymous_download_goes_to_login(app, prior_approval):
    _, doc = prior_approval
    response = app.test_client().get(f"/documents/{doc.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_members_of_the_approved_organization_may_download(registry, session, prior_approval):
    client, doc = prior_approval
    application = registry.latest_application("昆山市测试公益服务中心")
    registry.decide(registry.client_for("civil"), application, "approve")
    assert client.get(f"/documents/{doc.id}").status_code == 200
    assert registry.client_for("org").get(f"/documents/{doc.id}").status_code == 404


def test_the_reviewing_town_officer_may_read_a_filed_organizations_documents(
        app, registry, session):
    from market.documents.access import can_read
    from market.accounts.models import User
    from market.orgs.models import Organization

    client = registry.applicant()
    registry.apply(client, filing_form(session), kind="filing")
    org = session.scalar(select(Organization).where(Organization.name == "玉山镇测试社区文体队"))
    doc = store_document(session, Upload("a.pdf", PDF), owner_type="organization",
                         owner_id=org.id, purpose="test", actor=None,
                         store=DocumentStore(None, 1 << 20))
    town = session.scalar(select(User).where(User.username == "town"))
    assert can_read(session, town, doc)
    town.town_id = town.town_id + 1
    assert not can_read(session, town, doc)
