"""Every role's main pages in Chromium, on a desktop and on a phone, in Chinese and English.

For each role (the demo accounts and the anonymous public), each viewport (1366×900 and
390×844) and each language, the pages of the role's navigation are opened on the demo data
and must: be no wider than the screen, show no interface text in the other language
(``tests.probes``' rule: visible text less every stored value), carry the requested
language, and log no console error. A full-page screenshot of each is kept in
``test-artifacts/screenshots/<role>-<viewport>-<lang>-<page>.png``.

The demo (``flask demo seed``: the city-year and the showcase) is seeded once for the module,
served by one live server; each test logs in in a
fresh browser context.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from market import create_app
from market.clock import set_clock
from market.db import upgrade_database
from tests.browser.conftest import ARTIFACTS
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.probes import CJK, ENGLISH_RUN, data_values, strip_data, visible_text

SCREENSHOTS = ARTIFACTS / "screenshots"
PASSWORD = "demo-pass-2026"

# The pages of each role's navigation worth a look; {bid} is a tender the demo
# organization can bid on, {tender} the first published tender.
ROLE_PAGES = {
    "public": ["/", "/tenders/", "/tenders/{tender}", "/organizations/", "/contracts/"],
    "civil": ["/home", "/registry/", "/registry/applications/", "/complaints/work",
              "/audit-log/"],
    "town": ["/home", "/registry/", "/registry/applications/"],
    "finance": ["/home", "/catalogs/review", "/contracts/work", "/grants/payable"],
    "dept": ["/home", "/catalogs/mine", "/tenders/queue", "/contracts/work"],
    "org": ["/home", "/my/organization", "/tenders/for-me", "/tenders/my-bids",
            "/tenders/{bid}/bid"],
    "evaluator": ["/home", "/evaluations/work", "/performance-evaluations/"],
    "expert": ["/home", "/tenders/my-evaluations", "/grants/reviews"],
    "auditor": ["/home", "/audit/", "/audit/red-flags/", "/experts/draws", "/audit-log/"],
}
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
LOCALES = {"zh": "zh-CN", "en": "en"}

# Elements sticking out past the right edge of the screen, to name them in a failure.
OVERFLOW = """(width) => {
  const doc = document.documentElement;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      const inside = el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1;
      if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
        + ' right=' + Math.round(r.right));
    }
  }
  return {scroll: doc.scrollWidth, inner: window.innerWidth, culprits: out.slice(0, 5)};
}"""


def slug(path: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
    return name or "index"


@pytest.fixture(scope="module")
def demo_site(_template_db, tmp_path_factory):
    """One app on one database with the demo seeded, served on a free port."""
    tmp = tmp_path_factory.mktemp("roles")
    if ON_POSTGRES:
        # A database of its own: under xdist other modules' tests may run on this worker
        # between these, and each empties the shared test database after itself.
        admin = create_engine(make_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
        name = f"mkt_roles_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
        upgrade_database(url)
    else:
        shutil.copyfile(_template_db, tmp / "roles.sqlite3")
        url = f"sqlite:///{tmp / 'roles.sqlite3'}"
    app = create_app({
        "TESTING": True, "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "UPLOAD_FOLDER": str(tmp / "uploads"), "LEDGER_EXPORT_FOLDER": str(tmp / "ledger"),
        "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
    })
    # The demo as the README's first command seeds it: the city-year and the showcase.
    seeded = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    session = Session(app.extensions["db_engine"], expire_on_commit=False)
    values = data_values(session)
    session.close()
    ids = _ids(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "values": values, "ids": ids}
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["db_engine"].dispose()
    set_clock(None)
    if ON_POSTGRES:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _ids(app) -> dict:
    """The tender the demo organization may bid on, and the first tender of the list."""
    client = app.test_client()
    tender = re.search(r'href="/tenders/(\d+)"', client.get("/tenders/").get_data(as_text=True))
    client.post("/login", data={"username": "org", "password": PASSWORD})
    bid = re.search(r'href="/tenders/(\d+)/bid"',
                    client.get("/tenders/for-me").get_data(as_text=True))
    assert tender and bid, "the demo has a published tender the organization can bid on"
    return {"tender": tender.group(1), "bid": bid.group(1)}


@pytest.mark.parametrize("language", list(LOCALES))
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_role_pages(_playwright_browser, demo_site, role, viewport, language):
    base = demo_site["url"]
    context = _playwright_browser.new_context(locale=LOCALES[language], **VIEWPORTS[viewport])
    width = VIEWPORTS[viewport]["viewport"]["width"]
    try:
        if role != "public":
            login = context.request.post(f"{base}/login",
                                         form={"username": role, "password": PASSWORD},
                                         max_redirects=0)
            assert login.status == 302, f"{role} could not log in"
        # As a logged-in user the choice is stored on the account; otherwise in a cookie.
        context.request.post(f"{base}/language/{language}", form={"next": "/"},
                             max_redirects=0)
        # The welcome was flashed at login in the language stored before the switch.
        context.request.get(f"{base}/")
        page = context.new_page()
        page.set_default_timeout(15000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)
        problems = []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for path in ROLE_PAGES[role]:
            url = path.format(**demo_site["ids"])
            errors.clear()
            response = page.goto(base + url)
            name = f"{role}-{viewport}-{language}-{slug(path.replace('{', '').replace('}', ''))}"
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            if response.status != 200:
                problems.append(f"{url}: answered {response.status}")
                continue
            lang = page.evaluate("document.documentElement.lang")
            if lang != LOCALES[language]:
                problems.append(f"{url}: page language {lang!r}, not {LOCALES[language]!r}")
            box = page.evaluate(OVERFLOW, width)
            if box["scroll"] > width + 1 or box["scroll"] > box["inner"] + 1:
                problems.append(f"{url}: {box['scroll']} px wide on a {width} px screen: "
                                f"{box['culprits']}")
            for text in strip_data(visible_text(page.content()), demo_site["values"]):
                wrong = ENGLISH_RUN.search(text) if language == "zh" else CJK.search(text)
                if wrong:
                    problems.append(f"{url}: not in {language}: {text!r}")
            if viewport == "phone" and path == ROLE_PAGES[role][0]:
                # The menu open, every group of it unfolded, still fits the screen.
                page.tap("label.nav-toggle-label")
                page.evaluate("document.querySelectorAll('details.navgroup')"
                              ".forEach(d => { d.open = true; })")
                box = page.evaluate(OVERFLOW, width)
                if box["scroll"] > width + 1:
                    problems.append(f"{url}: the open menu is {box['scroll']} px wide on a "
                                    f"{width} px screen: {box['culprits']}")
            problems.extend(f"{url}: console: {e}" for e in errors)
        assert problems == [], f"{role} on {viewport} in {language}:\n" + "\n".join(problems)
    finally:
        context.close()


CARDS = """() => {
  const table = document.querySelector('main table');
  const heads = Array.from(table.tHead.rows[0].cells).map(c => c.textContent.trim());
  const row = table.tBodies[0].rows[0];
  return {heads, labels: Array.from(row.cells).map(c => c.dataset.label || ''),
          display: getComputedStyle(row).display, cards: table.classList.contains('cards'),
          head: getComputedStyle(table.tHead).display};
}"""


@pytest.mark.parametrize("viewport, row_display", [("phone", "block"), ("desktop", "table-row")])
def test_a_list_turns_into_labelled_cards_on_a_phone(_playwright_browser, demo_site, viewport,
                                                     row_display):
    context = _playwright_browser.new_context(locale="zh-CN", **VIEWPORTS[viewport])
    try:
        page = context.new_page()
        page.goto(demo_site["url"] + "/tenders/")
        table = page.evaluate(CARDS)
        # Every cell carries its column's heading (static/js/tables.js) ...
        assert table["cards"] and len(table["heads"]) >= 4
        assert table["labels"] == table["heads"]
        # ... shown before it on a phone, where the row is a card and the heading row hidden.
        assert table["display"] == row_display
        assert (table["head"] == "none") == (viewport == "phone")
    finally:
        context.close()
