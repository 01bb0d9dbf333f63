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
        "MAX_UPLOAD_BYTES": 10 * 1024 * 1024,
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
        # Failed-login throttle: this many failures per account or address per window.
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_FAILURE_WINDOW_SECONDS": 15 * 60,
        "RATELIMIT_STORAGE_URI": os.environ.get("MARKET_RATELIMIT_STORAGE_URI", "memory://"),
        "PAGE_SIZE": 20,
        # Tenders: the 3A+ priority (X % price deduction / Y bonus points), per-tender values
        # default to these and may not exceed the maxima.
        "PRIORITY_PRICE_DEDUCTION_DEFAULT": 6,
        "PRIORITY_PRICE_DEDUCTION_MAX": 10,
        "PRIORITY_SCORE_BONUS_DEFAULT": 2,
        "PRIORITY_SCORE_BONUS_MAX": 5,
        # Price weight in a service tender's scoring: 10-30 % (政府采购货物和服务招标投标管理办法 §55).
        "TENDER_PRICE_WEIGHT_MIN": 10,
        "TENDER_PRICE_WEIGHT_MAX": 30,
        "TENDER_STANDSTILL_DAYS_DEFAULT": 7,
        "TENDER_CHALLENGE_WORKING_DAYS_DEFAULT": 7,  # 质疑期: seven working days
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
