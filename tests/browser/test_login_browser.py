"""A person logs in, lands on the workspace, and switches the language."""
from __future__ import annotations

from tests.browser.conftest import screenshot


def test_login_and_switch_language(live_server, page, demo):
    page.goto(f"{live_server}/login")
    page.fill("#username", "civil")
    page.fill("#password", "demo-pass-2026")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server}/home")
    assert page.locator("h1").first.inner_text().startswith("我的工作台")
    screenshot(page, "workspace-zh")
    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("My workspace")


def test_phone_layout_has_a_menu_toggle(live_server, _playwright_browser, demo):
    context = _playwright_browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    nav = page.locator("nav.mainnav")
    assert not nav.is_visible()
    page.click("label.nav-toggle-label")
    assert nav.is_visible()
    screenshot(page, "phone-menu")
    context.close()
