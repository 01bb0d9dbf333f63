"""Nothing sealed or personal leaks to the public (issue 12, part 2).

The public (no login) crawls the full demo — with a sealed bid placed before its tender's
opening (tests/probes' ``world``) and an organization whose records hold a mobile
number, a personal ID number and a bank account — from the front page and the portal,
breadth first over every same-site link and GET form (bounded: each route a few times,
a cap on pages), and finds on no page: the sealed bid's price, proposal, document,
receipt or bidder; an 18-digit ID number (身份证号); an 11-digit mobile number; a bank
account number beyond its last four digits. And no link it is offered leads to a page the
public cannot open (401, 403, 404, or a redirect to the login page).
"""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from market.orgs.enums import OrgStatus
from market.orgs.models import Organization
from tests.probes.conftest import login
from tests.probes.crawler import bounds, crawl
from tests.probes.test_crawl import endpoint_of
from tests.probes.test_sealed_crawl import _bodies, markers

LIMITS = bounds(per_path=2, per_route=6, max_pages=400)
STARTS = ["/", "/portal/", "/announcements/", "/search?q=%E7%A4%BE%E5%8C%BA"]  # q=社区

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])"
                       r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![\d.,])1[3-9]\d{9}(?![\d])")
# What the planted organization's records hold (never public).
PLANTED_MOBILE = "13962612345"
PLANTED_ID = "320583199001011234"
PLANTED_ACCOUNT = "6222 0211 0203 4567 890"

# The public routes the crawl must reach (each at least once).
MUST_REACH = {"home.index", "tenders.bids", "disclosure.portal", "disclosure.announcements",
              "disclosure.intention", "disclosure.payments", "disclosure.search",
              "catalogs.index", "catalogs.detail", "tenders.index", "tenders.detail",
              "scoring.award_page", "contracts.index", "contracts.detail",
              "orgs.public_list", "orgs.public_profile", "grants.index",
              "grading.qualified", "policy.rules"}


@pytest.fixture
def planted(world, session):
    """The organization holding the demo's contract (named on its contract, payments,
    award and OCDS pages), given a mobile contact, an ID number in its records and a bank
    account."""
    from market.contracts.models import Contract

    contract = session.scalar(select(Contract).order_by(Contract.id))
    org = session.get(Organization, contract.organization_id)
    assert org.status == OrgStatus.ACTIVE
    org.contact_phone = PLANTED_MOBILE
    org.contact_name = f"联系人（身份证 {PLANTED_ID}）"
    org.bank_account = PLANTED_ACCOUNT
    session.commit()
    return org


def planted_contract(session, org) -> int:
    from market.contracts.models import Contract

    return session.scalar(select(Contract.id).where(Contract.organization_id == org.id))


def _accounts(session) -> list[str]:
    return [a for a in session.scalars(select(Organization.bank_account)) if a]


def leaks(text: str, sealed, accounts) -> list[str]:
    found = [what for what, pattern in sealed if pattern.search(text)]
    found += [f"ID number {m}" for m in ID_NUMBER.findall(text)]
    found += [f"mobile number {m}" for m in MOBILE.findall(text)]
    digits_only = re.sub(r"\s", "", text)
    for account in accounts:
        digits = re.sub(r"\D", "", account)
        head = digits[:-4]  # everything but the last four digits
        if account in text or (len(head) >= 6 and head in digits_only):
            found.append(f"bank account {account}")
    return found


def test_the_public_finds_nothing_sealed_or_personal_and_no_dead_link(
        app, session, world, planted, record_property):
    sealed = markers(world)
    accounts = _accounts(session)
    assert PLANTED_ACCOUNT in accounts
    client = login(app, None, "zh")
    problems: list[str] = []

    def check(page):
        if page.referrer is not None and page.status in (401, 403, 404):
            problems.append(f"{page.url} (linked from {page.referrer}) answers {page.status}")
        if page.referrer is not None and 300 <= page.status < 400 and page.location \
                and urlsplit(page.location).path == "/login" \
                and urlsplit(page.url).path != "/login":
            problems.append(f"{page.url} (linked from {page.referrer}) asks the public to log in")
        if page.status >= 500:
            problems.append(f"{page.url} answers {page.status}")
        for body in _bodies(page.body):  # an .xlsx: each of its members
            for leak in leaks(body.decode("utf-8", "replace"), sealed, accounts):
                problems.append(f"{page.url}: {leak}")

    # Also straight to the pages about the planted organization and the sealed bid's tender.
    tender = world["tender"].id
    starts = STARTS + [f"/organizations/{planted.id}", f"/tenders/{tender}",
                       f"/tenders/{tender}/bids", f"/search?q={planted.name}",
                       f"/contracts/{planted_contract(session, planted)}"]
    result = crawl(client, starts, LIMITS, lambda path: endpoint_of(app, path), on_page=check)
    reached = Counter(endpoint_of(app, p.url) for p in result.pages)
    record_property("probe", f"public crawl: {len(result.pages)} pages, {len(reached)} "
                             f"routes, {result.skipped} links past the bounds; routes: "
                             f"{' '.join(sorted(reached))}")
    assert MUST_REACH <= set(reached), sorted(MUST_REACH - set(reached))
    assert problems == [], "\n".join(problems[:60])


def test_the_checks_would_see_a_leak(app, session, world, planted):
    """The patterns catch what they look for (so an empty result above means something)."""
    sealed = markers(world)
    accounts = _accounts(session)
    assert leaks(f"电话 {PLANTED_MOBILE}", sealed, accounts)
    assert leaks(f"证件 {PLANTED_ID}", sealed, accounts)
    assert leaks("账号 6222021102034567890", sealed, accounts)
    assert leaks(f"报价 {world['bid'].price:,.2f}", sealed, accounts) \
        or leaks(str(world["bid"].price), sealed, accounts)
    assert not leaks("账号尾号 7890；金额 1,050,000.00；电话 0512-57300000", sealed, accounts)
