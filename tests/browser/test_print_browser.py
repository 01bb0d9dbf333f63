"""The award notice (中标通知书) prints on A4 with the whole score table (issue 14, part 5)."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.factories import bid_of

A4_POINTS = (595, 842)  # 210 × 297 mm


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_award_notice_prints_on_a4_with_the_whole_score_table(live_server, page, awarded,
                                                              session):
    _item, tender, bidders = awarded
    bids = [bid_of(session, tender, u) for u in bidders.values()]
    page.goto(f"{live_server}/tenders/{tender.id}/award/notice")
    assert page.locator("h1").inner_text() == "中标通知书"
    assert page.locator("button[data-print]").is_visible()
    screenshot(page, "award-notice-screen")

    # On paper: no menu, no button; the table no wider than an A4 page's printable width.
    page.set_viewport_size({"width": 680, "height": 960})  # ~180 mm at 96 dpi
    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator("button[data-print]").is_visible()
    widths = page.evaluate("""() => {
        const t = document.querySelector('#results');
        return [t.scrollWidth, t.getBoundingClientRect().width,
                document.documentElement.clientWidth];
    }""")
    assert widths[0] <= widths[2] and widths[0] <= widths[1] + 1, widths

    pdf = page.pdf(format="A4", print_background=False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "award-notice.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    for p in reader.pages:
        size = (float(p.mediabox.width), float(p.mediabox.height))
        assert all(abs(got - want) <= 2 for got, want in zip(size, A4_POINTS)), size
    text = _squeeze("".join(p.extract_text() for p in reader.pages))
    assert "中标通知书" in text and _squeeze(tender.reference) in text
    for bid in bids:  # every bidder's row: its name, its price and its total
        assert _squeeze(bid.organization.name) in text, bid.organization.name
        assert f"{bid.price:,.2f}" in text, bid.price
    assert len(re.findall(r"\d+\.\d{2}", text)) >= 3 * len(bids)
