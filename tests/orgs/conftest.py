"""Factories for the registry tests: valid credit codes, form data, users, organizations."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from market.accounts.models import Town, User
from market.accounts.permissions import Role
from market.accounts.services import create_user
from market.auditlog.models import AuditEntry
from market.documents.models import Document
from market.orgs import credit_code
from market.orgs.demo import minimal_pdf
from market.orgs.models import AnnualReport, Application, DepartureAudit, Organization

PDF = minimal_pdf("test document")
PASSWORD = "long-enough-1"


def code(n: int, type_char: str = "2") -> str:
    """A valid credit code issued by civil affairs in Kunshan (type 2: social service)."""
    return credit_code.build("5", type_char, "320583", f"MA1{n:05d}")


def wrong_check(value: str) -> str:
    """The same code with a wrong check character."""
    return value[:17] + ("0" if value[17] != "0" else "1")


def town_id(session, town_code: str = "YS") -> int:
    return session.scalar(select(Town.id).where(Town.code == town_code))


def registration_form(session, **overrides) -> dict:
    data = {
        "name": "昆山市测试公益服务中心", "credit_code": code(1), "legal_form": "social_service",
        "category": "charity", "industry_code": "", "town_id": str(town_id(session)),
        "legal_representative": "王小明", "contact_name": "李四",
        "contact_phone": "0512-57001234", "office_address": "玉山镇前进路1号",
        "bank_name": "中国银行昆山分行", "bank_account": "6216 6100 0001 2345",
        "supervising_unit": "", "no_official_declared": "y", "party_org_established": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def filing_form(session, town: str = "YS", **overrides) -> dict:
    data = {
        "name": "玉山镇测试社区文体队", "category": "community", "town_id": str(town_id(session, town)),
        "legal_representative": "赵大妈", "contact_name": "赵大妈",
        "contact_phone": "13800001111", "office_address": "玉山镇朝阳社区活动室",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_user(session, username: str, role: Role = Role.ORGANIZATION, **affiliation) -> User:
    user = create_user(session, username=username, password=PASSWORD, display_name=username,
                       role=role, **affiliation)
    session.commit()
    return user


def counts(session, app=None) -> dict:
    """Row counts of everything a registry action may write (and files on disk)."""
    session.expire_all()
    out = {model.__name__: session.scalar(select(func.count()).select_from(model))
           for model in (Organization, Application, AnnualReport, DepartureAudit, Document,
                         AuditEntry, User)}
    out["linked_users"] = session.scalar(select(func.count()).select_from(User).where(
        User.organization_id.is_not(None)))
    if app is not None:
        folder = Path(app.config["UPLOAD_FOLDER"])
        out["files"] = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
    return out


def trail(session, object_type: str, object_id: int) -> list[tuple]:
    session.expire_all()
    return [(e.action, e.from_state, e.to_state, e.reason) for e in session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == object_type,
                                 AuditEntry.object_id == object_id).order_by(AuditEntry.id))]


class Registry:
    """Drives the registry through HTTP as different users."""

    def __init__(self, app, session):
        self.app, self.session = app, session

    def client_for(self, username: str, password: str = "demo-pass-2026"):
        client = self.app.test_client()
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"login as {username} failed"
        return client

    def applicant(self, username: str = "applicant-x"):
        make_user(self.session, username)
        return self.client_for(username, PASSWORD)

    def apply(self, client, form: dict, kind: str = "registration"):
        return client.post(f"/my/apply/{kind}", data=form, content_type="multipart/form-data")

    def latest_application(self, name: str) -> Application:
        self.session.expire_all()
        return self.session.scalar(select(Application).join(Application.organization)
                                   .where(Organization.name == name)
                                   .order_by(Application.id.desc()))

    def decide(self, client, application: Application, decision: str, reason: str = ""):
        kind = "registration" if application.track.value == "registered" else "filing"
        return client.post(f"/registry/applications/{application.id}/{kind}-decision",
                           data={"decision": decision, "reason": reason})

    def active_org(self, username: str = "applicant-x", **overrides) -> Organization:
        """Sign up, apply and get approved by civil affairs: an active registered org."""
        client = self.applicant(username)
        form = registration_form(self.session, **overrides)
        assert self.apply(client, form).status_code == 302
        application = self.latest_application(form["name"])
        assert self.decide(self.client_for("civil"), application, "approve").status_code == 302
        self.session.expire_all()
        return self.session.get(Organization, application.organization_id)


@pytest.fixture
def registry(app, session, demo):
    return Registry(app, session)
