"""The audit log does not tell who bid on a tender before its opening."""
from __future__ import annotations

import datetime as dt

from market.tenders import tender_services
from tests.factories import new_tender, org_members, place_bid, user


def test_bid_entries_appear_in_the_log_only_after_opening(app, session, clock, demo):
    tender = new_tender(session, clock)
    (org, org_user), = org_members(session, 1)
    placed = place_bid(session, org_user, tender)
    for reader in ("civil", "auditor"):
        client = app.test_client()
        client.post("/login", data={"username": reader, "password": "demo-pass-2026"})
        html = client.get("/audit-log/?type=bid").get_data(as_text=True)
        assert f'data-object="bid-{placed.id}"' not in html and org_user.username not in html
        assert org_user.display_name not in html
    clock.travel(tender.opening_time + dt.timedelta(minutes=1))
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "auditor", "password": "demo-pass-2026"})
    html = client.get("/audit-log/?type=bid").get_data(as_text=True)
    assert f'data-object="bid-{placed.id}"' in html


# --- issue 9, finding 2: not even a bid's documents tell who bid ------------------------

import re  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import select  # noqa: E402

from market.documents.storage import Upload  # noqa: E402
from market.orgs.demo import minimal_pdf  # noqa: E402
from market.tenders import bid_services  # noqa: E402
from tests.factories import org_member, tender_terms  # noqa: E402

ROW = re.compile(r"<tbody>(.*?)</tbody>", re.S)
TYPES = ["", "bid", "document", "tender", "user"]


def _client(app, username):
    client = app.test_client()
    if username:
        assert client.post("/login", data={"username": username,
                                           "password": "demo-pass-2026"}).status_code == 302
        client.get("/")  # the welcome is flashed once
    return client


def _log(client) -> dict[str, str]:
    """The rows of every page of the audit log, unfiltered and per object type."""
    out = {}
    for kind in TYPES:
        rows, page = [], 1
        while True:
            response = client.get(f"/audit-log/?type={kind}&page={page}")
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            rows.append(ROW.search(html).group(1))
            if f"page={page + 1}" not in html:
                break
            page += 1
        out[kind] = "".join(rows)
    return out


TOKEN = re.compile(r'name="csrf_token"[^>]*>')


def _page(response, url: str) -> str:
    """The page without its own address and CSRF tokens (they differ on every page)."""
    return TOKEN.sub("", response.get_data(as_text=True).replace(url, ""))


@pytest.fixture
def bid_with_documents(app, session, clock, demo):
    """A published tender; org A bids with a document, then revises adding another; org B
    bids with none; an uninvolved organization exists too."""
    tender = new_tender(session, clock)
    _, user_a = org_member(session, "日志密封测试甲", username="sealed-bidder-a")
    _, user_b = org_member(session, "日志密封测试乙", username="sealed-bidder-b")
    _, other = org_member(session, "日志密封测试丙", username="sealed-other-c")
    return tender, user_a, user_b, other


def _place_bids(app, session, tender, user_a, user_b):
    with app.app_context():
        bid_services.submit_bid(session, user_a, tender.id, "250000.00", "甲方案",
                            [Upload("proposal-a.pdf", minimal_pdf("A1"))])
        session.commit()
        placed = bid_services.submit_bid(session, user_a, tender.id, "240000.00", "甲方案修订",
                                     [Upload("annex-a.pdf", minimal_pdf("A2"))])
        session.commit()
    other_bid = place_bid(session, user_b, tender, price="260000.00")
    return placed, other_bid


def test_the_log_reads_the_same_before_opening_as_if_nobody_had_bid(app, session, clock,
                                                                     bid_with_documents):
    tender, user_a, user_b, _ = bid_with_documents
    readers = {r: _client(app, r) for r in ("civil", "auditor")}
    before = {r: _log(c) for r, c in readers.items()}
    placed, other_bid = _place_bids(app, session, tender, user_a, user_b)
    doc_ids = list(placed.document_ids)
    assert len(doc_ids) == 2
    for reader, client in readers.items():
        after = _log(client)
        # Not the bidders' accounts, not the bids, not their documents, not even how many
        # entries there are: the log is exactly what it was before anyone bid.
        assert after == before[reader], reader
        # (The bidders' accounts appear only in their own "user #n create" entries,
        # made before anyone bid.)
        text = "".join(after.values())
        for secret in (f'data-object="bid-{placed.id}"', f'data-object="bid-{other_bid.id}"',
                       *[f'data-object="document-{d}"' for d in doc_ids]):
            assert secret not in text, (reader, secret)
    # After the opening every entry is there, the documents' uploads by the bidder too.
    clock.travel(tender.opening_time + dt.timedelta(minutes=1))
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    text = "".join(_log(readers["auditor"]).values())
    for d in doc_ids:
        assert f'data-object="document-{d}"' in text
    assert user_a.display_name in text and f'data-object="bid-{placed.id}"' in text


def test_nobody_else_learns_of_a_bid_or_its_documents_before_opening(app, session, clock,
                                                                     bid_with_documents):
    tender, user_a, user_b, other = bid_with_documents
    placed, _ = _place_bids(app, session, tender, user_a, user_b)
    missing = max(placed.document_ids) + 1000
    for username in ("dept", other.username, user_b.username, "civil", "auditor", None):
        client = _client(app, username)
        # The log is not theirs to read at all (department, organizations, the public).
        if username not in ("civil", "auditor"):
            assert client.get("/audit-log/").status_code in (302, 403)
        # A bid document is indistinguishable from one that does not exist.
        for doc_id in placed.document_ids:
            got, absent = client.get(f"/documents/{doc_id}"), client.get(f"/documents/{missing}")
            assert got.status_code == absent.status_code, (username, doc_id)
            assert (_page(got, f"/documents/{doc_id}?")
                    == _page(absent, f"/documents/{missing}?")), (username, doc_id)
        for url in (f"/api/v1/bids/{placed.id}", f"/tenders/bids/{placed.id}"):
            assert client.get(url).status_code == 404, (username, url)
        data = client.get(f"/api/v1/tenders/{tender.id}/bids").get_json()
        assert data["count"] == 2
        assert [b["organization"] for b in data["bids"]] == (
            ["日志密封测试乙"] if username == user_b.username else [])
    # The bidder itself reads its documents.
    client = _client(app, user_a.username)
    assert all(client.get(f"/documents/{d}").status_code == 200 for d in placed.document_ids)
    # An amendment notifies the bidders; nobody else reads or even touches their notices.
    from market.tenders.models import Notification

    tender_services.amend_tender(session, user(session, "dept"), tender.id,
                          tender_terms(clock, ceiling_price="290000.00"), "上限价调整")
    session.commit()
    notices = session.scalars(select(Notification).where(
        Notification.tender_id == tender.id)).all()
    assert {n.organization_id for n in notices} == {user_a.organization_id,
                                                    user_b.organization_id}
    absent = max(n.id for n in notices) + 1000
    for username in ("dept", other.username, "civil", "auditor"):
        client = _client(app, username)
        for n in notices:
            assert (client.post(f"/tenders/notices/{n.id}/read").status_code
                    == client.post(f"/tenders/notices/{absent}/read").status_code), username
        assert tender.reference not in client.get("/home").get_data(as_text=True) or \
            username == "dept"
    session.expire_all()
    assert all(n.read_at is None for n in session.scalars(select(Notification).where(
        Notification.tender_id == tender.id)))
