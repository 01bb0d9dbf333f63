"""Secure headers on every response, the client address, and the failed-login throttle."""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, request
from limits import storage
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")


SECURE_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Content-Security-Policy", CSP),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def add_secure_headers(headers, *, https: bool) -> None:
    """Set the platform's security headers on ``headers`` (werkzeug ``Headers``) where the
    response has not set its own. The platform's responses get them after each request;
    the applications mounted beside it (Fava) through the same function."""
    for name, value in SECURE_HEADERS + ((HSTS,) if https else ()):
        headers.setdefault(name, value)


# Whitespace and control characters are dropped by browsers' URL parsers ("/\t/evil" is
# "//evil"), and a backslash is read as a slash ("/\evil" is "//evil"): a target holding
# any of them is not trusted at all.
_UNTRUSTED = re.compile(r"[\x00-\x20\x7f\\]")


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site ("/…", not "//…"), else None: what a
    redirect or a link may point to when it came from the request (``next``, Referer)."""
    if not target or _UNTRUSTED.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def same_site_path(url: str | None, host: str) -> str | None:
    """The path and query of ``url`` (e.g. a Referer) when it points into this site —
    a path, or an http(s) URL of ``host`` — else None. Never another host, a scheme-relative
    "//evil", a backslash, a control character, userinfo or another scheme."""
    if not url or _UNTRUSTED.search(url):
        return None
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return local_path(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if parts.netloc.lower() != (host or "").lower():
        return None
    return local_path((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))


def init_app(app: Flask) -> None:
    @app.after_request
    def _secure_headers(response):
        add_secure_headers(response.headers, https=request.is_secure)
        return response

    from market import policy

    c = app.config
    app.extensions["login_throttle"] = LoginThrottle(
        c["RATELIMIT_STORAGE_URI"],
        max_failures=policy.value_in(c, "login_max_failures"),
        delay_base=c["LOGIN_DELAY_BASE_SECONDS"],
        delay_max=c["LOGIN_DELAY_MAX_SECONDS"],
        pair_memory=c["LOGIN_PAIR_MEMORY_SECONDS"],
        window=policy.value_in(c, "login_failure_window_seconds"),
        account_challenge_after=c["LOGIN_ACCOUNT_CHALLENGE_AFTER"],
        address_challenge_after=c["LOGIN_ADDRESS_CHALLENGE_AFTER"],
        prefix=c["LOGIN_THROTTLE_PREFIX"],
    )


def trust_proxies(app: Flask) -> None:
    """X-Forwarded-For / -Proto are believed only from as many proxies as configured
    (MARKET_PROXY_COUNT); with 0 the peer address is the client's, whatever it claims.
    Called last by create_app, so every mounted application sees the same address."""
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


@dataclass(frozen=True)
class Verdict:
    """What a login attempt for (account, address) must go through before the password."""

    retry_after: int = 0  # > 0: refuse this pair for that many seconds (429)
    challenge: bool = False  # ask the question first: the account or address is under attack


class LoginThrottle:
    """Failed-login counts in a store shared by every worker (limits' storage: memory://
    for one process, redis://… for several).

    - Per (account, address): after ``max_failures`` failures the pair waits
      ``delay_base`` seconds, doubling with each further failure up to ``delay_max``.
      Only that pair waits: the owner elsewhere logs in as usual.
    - Per account and per address over ``window`` seconds: past the thresholds, a
      question is asked before any password is checked (an attack from many addresses
      on one account, or on many accounts from one address). Nobody is locked out.
    """

    PREFIX = "market-login"

    def __init__(self, uri: str, *, max_failures: int = 5, delay_base: int = 30,
                 delay_max: int = 3600, pair_memory: int = 86400, window: int = 900,
                 account_challenge_after: int = 10, address_challenge_after: int = 20,
                 prefix: str = PREFIX):
        self.storage = storage.storage_from_string(uri)
        self.max_failures = max_failures
        self.delay_base = delay_base
        self.delay_max = delay_max
        self.pair_memory = pair_memory
        self.window = window
        self.account_challenge_after = account_challenge_after
        self.address_challenge_after = address_challenge_after
        self.prefix = prefix

    def _key(self, kind: str, *parts: str) -> str:
        return "/".join((self.prefix, kind, *parts))

    @staticmethod
    def _account(username: str) -> str:
        return (username or "").strip().lower()

    def _keys(self, username: str, address: str) -> dict[str, str]:
        account = self._account(username)
        return {"pair": self._key("pair", account, address),
                "lock": self._key("lock", account, address),
                "account": self._key("account", account),
                "address": self._key("address", address)}

    def check(self, username: str, address: str) -> Verdict:
        keys = self._keys(username, address)
        if self.storage.get(keys["lock"]) > 0:
            wait = math.ceil(self.storage.get_expiry(keys["lock"]) - time.time())
            return Verdict(retry_after=max(1, wait))
        challenge = (self.storage.get(keys["account"]) >= self.account_challenge_after
                     or self.storage.get(keys["address"]) >= self.address_challenge_after)
        return Verdict(challenge=challenge)

    def failed(self, username: str, address: str) -> int:
        """Count a failure; returns the delay it imposes on the pair (0: none yet)."""
        keys = self._keys(username, address)
        count = self.storage.incr(keys["pair"], self.pair_memory)
        self.storage.incr(keys["account"], self.window)
        self.storage.incr(keys["address"], self.window)
        if count < self.max_failures:
            return 0
        doublings = min(count - self.max_failures, 30)
        delay = min(self.delay_base * 2 ** doublings, self.delay_max)
        self.storage.clear(keys["lock"])
        self.storage.incr(keys["lock"], delay)
        return delay

    def succeeded(self, username: str, address: str) -> None:
        """The owner got in from here: forget this pair's failures (not the account's:
        an attack elsewhere goes on being answered with the question)."""
        keys = self._keys(username, address)
        self.storage.clear(keys["pair"])
        self.storage.clear(keys["lock"])

    def count(self, kind: str, key: str) -> int:
        """How many ``hit`` of ``kind`` for ``key`` the current window holds (another
        limited action, e.g. filing a complaint, counted in the same shared store)."""
        return self.storage.get(self._key(kind, key))

    def hit(self, kind: str, key: str, window: int) -> int:
        """Count one more ``kind`` for ``key``; the window starts at the first and lasts
        ``window`` seconds. Returns the count."""
        return self.storage.incr(self._key(kind, key), window)

    def first_use(self, nonce: str, ttl: int = 3600) -> bool:
        """True the first time ``nonce`` is seen (a one-use challenge or code)."""
        return self.storage.incr(self._key("nonce", nonce), ttl) == 1
