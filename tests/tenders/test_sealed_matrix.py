"""A sealed bid is sealed (MISSION invariant 2).

Before the opening time, every role and the anonymous public walk every route the app has
(pages, API, exports, error pages; every GET, and every POST with an empty form), with
every id that matters, and no response contains another organization's bid price,
proposal, attached document or receipt. The bidder sees its own. After opening the
department and auditors read the bids, and every receipt is published and verifies.
"""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from werkzeug.routing import IntegerConverter

from market.orgs.demo import minimal_pdf
from market.documents.storage import Upload
from market.tenders import bid_services, receipts, tender_services
from market.tenders.models import Bid
from tests.factories import new_tender, org_member, place_bid, user

SECRET_PRICE = "123456.78"
SECRET_PROPOSAL = "SECRET-PROPOSAL-xyz"
SECRET_DOC = "SECRET-DOC-xyz"
SECRETS = [SECRET_PROPOSAL.encode(), SECRET_PRICE.encode(), b"123,456.78", SECRET_DOC.encode()]
READERS_AFTER_OPENING = ["dept", "auditor"]
OTHERS = ["civil", "town", "finance", "dept", "dept-mzj", "evaluator", "expert", "auditor",
          "org"]
SKIP_POST = {"accounts.logout", "accounts.login", "accounts.signup", "accounts.set_language"}


@pytest.fixture
def sealed_world(app, demo, session, clock):
    tender = new_tender(session, clock)
    org_a, user_a = org_member(session, "密封测试投标人甲")
    org_b, user_b = org_member(session, "密封测试投标人乙")
    pdf = Upload(f"{SECRET_DOC}.pdf", minimal_pdf(SECRET_DOC))
    with app.app_context():  # the upload is written under the app's UPLOAD_FOLDER
        bid_a = bid_services.submit_bid(session, user_a, tender.id, SECRET_PRICE, SECRET_PROPOSAL,
                                    [pdf])
        session.commit()
    bid_b = place_bid(session, user_b, tender, price="200000.00", proposal="乙方的普通方案")
    return dict(tender=tender, a=(org_a, user_a, bid_a), b=(org_b, user_b, bid_b))


def _bodies(response) -> list[bytes]:
    data = response.get_data()
    if data[:2] == b"PK":  # a zip export: look inside every member
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [data] + [z.read(name) for name in z.namelist()]
    return [data]


def _leaks(response, extra: list[bytes] = ()) -> list[bytes]:
    return [s for body in _bodies(response) for s in list(SECRETS) + list(extra) if s in body]


def _urls(app, method: str, ids: list[int]):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or method not in (rule.methods or ()):
            continue
        if method == "POST" and rule.endpoint in SKIP_POST:
            continue
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        strings = {n: "en" for n in rule._converters if n not in ints}
        for value in (ids if ints else [None]):
            values = dict(strings, **{n: value for n in ints})
            yield rule.endpoint, rule.build(values, append_unknown=False)[1]


def _client(app, username: str | None):
    client = app.test_client()
    if username:
        r = client.post("/login", data={"username": username, "password": "demo-pass-2026"})
        assert r.status_code == 302, username
    return client


def _walk(app, username, ids, *, posts: bool, extra=()):
    """Every leak found: (method, url, what) for this user."""
    found = []
    client = _client(app, username)
    for _endpoint, url in _urls(app, "GET", ids):
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} as {username}"
        found += [("GET", url, s) for s in _leaks(response, extra)]
        api = url.replace("/tenders", "/api/v1/tenders", 1) if url.startswith("/tenders") else None
        if api:
            found += [("GET", api, s) for s in _leaks(client.get(api), extra)]
    if posts:
        for _endpoint, url in _urls(app, "POST", ids):
            response = client.post(url, data={}, follow_redirects=True)
            assert response.status_code < 500, f"POST {url} as {username}"
            found += [("POST", url, s) for s in _leaks(response, extra)]
    return found


def _ids(world) -> list[int]:
    _org, _u, bid_a = world["a"]
    return sorted({1, world["tender"].id, bid_a.id, world["b"][2].id, *bid_a.document_ids})


def test_before_opening_nobody_but_the_bidder_reads_a_bid(app, session, sealed_world):
    ids = _ids(sealed_world)
    receipt_a = sealed_world["a"][2].receipt_hash.encode()
    users = [None] + OTHERS + [sealed_world["b"][1].username]
    leaks = {}
    for username in users:
        found = _walk(app, username, ids, posts=True, extra=[receipt_a])
        if found:
            leaks[username or "anonymous"] = found[:5]
    assert leaks == {}
    # Nothing was opened or changed by the walk: the bid is still there, still sealed.
    session.expire_all()
    stored = session.get(Bid, sealed_world["a"][2].id)
    assert stored.status.value == "submitted" and stored.tender.opened_at is None


def test_the_bidder_sees_its_own_bid_and_receipt(app, sealed_world):
    tender = sealed_world["tender"]
    _org, user_a, bid_a = sealed_world["a"]
    client = _client(app, user_a.username)
    page = client.get(f"/tenders/{tender.id}/bid").get_data(as_text=True)
    assert SECRET_PROPOSAL in page and "123,456.78" in page and bid_a.receipt_hash in page
    mine = client.get(f"/api/v1/tenders/{tender.id}/my-bid").get_json()
    assert mine["price"] == SECRET_PRICE and mine["proposal"] == SECRET_PROPOSAL
    assert mine["receipt_hash"] == bid_a.receipt_hash
    listing = client.get("/tenders/my-bids").get_data(as_text=True)
    assert bid_a.receipt_hash in listing
    assert client.get(f"/documents/{bid_a.document_ids[0]}").status_code == 200


def test_only_the_count_is_public_before_opening(app, sealed_world):
    tender = sealed_world["tender"]
    client = _client(app, None)
    data = client.get(f"/api/v1/tenders/{tender.id}/bids").get_json()
    assert data == {"tender_id": tender.id, "opened": False, "count": 2, "bids": []}
    page = client.get(f"/tenders/{tender.id}").get_data(as_text=True)
    assert 'id="bid-count">2<' in page
    assert "密封测试投标人甲" not in page  # not even who bid


def _open(session, clock, tender):
    clock.travel(tender.opening_time)
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()


def test_after_opening_department_and_auditors_read_bids(app, session, clock, sealed_world):
    tender = sealed_world["tender"]
    _open(session, clock, tender)
    for username in READERS_AFTER_OPENING:
        client = _client(app, username)
        page = client.get(f"/tenders/{tender.id}/bids").get_data(as_text=True)
        assert "123,456.78" in page, username
        detail = client.get(f"/tenders/bids/{sealed_world['a'][2].id}").get_data(as_text=True)
        assert SECRET_PROPOSAL in detail, username
        api = client.get(f"/api/v1/tenders/{tender.id}/bids").get_json()
        prices = {b["price"] for b in api["bids"]}
        assert SECRET_PRICE in prices, username
        assert client.get(f"/documents/{sealed_world['a'][2].document_ids[0]}").status_code \
            == 200
    # Everyone else still does not read the content, but sees the published receipts.
    ids = _ids(sealed_world)
    for username in [None, "civil", "dept-mzj", "finance", "org", "expert"]:
        assert _walk(app, username, ids, posts=False) == [], username


def test_receipts_are_published_at_opening_and_verify(app, session, clock, sealed_world):
    tender = sealed_world["tender"]
    org_a, _u, bid_a = sealed_world["a"]
    client = _client(app, None)
    assert client.get(f"/tenders/{tender.id}/receipts.csv").status_code == 404
    _open(session, clock, tender)
    page = client.get(f"/tenders/{tender.id}").get_data(as_text=True)
    published = client.get(f"/api/v1/tenders/{tender.id}").get_json()["receipts"]
    csv_text = client.get(f"/tenders/{tender.id}/receipts.csv").get_data(as_text=True)
    # The bidder recomputes its receipt from what it submitted.
    doc_hash = hashlib.sha256(minimal_pdf(SECRET_DOC)).hexdigest()
    expected = receipts.digest(receipts.canonical_content(
        tender_reference=tender.reference, organization_code=org_a.credit_code,
        price=SECRET_PRICE, proposal=SECRET_PROPOSAL, document_hashes=[doc_hash],
        tender_version=1))
    assert expected == bid_a.receipt_hash
    assert expected in page and expected in csv_text
    assert {"organization": org_a.name, "receipt_hash": expected, "valid": True} in published
    assert SECRET_PROPOSAL not in page and "123,456.78" not in page
