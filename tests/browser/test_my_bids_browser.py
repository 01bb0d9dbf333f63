"""An organization sees "won" (中标) on its bid after the award; the losing organization
sees "not won" with its own rank — in Chromium, in Chinese and in English."""
from __future__ import annotations

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, awarded_tender, bid_of, budget_item


def _log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/home")


def test_winner_and_loser_see_their_outcome(live_server, page, demo, session, clock):
    tender, bidders = awarded_tender(session, clock, budget_item(session))
    won, lost = bid_of(session, tender, bidders["a"]), bid_of(session, tender, bidders["b"])

    _log_in(page, live_server, bidders["a"].username)
    # the menu groups its entries: open the group, then follow the link
    page.click("nav.mainnav details.navgroup:has(a[href='/tenders/my-bids']) > summary")
    page.click("nav.mainnav a[href='/tenders/my-bids']")
    row = page.locator(f"#my-bids tr[data-bid='{won.id}']")
    assert row.locator("[data-state]").get_attribute("data-state") == "won"
    assert row.locator("td.outcome .badge").inner_text() == "中标"
    assert "您的排名：1" in row.locator("td.outcome").inner_text()
    assert "等待采购部门签订合同" in row.locator("td.next-step").inner_text()
    screenshot(page, "my-bids-won-zh")

    _log_in(page, live_server, bidders["b"].username)
    page.goto(f"{live_server}/tenders/my-bids")
    row = page.locator(f"#my-bids tr[data-bid='{lost.id}']")
    assert row.locator("td.outcome .badge").inner_text() == "未中标"
    assert "您的排名：2" in row.locator("td.outcome").inner_text()
    page.click("button[lang=en]")
    page.wait_for_load_state()
    row = page.locator(f"#my-bids tr[data-bid='{lost.id}']")
    assert row.locator("td.outcome .badge").inner_text() == "Not won"
    assert "Your rank: 2" in row.locator("td.outcome").inner_text()
    assert "challenge" in row.locator("td.next-step").inner_text()
    screenshot(page, "my-bids-lost-en")
