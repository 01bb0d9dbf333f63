"""Fixtures for the account tests: apps built with extra settings, addresses, users."""
from __future__ import annotations

import pytest

from market import create_app


@pytest.fixture
def make_app(database_url, tmp_path, monkeypatch):
    """make_app(**settings): an app on the test database with the tests' usual settings."""
    monkeypatch.delenv("MARKET_SECRET_KEY", raising=False)
    monkeypatch.delenv("MARKET_PROXY_COUNT", raising=False)
    made = []

    def _make(**settings):
        config = {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SECRET_KEY_FILE": str(tmp_path / "instance" / "secret_key"),
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "LEDGER_EXPORT_FOLDER": str(tmp_path / "ledger-export"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
        }
        config.update(settings)
        if config["SECRET_KEY"] is None:  # as when no key is configured at all
            del config["SECRET_KEY"]
        app = create_app(config)
        made.append(app)
        return app

    yield _make
    for app in made:
        app.extensions["db_engine"].dispose()


@pytest.fixture
def wall(monkeypatch):
    """The wall clock sessions are timed by, frozen now; ``wall.advance(hours=9)``."""
    import datetime as dt

    from market.accounts import sessions
    from tests.conftest import Clock

    c = Clock(dt.datetime.now(dt.timezone.utc))
    monkeypatch.setattr(sessions, "wall_now", c)
    return c


def client_from(app, address: str = "127.0.0.1", agent: str = "pytest-browser"):
    """A test client whose requests come from ``address`` with this User-Agent."""
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent})
    return client


def login(client, username: str, password: str = "demo-pass-2026", **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})
