"""Factories for the grade-evaluation tests: organizations, reports, cycles, people."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from sqlalchemy import select

from market.accounts.models import EvaluatorAgency, Town, User
from market.accounts.permissions import Role
from market.accounts.services import create_user
from market.documents.models import Document
from market.orgs.enums import Category, InspectionResult, OrgStatus, Track
from market.orgs.models import AnnualReport, Organization

_seq = itertools.count(1)


class Factory:
    def __init__(self, session):
        self.session = session

    def user(self, role: Role, **affiliation) -> User:
        n = next(_seq)
        user = create_user(self.session, username=f"{role.value}-{n}",
                           password="demo-pass-2026", display_name=f"{role.value}-{n}",
                           role=role, **affiliation)
        self.session.flush()
        return user

    def civil(self) -> User:
        return self.session.scalar(select(User).where(User.username == "civil"))

    def agency(self, name: str | None = None) -> EvaluatorAgency:
        agency = EvaluatorAgency(name=name or f"评估机构{next(_seq)}")
        self.session.add(agency)
        self.session.flush()
        return agency

    def evaluator(self, agency: EvaluatorAgency) -> User:
        return self.user(Role.EVALUATOR, agency_id=agency.id)

    def org(self, registered_on: dt.date = dt.date(2020, 3, 1), *, track=Track.REGISTERED,
            status=OrgStatus.ACTIVE, member: bool = False) -> Organization:
        n = next(_seq)
        town = self.session.scalar(select(Town.id).where(Town.code == "YS"))
        org = Organization(name=f"昆山市测试服务中心{n}", track=track, category=Category.CHARITY,
                           town_id=town, legal_representative="王某", contact_name="李某",
                           contact_phone="0512-0000", office_address="玉山镇1号",
                           status=status, registered_on=registered_on)
        self.session.add(org)
        self.session.flush()
        if member:
            org.member = self.user(Role.ORGANIZATION, organization_id=org.id)
        return org

    def report(self, org: Organization, year: int, result: InspectionResult) -> AnnualReport:
        n = next(_seq)
        doc = Document(owner_type="annual_report", owner_id=0, purpose="audit_report",
                       original_name="a.pdf", stored_name=f"stored-{n}", mimetype="application/pdf",
                       extension="pdf", size=1, sha256="0" * 64)
        self.session.add(doc)
        self.session.flush()
        report = AnnualReport(organization_id=org.id, year=year, income=Decimal("1"),
                              expenditure=Decimal("1"), net_assets=Decimal("1"), staff_count=1,
                              audit_report_id=doc.id, result=result)
        self.session.add(report)
        self.session.flush()
        self.session.expire(org, ["annual_reports"])
        return report


@pytest.fixture
def make(session, demo):
    return Factory(session)
