"""Probes: whole-application checks (crawl every page, the authorization matrix, the
sealed-bid crawl). Each test records its figures as a "probe" user property; the root
conftest prints them at the end of the run (also under pytest-xdist)."""
from __future__ import annotations

import pytest

from market.demo import DEMO_PASSWORD

DEMO_ROLES = ["civil", "town", "finance", "dept", "org", "evaluator", "expert", "auditor"]


@pytest.fixture
def showcase(app, session):
    """The full demo of ``flask demo seed``: the core seed plus the showcase (an opened
    tender scored, awarded, contracted and partly paid)."""
    from market.demo import seed

    with app.app_context():  # so the demo's documents are written under UPLOAD_FOLDER
        logins = seed(session, showcase=True)
        session.commit()
    return logins


# The sealed bid of the probes: distinctive values, to be looked for everywhere.
SEALED_PRICE = "123457.89"
SEALED_PRICE_FORMS = ["123457.89", "123,457.89", "123 457.89", "123457.890"]
SEALED_PROPOSAL = "PROBE-SEALED-PROPOSAL-5f1c9e"
SEALED_FILENAME = "probe-sealed-attachment-7d2e4b"
BIDDER_ORG = "昆山市探针密封投标服务中心"
BIDDER_USER = "probe-sealed-bidder"
BIDDER_DISPLAY = "探针投标联系人"


@pytest.fixture
def world(app, session, showcase):
    """The full demo, plus what the probes need on top of it:

    - ``town-zs`` (周市镇) and ``evaluator-ks`` (the other evaluator agency): users of
      another town and agency;
    - a draft tender of the demo department (卫健委);
    - a new organization that bids on the health-education tender (open for bids) with a
      distinctive price, proposal and attached document: the sealed bid.
    """
    import datetime as dt

    from sqlalchemy import select

    from market.accounts.models import EvaluatorAgency, Town, User
    from market.access.permissions import Role
    from market.accounts.services import create_user
    from market.catalogs.models import Catalog, CatalogItem
    from market.documents.storage import Upload
    from market.orgs import credit_code
    from market.orgs.demo import minimal_pdf
    from market.orgs.enums import Category, LegalForm, OrgStatus, Track
    from market.orgs.models import Organization
    from market.tenders import bid_services, tender_services
    from market.tenders.models import Tender
    from tests.factories import MEMBER_REGISTERED_ON, accepted_reports

    def user(name):
        return session.scalar(select(User).where(User.username == name))

    civil = user("civil")
    towns = {t.code: t for t in session.scalars(select(Town))}
    agencies = list(session.scalars(select(EvaluatorAgency).order_by(EvaluatorAgency.id)))
    create_user(session, username="town-zs", password=DEMO_PASSWORD, display_name="周市镇社会事务办",
                role=Role.TOWN_OFFICER, town_id=towns["ZS"].id, actor=civil)
    create_user(session, username="evaluator-ks", password=DEMO_PASSWORD,
                display_name="公益评估事务所评估员", role=Role.EVALUATOR,
                agency_id=agencies[1].id, actor=civil)
    dept = user("dept")
    health = session.scalar(select(Tender).where(Tender.title == "家庭医生签约健康宣教服务"))
    item = session.scalar(select(CatalogItem).join(Catalog).where(
        Catalog.department_id == dept.department_id, Catalog.fiscal_year == 2026,
        CatalogItem.position == 1))
    with app.app_context():
        draft = tender_services.create_tender(session, dept, item.id, dict(
            title="探针草稿采购项目", description="尚未发布的草稿。", ceiling_price="500000.00",
            clarification_deadline=health.clarification_deadline,
            bid_deadline=health.bid_deadline, opening_time=health.opening_time,
            criteria=[("价格", "30", True), ("服务方案", "70", False)]))
        tender_services.attach_document(session, dept, draft.id,
                                        Upload("招标文件.pdf", minimal_pdf("probe draft")))
        org = Organization(
            name=BIDDER_ORG, track=Track.REGISTERED, legal_form=LegalForm.SOCIAL_SERVICE,
            credit_code=credit_code.build("5", "2", "320583", "PRB00001"),
            category=Category.CHARITY, town_id=towns["YS"].id, legal_representative="探针甲",
            contact_name="探针乙", contact_phone="0512-57999999", office_address="玉山镇探针路1号",
            status=OrgStatus.ACTIVE, registered_on=MEMBER_REGISTERED_ON)
        session.add(org)
        session.flush()
        accepted_reports(org)  # a bidder meets the provider conditions
        bidder = create_user(session, username=BIDDER_USER, password=DEMO_PASSWORD,
                             display_name=BIDDER_DISPLAY, role=Role.ORGANIZATION, actor=civil)
        bidder.organization_id = org.id
        session.flush()
        bid = bid_services.submit_bid(
            session, bidder, health.id, SEALED_PRICE, f"我们的方案 {SEALED_PROPOSAL}",
            [Upload(f"{SEALED_FILENAME}.pdf", minimal_pdf("probe"))])
        session.commit()
    return dict(draft=draft, tender=health, bid=bid, org=org, bidder=bidder,
                document_id=bid.document_ids[0])


def login(app, username: str | None, language: str | None = None):
    """A test client, logged in as ``username`` (None: the public), reading ``language``."""
    client = app.test_client()
    if language:
        client.post(f"/language/{language}", data={"next": "/"})
    if username:
        r = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, f"login as {username}: {r.status_code}"
        if language:
            client.post(f"/language/{language}", data={"next": "/"})
        client.get("/")  # the welcome was flashed in the stored language: read it now
    return client
