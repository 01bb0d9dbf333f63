"""The application factory, configuration and secure defaults."""
from __future__ import annotations

import pytest

from market import create_app
from market.config import ConfigError, database_url_from_env


def test_production_refuses_default_secret_key(database_url):
    with pytest.raises(ConfigError):
        create_app({"ENV_NAME": "production", "DATABASE_URL": database_url})


def test_production_starts_with_a_real_secret_key(database_url):
    app = create_app({"ENV_NAME": "production", "DATABASE_URL": database_url,
                      "SECRET_KEY": "x" * 48})
    assert app.config["ENV_NAME"] == "production"


def test_database_url_selection():
    assert database_url_from_env({}).startswith("sqlite:///")
    assert database_url_from_env({"DATABASE_URL": "postgresql://u@h/db"}) == \
        "postgresql+psycopg://u@h/db"
    assert database_url_from_env({"DATABASE_URL": "postgresql://a/b",
                                  "MARKET_DATABASE_URL": "sqlite:///x.db"}) == "sqlite:///x.db"


def test_secure_headers_and_cookie_flags(client, demo):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    response = client.post("/login", data={"username": "civil", "password": "demo-pass-2026"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_migrations_cover_every_model(database_url):
    """Alembic's check: a model change without a migration fails here."""
    from alembic import command

    from market.db import alembic_config

    command.check(alembic_config(database_url))


def test_a_plain_postgresql_url_from_the_environment_selects_psycopg(monkeypatch):
    monkeypatch.setenv("MARKET_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    app = create_app({"TESTING": True})
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    app.extensions["db_engine"].dispose()
