"""HTTP caching (HTTP 缓存) of what anyone may read: an ETag on every anonymous 200 answer
to a GET or HEAD, and 304 Not Modified when the client already holds that answer.

One ``after_request`` hook (``init_app``) decides for every response:

- **Logged in**: no ETag at all (a view's own is removed) and ``Cache-Control: private,
  no-store`` unless the view chose its own — a page holding one user's bids, payments or
  personal data is never kept by a shared cache nor answered from a validator.
- **Anonymous, 200, GET/HEAD**: the ETag is the view's own when it set one (``set_etag``
  here: cheap validators of downloads, see market/core/listing.py and market/ocds/views.py),
  else a hash of the body. A streamed body the view gave no ETag stays without one: it is
  never read here (hashing would buffer the whole download). The language and, when the
  page carries a CSRF token, the session's token are mixed into every ETag, then
  Werkzeug's ``make_conditional`` answers ``If-None-Match`` / ``If-Modified-Since``.
  ``Cache-Control: no-cache`` (always revalidate: a public page is never served stale)
  and ``private`` when the body read the session (flashed messages, the CSRF token);
  ``Vary: Cookie`` because the language comes from the ``lang`` cookie.

CSRF tokens: every page carries the language switch, a form with a CSRF token signed with
the time, so two renders of one page differ in that token only. The token is replaced by a
placeholder before hashing (the ETag is then weak: the two renders are the same page, not
the same bytes), and the session's raw token — what a signed token is checked against —
goes into the ETag, so a 304 only ever confirms a page whose token still validates for this
client. With ``WTF_CSRF_TIME_LIMIT`` set, the time is cut into half-limit windows that
enter the ETag too, so a confirmed page's token has at least half its life left.

Vary: the locale selector (market/i18n.py) reads the user's setting and the ``lang``
cookie, never ``Accept-Language``, so ``Vary: Accept-Language`` would only split caches
for nothing.
"""
from __future__ import annotations

import hashlib
from time import time as wall_time

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

CONDITIONAL_METHODS = ("GET", "HEAD")
CSRF_MASK = b"csrf-token"


def fingerprint(*parts) -> str:
    """A short digest of ``parts`` (their ``repr``), for an ETag built from what a response
    is made of rather than from its bytes."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def set_etag(response: Response, *parts) -> Response:
    """Give ``response`` a weak ETag made from ``parts``: everything its content depends on
    besides the language and the visitor (which the hook adds). Weak, since equal parts
    promise the same content, not the same bytes (a workbook's zip stamps its own time)."""
    response.set_etag(fingerprint(*parts), weak=True)
    return response


def init_app(app: Flask) -> None:
    app.after_request(conditional)


def conditional(response: Response) -> Response:
    """The after-request hook (see the module's docstring)."""
    if request.method not in CONDITIONAL_METHODS or response.direct_passthrough:
        return response  # send_file (static files, documents) validates on its own
    # Read before anything here loads the user: loading touches the session itself.
    session_read = session.accessed
    if current_user.is_authenticated:
        _private(response)
        return response
    if response.status_code != 200 or "no-store" in response.headers.get("Cache-Control", ""):
        return response
    csrf_used = _csrf_token() is not None
    tag, weak = response.get_etag()
    if tag is None:
        if response.is_streamed:
            return response  # a stream without a cheap validator of its own: never read
        body, weak = _body_for_hash(response)
        tag = hashlib.sha256(body).hexdigest()[:32]
    response.set_etag(fingerprint(tag, str(get_locale()), *_visitor(csrf_used)), weak=weak)
    response.vary.add("Cookie")
    if "Cache-Control" not in response.headers:
        response.cache_control.no_cache = True
        if session_read or csrf_used:
            response.cache_control.private = True
    return response.make_conditional(request)


def _private(response: Response) -> None:
    if response.status_code == 304:  # a view's own conditional answer: keep it coherent
        return
    response.headers.pop("ETag", None)
    response.headers.setdefault("Cache-Control", "private, no-store")


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def _csrf_token() -> str | None:
    """The signed CSRF token this request put into its page, if any (Flask-WTF keeps it on
    ``g`` once made)."""
    return g.get(_csrf_field())


def _body_for_hash(response: Response) -> tuple[bytes, bool]:
    """The body with this request's CSRF token masked, and whether it was (weak ETag)."""
    body = response.get_data()
    token = _csrf_token()
    if token is None:
        return body, False
    return body.replace(token.encode("utf-8"), CSRF_MASK), True


def _visitor(csrf_used: bool) -> tuple:
    """What ties a page to its visitor: the session's raw CSRF token (hashed) and, with a
    token time limit, the current half-limit window. Empty for pages without a token."""
    if not csrf_used:
        return ()
    raw = session.get(_csrf_field(), "")
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT")
    window = int(wall_time() // max(1, limit // 2)) if limit else None
    return (hashlib.sha256(str(raw).encode("utf-8")).hexdigest(), window)
