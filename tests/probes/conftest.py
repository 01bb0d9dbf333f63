"""Probes: whole-application checks (crawl every page, the authorization matrix, the
sealed-bid crawl). Each test records its figures as user properties; they are printed at
the end of the run, also under pytest-xdist."""
from __future__ import annotations

import pytest

from market.demo import DEMO_PASSWORD

DEMO_ROLES = ["civil", "town", "finance", "dept", "org", "evaluator", "expert", "auditor"]


@pytest.fixture
def showcase(app, session):
    """The full demo of ``flask demo seed``: the core seed plus the showcase (an opened
    tender scored, awarded, contracted and partly paid)."""
    from market.demo import seed

    with app.app_context():  # so the demo's documents are written under UPLOAD_FOLDER
        logins = seed(session, showcase=True)
        session.commit()
    return logins


def login(app, username: str | None, language: str | None = None):
    """A test client, logged in as ``username`` (None: the public), reading ``language``."""
    client = app.test_client()
    if language:
        client.post(f"/language/{language}", data={"next": "/"})
    if username:
        r = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, f"login as {username}: {r.status_code}"
        if language:
            client.post(f"/language/{language}", data={"next": "/"})
        client.get("/")  # the welcome was flashed in the stored language: read it now
    return client


def pytest_terminal_summary(terminalreporter):
    lines = []
    for report in terminalreporter.stats.get("passed", []) + \
            terminalreporter.stats.get("failed", []) + terminalreporter.stats.get("xfailed", []):
        if report.when != "call":
            continue
        for name, value in report.user_properties:
            if name == "probe":
                lines.append(f"{report.nodeid.split('::')[-1]}: {value}")
    if lines:
        terminalreporter.section("probes")
        for line in sorted(lines):
            terminalreporter.write_line(line)
