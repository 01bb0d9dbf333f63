"""The policy-targets dashboard in Chromium, under the platform's CSP: ECharts (served from
static/vendor, fetched by ``python3 dev.py setup``) draws every chart, each chart's series
carry the figures of the table beside it, and nothing on the page is refused."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from market.dashboard import queries
from tests.browser.conftest import screenshot

ECHARTS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "echarts" / "echarts.min.js"

DRAWN = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const chart = echarts.getInstanceByDom(el);
  const canvas = el.querySelector('canvas');
  const option = chart ? chart.getOption() : null;
  return {key: JSON.parse(el.dataset.chart).key,
          width: canvas ? canvas.width : 0, height: canvas ? canvas.height : 0,
          series: option ? option.series.map(s => ({name: s.name, data: s.data})) : []};
})"""


@pytest.fixture
def echarts_present():
    if not ECHARTS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("static/vendor/echarts is missing: python3 dev.py setup fetches it")
        pytest.skip("static/vendor/echarts is missing (python3 dev.py setup fetches it)")


def test_the_dashboard_draws_its_charts(live_server, page, app, session, demo,
                                        echarts_present):
    with app.test_request_context():
        figures = queries.indicators(session)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: refused.append(str(e)))
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    response = page.goto(f"{live_server}/dashboard/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("[data-chart][data-drawn=true]")
    charts = {c["key"]: c for c in page.evaluate(DRAWN)}
    assert set(charts) == {"per10k", "graded", "count", "towns_per10k", "town_per10k",
                           "town_graded", "town_bases", "funds"}
    for key, chart in charts.items():
        assert chart["width"] > 100 and chart["height"] > 100, key
        assert len(chart["series"]) >= 2, key
    # The count chart's bars are the figures of the table beside it.
    registered = charts["count"]["series"][0]["data"]
    assert registered == [y.city.registered for y in figures.years]
    assert registered[-1] > 0
    town_bars = charts["town_per10k"]["series"][0]["data"]
    assert town_bars == [float(a.per_10k) for a in figures.years[-1].towns]
    town_lines = charts["towns_per10k"]["series"]
    assert len(town_lines) == len(figures.years[-1].towns) + 1  # and the target
    assert town_lines[0]["data"] == [float(y.towns[0].per_10k) for y in figures.years]
    funds_bars = charts["funds"]["series"][0]["data"]
    assert len(funds_bars) >= 1 and all(v > 0 for v in funds_bars)
    screenshot(page, "dashboard-charts")
    assert [u for u in missing if not u.endswith("/favicon.ico")] == []
    assert [r for r in refused if "favicon" not in r and "404" not in r] == []
