"""A social organization signs up and applies to register; civil affairs approves it;
the organization appears on the public list. Driven through headless Chromium."""
from __future__ import annotations

from sqlalchemy import select

from market.orgs.enums import OrgStatus
from market.orgs.models import Organization
from tests.browser.conftest import screenshot
from tests.factories import kunshan_code


def _login(page, base, username, password):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/home")


def test_register_and_approve_in_the_browser(live_server, page, demo, session):
    base = live_server
    # Sign up.
    page.goto(f"{base}/signup")
    page.fill("#username", "chunhui")
    page.fill("#display_name", "陈春晖")
    page.fill("#password", "long-enough-1")
    page.fill("#confirm", "long-enough-1")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/home")

    # Apply to register; the first try has a wrong credit code and is refused in Chinese.
    page.goto(f"{base}/my/apply/registration")
    good = kunshan_code(777)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    page.fill("#name", "昆山市春晖助老服务中心")
    page.fill("#credit_code", bad)
    page.select_option("#legal_form", "social_service")
    page.select_option("#category", "charity")
    page.select_option("#town_id", label="玉山镇")
    page.fill("#legal_representative", "陈春晖")
    page.fill("#contact_name", "陈春晖")
    page.fill("#contact_phone", "0512-57000000")
    page.fill("#office_address", "玉山镇人民路88号")
    page.fill("#bank_name", "昆山农村商业银行")
    page.fill("#bank_account", "3205830100001234")
    page.check("#no_official_declared")
    page.click("button[type=submit].primary")
    assert page.locator(".error").count() >= 1
    screenshot(page, "registration-refused-zh")
    assert "校验" in page.locator(".error").first.inner_text()
    page.fill("#credit_code", good)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    screenshot(page, "registration-submitted-zh")

    # Civil affairs approves.
    page.context.clear_cookies()
    _login(page, base, "civil", "demo-pass-2026")
    org = session.scalar(select(Organization).where(Organization.name == "昆山市春晖助老服务中心"))
    assert org is not None and org.status == OrgStatus.PENDING
    page.goto(f"{base}/registry/applications/{org.latest_application.id}")
    screenshot(page, "registration-review-zh")
    page.locator("#confirm-approve").check()
    page.locator("form.decision button.primary").click()
    page.wait_for_load_state()
    session.expire_all()
    assert session.get(Organization, org.id).status == OrgStatus.ACTIVE

    # The public sees it.
    page.context.clear_cookies()
    page.goto(f"{base}/organizations/{org.id}")
    assert "昆山市春晖助老服务中心" in page.content()
    screenshot(page, "registration-public-profile-zh")
