"""Every page in every state: each demo role and the public, in Chinese and in English,
start from their home page and follow every same-site link and GET form, breadth first.

A page fails the crawl when it answers 5xx, when a link offered to the reader answers
4xx (a dead link), when (in Chinese) interface text is left in
English — or (in English) in Chinese — by the checker in tests/probes/__init__.py, or
when an HTML page offers no way back: a link to the front page (the header's brand, or an
error page's "back to the front page").

Bounded for CI (each path without its query at most 3 times, each route at most 12 times,
at most 250 pages per role and language); PROBES_LONG=1 runs a longer crawl.
"""
from __future__ import annotations

import re
from dataclasses import replace
from collections import Counter
from urllib.parse import urlsplit

import pytest
from sqlalchemy import String, Text, inspect, select
from werkzeug.exceptions import HTTPException

from market.models import Base
from tests.probes.conftest import DEMO_ROLES, login
from tests.probes.crawler import crawl, bounds
from tests.probes import CJK, ENGLISH_RUN, data_values, strip_data, visible_text

LIMITS = bounds(per_path=3, per_route=12, max_pages=250)
WAY_BACK = re.compile(r'<a\b[^>]*\bhref="/"')
WHO = [None] + DEMO_ROLES


def endpoint_of(app, url: str) -> str:
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(urlsplit(url).path, method="GET")[0]
    except HTTPException:
        return "(no route)"


def page_values(session) -> list[str]:
    """The checker's data values, plus the ledger's (its narrations are bilingual data:
    "预算批复 appropriation FY2026 …") and one-character values (a unit such as 人, 户)."""
    from ledger.models import LedgerBase

    values = set(data_values(session))
    for mapper in LedgerBase.registry.mappers:
        for column in inspect(mapper.class_).columns:
            if isinstance(column.type, (String, Text)):
                values.update(v for (v,) in session.execute(select(column)) if v and len(v) > 1)
    for mapper in Base.registry.mappers:
        for column in inspect(mapper.class_).columns:
            if isinstance(column.type, (String, Text)):
                values.update(v for (v,) in session.execute(select(column))
                              if v and len(v) == 1 and CJK.match(v))
    return sorted(values, key=len, reverse=True)


# English text may gloss a Chinese legal term or a regulation's Chinese title in parentheses:
# "filed (备案) organizations", "MOF Order No. 87 (政府采购货物和服务招标投标管理办法), art. 55".
GLOSS = re.compile(r"[(（][^()（）]*[\u3400-\u9fff][^()（）]*[)）]")


def problems_of(page, language: str, values: list[str]) -> list[str]:
    if page.status >= 500:
        return [f"answers {page.status}"]
    if 400 <= page.status < 500 and page.referrer is not None:
        # Every link the pages offer this reader leads somewhere it may go.
        found = [f"dead link: answers {page.status}"]
        return found + problems_of(replace(page, referrer=None), language, values)
    if not page.is_html or 300 <= page.status < 400:
        return []
    if page.url.startswith("/audit/fava/"):
        return []  # Fava speaks its own languages
    found = []
    html = page.text
    if not WAY_BACK.search(html):
        found.append("no way back (no link to the front page)")
    for text in strip_data(visible_text(html), values):
        if language == "zh" and ENGLISH_RUN.search(text):
            found.append(f"untranslated: {text!r}")
        if language == "en" and CJK.search(GLOSS.sub(" ", text)):
            found.append(f"Chinese on an English page: {text!r}")
    return found


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("who", WHO, ids=[w or "public" for w in WHO])
def test_crawl_every_page(app, session, showcase, who, language, record_property):
    values = page_values(session)
    client = login(app, who, language)
    problems: list[str] = []

    def check(page):
        for problem in problems_of(page, language, values):
            problems.append(f"{page.url} (from {page.referrer}): {problem}")

    starts = ["/home", "/"] if who else ["/"]
    result = crawl(client, starts, LIMITS, lambda path: endpoint_of(app, path), on_page=check)
    endpoints = Counter(endpoint_of(app, p.url) for p in result.pages)
    statuses = Counter(p.status for p in result.pages)
    record_property("probe", f"{len(result.pages)} pages, {len(endpoints)} routes, "
                             f"{result.skipped} links past the bounds, statuses "
                             f"{dict(sorted(statuses.items()))}; routes: "
                             f"{' '.join(sorted(endpoints))}")
    assert "home.index" in endpoints
    assert problems == [], "\n".join(problems[:60])
