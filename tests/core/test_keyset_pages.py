"""Keyset pages: the public tender list's "Next" and "Previous" links carry the position of
the page's last or first row; walking them gives exactly the pages the offset gives, also
when several tenders share a publication time; a stale or edited cursor falls back to the
page number."""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from sqlalchemy import select, update

from market.scale import seed_scale
from market.tenders.models import Tender

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def listed(app, session):
    app.config["PAGE_SIZE"] = 7
    with app.app_context():
        seed_scale(session, "60", seed=3, today=TODAY)
        # ties: a dozen tenders published at the same moment (the cursor's id decides)
        ids = session.scalars(select(Tender.id).where(Tender.published_at.is_not(None))
                              .order_by(Tender.id).limit(12)).all()
        same = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.timezone.utc)
        session.execute(update(Tender).where(Tender.id.in_(ids)).values(published_at=same))
        session.commit()
    return session.scalars(select(Tender.reference).where(Tender.published_at.is_not(None))
                           .order_by(Tender.published_at.desc(), Tender.id.desc())).all()


def _refs(html: str, refs: list[str]) -> list[str]:
    """The references on the page, in page order."""
    found = [(html.index(r), r) for r in refs if r in html]
    return [r for _, r in sorted(found)]


def _link(html: str, rel: str) -> str | None:
    m = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    return unescape(m.group(1)) if m else None


def test_walking_next_and_previous_gives_the_offset_pages(listed, client):
    pages = [listed[i:i + 7] for i in range(0, len(listed), 7)]
    assert len(pages) >= 5
    url, seen = "/tenders/", []
    for number, expected in enumerate(pages, start=1):
        html = client.get(url).get_data(as_text=True)
        assert _refs(html, listed) == expected, number
        by_offset = client.get(f"/tenders/?page={number}").get_data(as_text=True)
        assert _refs(by_offset, listed) == expected
        seen.append(url)
        url = _link(html, "next")
        if number > 1:
            assert "after=" in seen[-1]
    assert url is None  # the last page has no "Next"
    # and back again, by the "Previous" links
    url = seen[-1]
    for number in range(len(pages), 0, -1):
        html = client.get(url).get_data(as_text=True)
        assert _refs(html, listed) == pages[number - 1], number
        url = _link(html, "prev")
    assert url is None


@pytest.mark.parametrize("cursor", ["garbage", "t1.i", "i99999999999999999999", "x1.i2",
                                    "t" + "9" * 30 + ".i1", "i1"])
def test_an_unreadable_cursor_falls_back_to_the_page_number(listed, client, cursor):
    response = client.get("/tenders/", query_string={"page": 2, "after": cursor})
    assert response.status_code == 200
    assert _refs(response.get_data(as_text=True), listed) == listed[7:14]
