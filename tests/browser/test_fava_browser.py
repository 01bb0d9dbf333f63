"""Fava, under the platform's own security headers (issue 9, finding 9), still works in a
browser: its reports render and a query runs. (Its query editor's inline styles are refused
by style-src 'self' — only the editor's line-number gutter looks plainer for it.)"""
from __future__ import annotations

from tests.auditor.test_auditor_workspace import approved  # noqa: F401  (fixture)
from tests.browser.conftest import screenshot


def test_fava_works_under_the_platforms_csp(live_server, page, approved):  # noqa: F811
    page.goto(f"{live_server}/login")
    page.fill("#username", "auditor")
    page.fill("#password", "demo-pass-2026")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/home")
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(f"{live_server}/audit/fava/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    bfile = page.url.split("/audit/fava/")[1].split("/")[0]
    for view in ("balance_sheet", "income_statement", "journal", "query"):
        page.goto(f"{live_server}/audit/fava/{bfile}/{view}/")
        page.wait_for_load_state("networkidle")
        assert page.locator("article").first.is_visible(), view
    page.locator(".cm-content").first.click()
    page.keyboard.type("SELECT account, sum(position) GROUP BY account")
    page.keyboard.press("Control+Enter")
    page.locator("article table").first.wait_for()
    assert "Available" in page.locator("article table").first.inner_text()
    screenshot(page, "fava-query-under-csp")
    blocking = [p for p in problems if "inline style" not in p]
    assert blocking == [], blocking
