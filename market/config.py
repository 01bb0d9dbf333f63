"""Configuration: defaults, then MARKET_* environment variables, then the test's mapping."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
DEV_SECRET_KEY = "dev-only-secret-key-change-me"


def database_url_from_env(env: Mapping[str, str]) -> str:
    """MARKET_DATABASE_URL, else DATABASE_URL, else the SQLite file under instance/."""
    url = env.get("MARKET_DATABASE_URL") or env.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE / 'market.sqlite3'}"
    return normalize_database_url(url)


def normalize_database_url(url: str) -> str:
    """Heroku-style and plain postgres URLs select psycopg 3 (the driver we install)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_config() -> dict:
    return {
        "ENV_NAME": os.environ.get("MARKET_ENV", "development"),
        "SECRET_KEY": DEV_SECRET_KEY,
        "DATABASE_URL": database_url_from_env(os.environ),
        "UPLOAD_FOLDER": str(INSTANCE / "uploads"),
        "LEDGER_EXPORT_FOLDER": str(INSTANCE / "ledger-export"),
        # Flask refuses bodies beyond this with 413 before a view runs.
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "LANGUAGES": {"zh": "简体中文", "en": "English"},
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": os.environ.get("MARKET_RATELIMIT_STORAGE_URI", "memory://"),
        "PAGE_SIZE": 20,
        # Rule values (upload size, login throttle, tender priority, price weight, standstill,
        # challenge period …) live in market/policy: override with MARKET_POLICY_<KEY>.
    }


class ConfigError(RuntimeError):
    pass


def check_production(config: Mapping) -> None:
    """Refuse to run in production with the development secret key or insecure cookies."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigError(
            "Production mode needs MARKET_SECRET_KEY set to a random value of 32+ characters."
        )
