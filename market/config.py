"""Configuration: defaults, then MARKET_* environment variables, then the test's mapping."""
from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import stat
import tempfile
from collections.abc import Mapping, MutableMapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
# The key every checkout used to share before issue 9: refused everywhere, never a default.
PUBLIC_SECRET_KEYS = frozenset({"dev-only-secret-key-change-me"})
MIN_SECRET_KEY_LENGTH = 32

log = logging.getLogger(__name__)


def database_url_from_env(env: Mapping[str, str]) -> str:
    """MARKET_DATABASE_URL, else DATABASE_URL, else the SQLite file under instance/."""
    url = env.get("MARKET_DATABASE_URL") or env.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE / 'market.sqlite3'}"
    return normalize_database_url(url)


def replica_url_from_env(env: Mapping[str, str]) -> str | None:
    """MARKET_DATABASE_REPLICA_URL, else DATABASE_REPLICA_URL, else None (no replica)."""
    url = env.get("MARKET_DATABASE_REPLICA_URL") or env.get("DATABASE_REPLICA_URL")
    return normalize_database_url(url) if url else None


def normalize_database_url(url: str) -> str:
    """Heroku-style and plain postgres URLs select psycopg 3 (the driver we install)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_config() -> dict:
    return {
        "ENV_NAME": os.environ.get("MARKET_ENV", "development"),
        # None: outside production a random key is made once per instance and kept in
        # SECRET_KEY_FILE (0600); production refuses to start without MARKET_SECRET_KEY.
        "SECRET_KEY": None,
        "SECRET_KEY_FILE": str(INSTANCE / "secret_key"),
        "DATABASE_URL": database_url_from_env(os.environ),
        # A read replica (只读副本) for the pages that only read (market/db.py); None: every
        # query goes to DATABASE_URL. A client that wrote reads the primary for the next
        # DATABASE_REPLICA_AFTER_WRITE_SECONDS, beyond any normal replication lag.
        "DATABASE_REPLICA_URL": replica_url_from_env(os.environ),
        "DATABASE_REPLICA_AFTER_WRITE_SECONDS": 10,
        "UPLOAD_FOLDER": str(INSTANCE / "uploads"),
        "LEDGER_EXPORT_FOLDER": str(INSTANCE / "ledger-export"),
        # Flask refuses bodies beyond this with 413 before a view runs.
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "LANGUAGES": {"zh": "简体中文", "en": "English"},
        # OCDS publication (market/ocds): the ocid prefix (OCDS 开放合同数据标准; a
        # deployment sets the prefix the Open Contracting Partnership registered for it),
        # the public base URL named in bulk packages written by the CLI, and the official
        # schema zip the tests validate against (a zip of the standard's schema/ folder).
        "OCDS_PREFIX": "ocds-000000",  # a placeholder until registered
        "OCDS_PUBLIC_URL": "http://localhost:5000",
        "OCDS_SCHEMA_ZIP": str(ROOT.parent / "shared" / "data" / "ocds"
                               / "standard-1__1__5-schema.zip"),
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A session ends after this long without a request (checked on the server too);
        # "remember me" keeps a login for REMEMBER_COOKIE_DURATION at most.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=8),
        "REMEMBER_COOKIE_DURATION": dt.timedelta(days=14),
        # How often an active session's "last seen" time is written (seconds).
        "SESSION_TOUCH_SECONDS": 300,
        # How many reverse proxies in front of the app set X-Forwarded-For / -Proto;
        # 0 trusts none of those headers (MARKET_PROXY_COUNT).
        "PROXY_COUNT": 0,
        # The header in which the reverse proxy stamps when a request reached the platform
        # (e.g. "X-Request-Start", nginx: proxy_set_header X-Request-Start "t=${msec}").
        # A bid is on time if it *arrived* before the deadline, however long it then waited
        # for a worker (market/core/arrival.py). None: no stamp is read, ever — set it only
        # when the proxy overwrites the header (MARKET_REQUEST_START_HEADER). A stamp older
        # than REQUEST_START_MAX_AGE_SECONDS is ignored (MARKET_REQUEST_START_MAX_AGE_SECONDS).
        "REQUEST_START_HEADER": None,
        "REQUEST_START_MAX_AGE_SECONDS": 300,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # Failed-login throttle (market/security.py; the failure count and window are policy
        # rules: market/policy/rules.py). After the allowed failures for
        # one (account, address) pair (the policy rule login_max_failures) that pair waits LOGIN_DELAY_BASE_SECONDS, doubling
        # with each further failure up to LOGIN_DELAY_MAX_SECONDS; the pair's count is
        # forgotten after LOGIN_PAIR_MEMORY_SECONDS or on a successful login. An account
        # (or an address) with many failures within the policy window asks a
        # question before it checks a password; it never locks the owner out.
        "LOGIN_DELAY_BASE_SECONDS": 30,
        "LOGIN_DELAY_MAX_SECONDS": 60 * 60,
        "LOGIN_PAIR_MEMORY_SECONDS": 24 * 60 * 60,
        "LOGIN_ACCOUNT_CHALLENGE_AFTER": 10,
        "LOGIN_ADDRESS_CHALLENGE_AFTER": 20,
        # Keys in the shared store start with this (several platforms may share a Redis).
        "LOGIN_THROTTLE_PREFIX": "market-login",
        # A password accepted for a user with a second factor waits this long for the code.
        "LOGIN_SECOND_FACTOR_SECONDS": 5 * 60,
        "ACCOUNT_EVENTS_PAGE_SIZE": 20,
        "RATELIMIT_STORAGE_URI": os.environ.get("MARKET_RATELIMIT_STORAGE_URI", "memory://"),
        "PAGE_SIZE": 20,
        # Budget execution pages by department (each with all its items): a province has
        # two thousand of them.
        "EXECUTION_DEPARTMENTS_PER_PAGE": 10,
        # Rule values (upload size, login throttle, tender priority, price weight, standstill,
        # challenge period …) live in market/policy: override with MARKET_POLICY_<KEY>.
    }


class ConfigError(RuntimeError):
    pass


def check_production(config: Mapping) -> None:
    """Refuse to run in production without a real secret key."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key in PUBLIC_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            "Production mode needs MARKET_SECRET_KEY set to a random value of 32+ characters."
        )


def finalize(config: MutableMapping) -> None:
    """Settings that follow from others, once every source has been read."""
    check_production(config)
    key = config.get("SECRET_KEY")
    if key in PUBLIC_SECRET_KEYS:
        raise ConfigError("This secret key is published in the source code; set another one.")
    if not key:
        config["SECRET_KEY"] = instance_secret_key(Path(config["SECRET_KEY_FILE"]))
    # The remember-me cookie is as secure as the session cookie unless set explicitly.
    if config.get("REMEMBER_COOKIE_SECURE") is None:
        config["REMEMBER_COOKIE_SECURE"] = bool(config.get("SESSION_COOKIE_SECURE"))
    for name, unit in (("PERMANENT_SESSION_LIFETIME", "seconds"),
                       ("REMEMBER_COOKIE_DURATION", "seconds")):
        if isinstance(config.get(name), (int, float)):  # from MARKET_* as a number of seconds
            config[name] = dt.timedelta(**{unit: config[name]})
    config["PROXY_COUNT"] = max(0, int(config.get("PROXY_COUNT") or 0))
    config["REQUEST_START_HEADER"] = (str(config.get("REQUEST_START_HEADER") or "").strip()
                                      or None)
    config["REQUEST_START_MAX_AGE_SECONDS"] = float(
        config.get("REQUEST_START_MAX_AGE_SECONDS") or 0)
    if config["REQUEST_START_MAX_AGE_SECONDS"] <= 0:
        raise ConfigError("REQUEST_START_MAX_AGE_SECONDS must be a positive number of seconds.")


def instance_secret_key(path: Path) -> str:
    """This instance's own random key: read from ``path``, or made there (0600) once.

    Several workers starting together agree on one key: each writes a private temporary
    file and links it into place; the link fails for all but the first, who then read it.
    """
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            _write_exclusive(path)
    finally:
        os.unlink(tmp)
    return _read_key(path)


def _write_exclusive(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")


def _read_key(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (mode %o); making it 0600", path, mode)
        path.chmod(0o600)
    key = path.read_text().strip()
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(f"{path} holds no usable secret key; delete it to make a new one.")
    return key
