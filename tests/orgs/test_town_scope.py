"""A town filing officer reads the registry of its own town only (issue 9, finding 5):
lists show only its town's organizations and annual reports; another town's
organization, annual report or document is "not found"."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from market.accounts.models import User
from market.access.permissions import Role
from market.documents.storage import Upload, store_document
from market.orgs.enums import Track
from market.orgs.models import AnnualReport, Organization
from market.accounts.services import create_user
from market.orgs.demo import minimal_pdf
from tests.factories import town_id

PDF = minimal_pdf("test document")


def make_user(session, username, role, **affiliation):
    user = create_user(session, username=username, password="long-enough-1",
                       display_name=username, role=role, **affiliation)
    session.commit()
    return user

LINK = re.compile(r'href="/registry/organizations/(\d+)"')
REPORT = re.compile(r'href="/registry/annual-reports/(\d+)"')


def _all_pages(client, url: str, pattern) -> set[int]:
    found, page = set(), 1
    while True:
        response = client.get(f"{url}{'&' if '?' in url else '?'}page={page}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        found |= {int(i) for i in pattern.findall(html)}
        if f"page={page + 1}" not in html:
            return found
        page += 1


@pytest.fixture
def towns(app, registry, session):
    """The demo town officer of 玉山镇 (YS); the organizations of YS and of the others."""
    officer = session.scalar(select(User).where(User.username == "town"))
    ys = town_id(session, "YS")
    assert officer.town_id == ys
    orgs = list(session.scalars(select(Organization)))
    mine = {o.id for o in orgs if o.town_id == ys}
    others = [o for o in orgs if o.town_id != ys]
    assert mine and others
    return officer, mine, others


def test_the_registry_list_shows_only_the_officers_town(registry, session, towns):
    _, mine, others = towns
    client = registry.client_for("town")
    listed = _all_pages(client, "/registry/", LINK)
    assert listed == mine
    other_town = others[0].town_id
    assert _all_pages(client, f"/registry/?town={other_town}", LINK) == set()
    assert _all_pages(client, "/registry/?q=昆山市", LINK) <= mine
    # Civil affairs still reads every town.
    assert _all_pages(registry.client_for("civil"), "/registry/", LINK) == (
        mine | {o.id for o in others})


def test_another_towns_organization_is_not_found(registry, session, towns):
    _, mine, others = towns
    client = registry.client_for("town")
    for org in others:
        response = client.get(f"/registry/organizations/{org.id}")
        assert response.status_code == 404, org.name
        html = response.get_data(as_text=True)
        for secret in (org.name, org.contact_phone, org.bank_account):
            assert not secret or secret not in html
    for org_id in mine:
        assert client.get(f"/registry/organizations/{org_id}").status_code == 200


def test_annual_reports_of_another_town_are_neither_listed_nor_readable(registry, session,
                                                                        towns):
    _, mine, others = towns
    reports = list(session.scalars(select(AnnualReport)))
    own = {r.id for r in reports if r.organization_id in mine}
    foreign = [r for r in reports if r.organization_id not in mine]
    assert foreign
    client = registry.client_for("town")
    for pending in ("1", "0"):
        listed = _all_pages(client, f"/registry/annual-reports/?pending={pending}", REPORT)
        assert listed <= own and not listed & {r.id for r in foreign}
    assert _all_pages(client, "/registry/annual-reports/?pending=0", REPORT) == own
    for report in foreign:
        assert client.get(f"/registry/annual-reports/{report.id}").status_code == 404
    civil = _all_pages(registry.client_for("civil"), "/registry/annual-reports/?pending=0",
                       REPORT)
    assert civil == {r.id for r in reports}


def test_another_towns_documents_are_not_found(app, registry, session, towns):
    officer, mine, others = towns
    filed_elsewhere = next(o for o in others if o.track == Track.FILED)
    registered_elsewhere = next(o for o in others if o.track == Track.REGISTERED)
    filed_here = session.scalar(select(Organization).where(
        Organization.id.in_(mine), Organization.track == Track.FILED))
    civil = session.scalar(select(User).where(User.username == "civil"))
    with app.app_context():
        docs = {org.id: store_document(session, Upload("证明.pdf", PDF), owner_type="organization",
                                       owner_id=org.id, purpose="prior_approval", actor=civil)
                for org in (filed_elsewhere, registered_elsewhere, filed_here)}
        session.commit()
    client = registry.client_for("town")
    assert client.get(f"/documents/{docs[filed_elsewhere.id].id}").status_code == 404
    assert client.get(f"/documents/{docs[registered_elsewhere.id].id}").status_code == 404
    assert client.get(f"/documents/{docs[filed_here.id].id}").status_code == 200
    # An officer of another town reads none of YS's.
    make_user(session, "bacheng-officer", Role.TOWN_OFFICER, town_id=town_id(session, "BC"))
    other = registry.client_for("bacheng-officer", "long-enough-1")
    assert other.get(f"/documents/{docs[filed_here.id].id}").status_code == 404
    assert other.get(f"/registry/organizations/{filed_here.id}").status_code == 404
