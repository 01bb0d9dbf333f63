"""Secure headers on every response, and the failed-login throttle."""
from __future__ import annotations

from flask import Flask, request
from limits import parse, storage, strategies

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")


def init_app(app: Flask) -> None:
    @app.after_request
    def _secure_headers(response):
        h = response.headers
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "SAMEORIGIN")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        h.setdefault("Content-Security-Policy", CSP)
        if request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    from market import policy

    app.extensions["login_throttle"] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"],
        policy.value_in(app.config, "login_max_failures"),
        policy.value_in(app.config, "login_failure_window_seconds"),
    )


class LoginThrottle:
    """Counts failed logins per account and per client address in a moving window.

    The storage is shared across gunicorn workers when MARKET_RATELIMIT_STORAGE_URI
    points at Redis; the in-memory default suits one process.
    """

    def __init__(self, uri: str, max_failures: int, window_seconds: int):
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(uri))
        self._per_account = parse(f"{max_failures} per {window_seconds} seconds")
        # An address may try several accounts, but not endlessly.
        self._per_address = parse(f"{max_failures * 4} per {window_seconds} seconds")

    def _keys(self, username: str, address: str):
        return ((self._per_account, "login-user", username.strip().lower()),
                (self._per_address, "login-addr", address))

    def blocked(self, username: str, address: str) -> bool:
        return any(not self._limiter.test(item, *key) for item, *key in self._keys(username, address))

    def failed(self, username: str, address: str) -> None:
        for item, *key in self._keys(username, address):
            self._limiter.hit(item, *key)

    def clear(self, username: str) -> None:
        self._limiter.clear(self._per_account, "login-user", username.strip().lower())
