"""The portal over the full demo: every announcement type appears, each linking to its
object's page; filters and pagination; the payments list; search."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from market.disclosure import queries
from market.disclosure.labels import Kind
from market.tenders.models import Tender, TenderStatus


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_each_announcement_type_appears_for_the_demos_tenders(app, session, showcase, client):
    for kind in Kind:
        page = client.get(f"/announcements/?type={kind.value}")
        assert page.status_code == 200
        with app.test_request_context():
            found = queries.announcements_page(
                session, queries.AnnouncementFilters(kind=kind.value), 1, 50)
        assert found.total >= 1, kind
        html = page.get_data(as_text=True)
        for a in found.items[:5]:
            assert a.title in html
        # each row links to a page the public can open
        for link in {h for h in _links(html) if re.match(
                r"^/(tenders|contracts|announcements/intentions)/\d+", h)}:
            assert client.get(link).status_code == 200, link


def test_announcements_link_to_their_objects(app, session, showcase, client):
    cancelled = session.scalar(select(Tender).where(Tender.status == TenderStatus.CANCELLED))
    html = client.get("/announcements/?type=termination").get_data(as_text=True)
    assert f"/tenders/{cancelled.id}" in html
    awarded = session.scalar(select(Tender).where(Tender.awarded_at.is_not(None)))
    html = client.get("/announcements/?type=result").get_data(as_text=True)
    assert f"/tenders/{awarded.id}/award" in html


def test_filters_by_department_and_date(app, session, showcase, client):
    from market.accounts.models import Department

    mzj = session.scalar(select(Department).where(Department.code == "MZJ"))
    wjw = session.scalar(select(Department).where(Department.code == "WJW"))
    html = client.get(f"/announcements/?department={mzj.id}&type=tender").get_data(as_text=True)
    assert "社区治理创新项目（第一批）" in html and "家庭医生签约健康宣教服务" not in html
    html = client.get(f"/announcements/?department={wjw.id}&type=tender").get_data(as_text=True)
    assert "家庭医生签约健康宣教服务" in html
    future = client.get("/announcements/?from=2100-01-01").get_data(as_text=True)
    assert "社区治理创新项目" not in future
    bad = client.get("/announcements/?from=not-a-date&type=nonsense")
    assert bad.status_code == 200
    assert "社区治理创新项目" in bad.get_data(as_text=True)  # ignored, with a message


def test_announcements_paginate(app, session, showcase, client):
    app.config["PAGE_SIZE"] = 3
    first = client.get("/announcements/").get_data(as_text=True)
    assert "page=2" in first
    second = client.get("/announcements/?page=2")
    assert second.status_code == 200


def test_the_payments_list_shows_amount_date_and_payee(app, session, showcase, client):
    from market.contracts.models import Milestone, MilestoneStatus

    paid = session.scalar(select(Milestone).where(Milestone.status == MilestoneStatus.PAID))
    assert paid is not None
    html = client.get("/portal/payments").get_data(as_text=True)
    assert paid.contract.organization.name in html
    assert f"{paid.amount:,.2f}" in html


def test_the_portal_links_every_entry_point(app, session, showcase, client):
    html = client.get("/portal/").get_data(as_text=True)
    for path in ("/catalogs/", "/tenders/", "/contracts/", "/portal/payments", "/grants/",
                 "/organizations/", "/qualified-organizations", "/announcements/", "/search"):
        assert path in html, path


@pytest.mark.parametrize("q, expected", [
    ("社区治理", "社区治理创新项目（第一批）"), ("养老", "社区居家养老上门服务"),
    ("KS-", "社区治理创新项目（第一批）"), ("ks-", "社区治理创新项目（第一批）")])
def test_search_finds_across_kinds(app, session, showcase, client, q, expected):
    html = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert expected in html


def test_search_finds_organizations_and_treats_wildcards_literally(app, session, showcase,
                                                                   client):
    from market.orgs.enums import OrgStatus
    from market.orgs.models import Organization

    org = session.scalar(select(Organization).where(Organization.status == OrgStatus.ACTIVE)
                         .order_by(Organization.id))
    html = client.get("/search", query_string={"q": org.name[:4]}).get_data(as_text=True)
    assert org.name in html
    with app.test_request_context():
        assert queries.search_page(session, "%", 1, 20).total == 0
        assert queries.search_page(session, "", 1, 20).total == 0


def test_drafts_are_not_announced(app, session, showcase, client):
    draft = session.scalar(select(Tender).where(Tender.status == TenderStatus.DRAFT))
    html = client.get("/announcements/").get_data(as_text=True)
    assert f"/tenders/{draft.id}\"" not in html
    with app.test_request_context():
        hits = queries.search_page(session, draft.title, 1, 20).items
    assert all(h.what != "tender" for h in hits)


def test_the_clearance_list_shows_cleared_organizations_without_the_note(
        app, session, demo, client):
    import datetime as dt

    from market.grading.models import ClearanceDecision, ClearanceOutcome, ClearanceReason
    from market.orgs.models import Organization
    from tests.factories import user

    civil = user(session, "civil")
    orgs = list(session.scalars(select(Organization).order_by(Organization.id).limit(2)))
    for org, outcome, note in ((orgs[0], ClearanceOutcome.CLEARED, "内部备注甲"),
                               (orgs[1], ClearanceOutcome.KEPT, "内部备注乙")):
        session.add(ClearanceDecision(organization_id=org.id,
                                      reason=ClearanceReason.NEVER_EVALUATED,
                                      reason_key="test", outcome=outcome, note=note,
                                      as_of=dt.date(2026, 6, 1), decided_by_id=civil.id))
    session.commit()
    html = client.get("/portal/cleared").get_data(as_text=True)
    assert orgs[0].name in html and orgs[1].name not in html
    assert "内部备注" not in html
    assert "/portal/cleared" in client.get("/portal/").get_data(as_text=True)
