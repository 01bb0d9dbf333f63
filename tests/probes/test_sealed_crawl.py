"""A sealed bid is sealed (MISSION invariant 2), as a crawler finds it.

Before the opening time of a tender, a new organization bids on it with a distinctive price,
a proposal holding a unique marker and a document with a unique name. Every other reader —
the public, every demo role (the purchasing department too), another department and other
organizations — crawls every page it can reach from its home page, plus the JSON API's
list and detail endpoints, the exports and the downloads, and finds none of: the price (in
any formatting), the proposal marker, the document's name or any URL bearing the bid's or
the document's id, the receipt hash, or the bidder (its users anywhere; the organization's
name on any page about that tender).
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest

from market.tenders.models import Bid
from tests.probes.conftest import (BIDDER_DISPLAY, BIDDER_ORG, BIDDER_USER,
                                   SEALED_FILENAME, SEALED_PRICE_FORMS, SEALED_PROPOSAL, login)
from tests.probes.crawler import bounds, crawl
from tests.probes.test_crawl import endpoint_of

LIMITS = bounds(per_path=3, per_route=12, max_pages=300)
READERS = [None, "civil", "town", "finance", "dept", "dept-mzj", "auditor", "evaluator",
           "expert", "org", "org-cishan"]


def _bodies(body: bytes) -> list[bytes]:
    """The response, and every member of a zip (the ledger export, an .xlsx)."""
    if body[:2] != b"PK":
        return [body]
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return [body] + [z.read(name) for name in z.namelist()]
    except zipfile.BadZipFile:
        return [body]


def markers(world) -> list[tuple[str, re.Pattern]]:
    bid, doc = world["bid"], world["document_id"]
    plain = [(f"price {p}", p) for p in SEALED_PRICE_FORMS] + [
        ("proposal marker", SEALED_PROPOSAL), ("document name", SEALED_FILENAME),
        ("receipt hash", bid.receipt_hash), ("receipt hash prefix", bid.receipt_hash[:16]),
        ("bidder username", BIDDER_USER), ("bidder display name", BIDDER_DISPLAY)]
    found = [(what, re.compile(re.escape(s))) for what, s in plain]
    for what, pattern in (("document URL", rf"/documents/{doc}(?!\d)"),
                          ("document #id", rf"document #{doc}(?!\d)"),
                          ("audit-log row of the document", rf'data-object="document-{doc}"'),
                          ("audit-log row of the bid", rf'data-object="bid-{bid.id}"'),
                          ("bid URL", rf"/bids/{bid.id}(?!\d)")):
        found.append((what, re.compile(pattern)))
    return found


def about_the_tender(world, url: str, text: str) -> bool:
    tender = world["tender"]
    path = urlsplit(url).path
    return (re.search(rf"/tenders/{tender.id}(?!\d)", path) is not None
            or tender.title in text or tender.reference in text)


def findings(world, page) -> list[str]:
    found = []
    # A page may repeat its own address (the language switch's "next", the login
    # redirect's): that is not a link to the bid.
    own = [page.url, quote(page.url, safe=""), quote(page.url, safe="/")]
    for body in _bodies(page.body):
        text = body.decode("utf-8", "replace")
        for address in own:
            text = text.replace(address, " ")
        found += [what for what, pattern in markers(world) if pattern.search(text)]
        if BIDDER_ORG in text and about_the_tender(world, page.url, text):
            found.append("bidder organization on a page about the tender")
    return sorted(set(found))


def extra_urls(world) -> list[str]:
    """Fetched first, whatever the pages link to: the API, exports and downloads."""
    t, bid, doc = world["tender"].id, world["bid"].id, world["document_id"]
    return ["/api/v1/tenders", f"/api/v1/tenders/{t}", f"/api/v1/tenders/{t}/bids",
            f"/api/v1/tenders/{t}/questions", f"/api/v1/tenders/{t}/award",
            f"/api/v1/tenders/{t}/my-bid", f"/api/v1/bids/{bid}", f"/tenders/bids/{bid}",
            f"/tenders/{t}", f"/tenders/{t}/bids", f"/tenders/{t}/bid", f"/tenders/{t}/award",
            f"/tenders/{t}/receipts.csv", f"/tenders/{t}/evaluation", f"/tenders/{t}/scoring",
            f"/documents/{doc}", "/audit/export.zip", "/qualified-organizations.csv",
            "/qualified-organizations.xlsx", "/audit-log/", "/audit-log/?type=document",
            "/audit-log/?type=bid", f"/organizations/{world['org'].id}",
            f"/registry/organizations/{world['org'].id}", "/tenders/my-bids", "/tenders/for-me"]


@pytest.mark.parametrize("who", READERS, ids=[w or "public" for w in READERS])
def test_nobody_but_the_bidder_finds_the_sealed_bid(app, session, world, who, record_property):
    client = login(app, who)
    leaks: list[str] = []

    def check(page):
        for what in findings(world, page):
            leaks.append(f"{page.url} ({page.status}, from {page.referrer}): {what}")

    starts = extra_urls(world) + (["/home", "/"] if who else ["/"])
    result = crawl(client, starts, LIMITS, lambda path: endpoint_of(app, path), on_page=check)
    routes = Counter(endpoint_of(app, p.url) for p in result.pages)
    record_property("probe", f"{len(result.pages)} pages, {len(routes)} routes")
    assert leaks == [], "\n".join(leaks[:40])
    session.expire_all()
    stored = session.get(Bid, world["bid"].id)
    assert stored.status.value == "submitted" and stored.tender.opened_at is None


def test_the_audit_log_does_not_show_the_bid_document_upload(app, world):
    """Issue 9, finding 2: the bidder's document upload is not in the log before opening."""
    for who in ("civil", "auditor"):  # the readers of the audit log
        client = login(app, who)
        for url in ("/audit-log/", "/audit-log/?type=document"):
            text = client.get(url).get_data(as_text=True)
            assert f'data-object="document-{world["document_id"]}"' not in text, (who, url)
            assert BIDDER_USER not in text, (who, url)


def test_the_bidder_finds_its_own_bid(app, world):
    """The markers are right: the bidder sees each of them on its own pages."""
    client = login(app, BIDDER_USER)
    t = world["tender"].id
    seen = set()
    for url in (f"/tenders/{t}/bid", f"/api/v1/tenders/{t}/my-bid", "/tenders/my-bids"):
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= {what for what, pattern in markers(world)
                 if pattern.search(response.get_data(as_text=True))}
    assert {"price 123,457.89", "price 123457.89", "proposal marker", "document name",
            "receipt hash", "document URL"} <= seen
    assert client.get(f"/documents/{world['document_id']}").status_code == 200
