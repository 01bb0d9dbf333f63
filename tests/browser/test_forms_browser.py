"""Forms in a real browser (issue 14, part 2): a submit with three mistakes shows all
three at once, each beside its own field; a double click on a submit button posts once."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from market.catalogs import services as catalogs
from market.catalogs.models import CatalogItem
from market.clock import LOCAL_TZ
from market.tenders.models import Tender
from tests.browser.conftest import screenshot
from tests.factories import demo_item, user


def _login(page, base, username):
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo-pass-2026")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/home")


def _local(days: int) -> str:
    return (dt.datetime.now(LOCAL_TZ) + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_three_mistakes_are_shown_at_once_each_beside_its_field(live_server, page, demo,
                                                                session):
    base = live_server
    item = demo_item(session, "WJW", 2)
    before = session.scalar(select(func.count(Tender.id)))
    _login(page, base, "dept")
    page.goto(f"{base}/tenders/new?item={item.id}")
    page.fill("#title", "")                       # 1: required
    page.fill("#ceiling_price", "80,00")          # 2: not an amount as written
    page.fill("#clarification_deadline", _local(10))
    page.fill("#bid_deadline", _local(20))
    page.fill("#opening_time", _local(21))
    page.fill("#price_weight", "30")
    page.fill("#criteria-0-name", "服务方案")
    page.fill("#criteria-0-weight", "50")         # 3: the weights add up to 80
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    screenshot(page, "forms-three-errors-zh")

    title = page.locator(".field.has-error:has(#title) .error")
    ceiling = page.locator(".field.has-error:has(#ceiling_price) .error")
    criteria = page.locator("#criteria .error")
    assert title.all_inner_texts() == ["此项为必填项。"]
    assert "逗号只能用作每三位数字之间的千位分隔符" in ceiling.inner_text()
    assert criteria.all_inner_texts() == ["评分因素分值合计须为 100（当前为 80）。"]
    # Each message sits in its own field's block, and there are exactly these three.
    assert page.locator(".field.has-error").count() == 2
    assert page.locator("p.error").count() == 3
    # What was typed is kept, so only the mistakes need correcting.
    assert page.input_value("#ceiling_price") == "80,00"
    assert page.input_value("#criteria-0-name") == "服务方案"
    session.expire_all()
    assert session.scalar(select(func.count(Tender.id))) == before


def test_a_double_click_posts_once(live_server, page, demo, session):
    base = live_server
    catalog = catalogs.create_catalog(session, user(session, "dept"), 2029)
    session.commit()
    _login(page, base, "dept")
    page.goto(f"{base}/catalogs/{catalog.id}")
    form = page.locator(f"form[action$='/catalogs/{catalog.id}/items']")
    form.locator("select[name=service_category]").select_option(index=1)
    form.locator("input[name=title]").fill("社区助餐服务")
    form.locator("input[name=quantity]").fill("12")
    form.locator("input[name=unit]").fill("月")
    form.locator("input[name=budget]").fill("８００００元")
    form.locator("input[name=eligible_categories]").first.check()
    button = form.locator("button[type=submit]")
    # First the page alone: a listener after every other one counts the submits that
    # would leave the page, and keeps them from leaving. Two clicks: one submit.
    page.evaluate("""() => { window.__posts = 0; window.addEventListener("submit", (e) => {
        if (!e.defaultPrevented) { window.__posts += 1; } e.preventDefault(); }); }""")
    button.dblclick()
    button.click(force=True)
    assert page.evaluate("window.__posts") == 1
    assert button.is_disabled()
    # Then for real: a fresh page, a double click, one item stored.
    page.reload()
    page.evaluate("() => 1")
    form.locator("select[name=service_category]").select_option(index=1)
    form.locator("input[name=title]").fill("社区助餐服务")
    form.locator("input[name=quantity]").fill("12")
    form.locator("input[name=unit]").fill("月")
    form.locator("input[name=budget]").fill("８００００元")
    form.locator("input[name=eligible_categories]").first.check()
    with page.expect_navigation():
        button.dblclick()
    page.wait_for_load_state()
    screenshot(page, "forms-double-click-zh")
    session.expire_all()
    items = session.scalars(select(CatalogItem).where(
        CatalogItem.catalog_id == catalog.id)).all()
    assert [(i.title, str(i.budget)) for i in items] == [("社区助餐服务", "80000.00")]
    assert page.locator("text=社区助餐服务").count() >= 1
