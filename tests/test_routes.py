"""Walk every route as every role: the guard answers as the permission table says.

Forbidden means 403 or 404 (or a redirect to the login page for the anonymous public),
allowed means anything but 403, and nothing ever answers 500.

Each role logs in once: its session cookie is then handed to a fresh client for every
route, so no route sees what another route did to the client (a logout, a language switch).
"""
from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from market.access.guards import allowed
from market.accounts.models import User
from market.access.permissions import Role
from tests.factories import PASSWORD, USER_OF_ROLE

WHO = [None] + [r.value for r in Role]


def _url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        values[name] = 1 if isinstance(converter, IntegerConverter) else "en"
    return rule.build(values, append_unknown=False)[1]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            yield rule, method


def test_every_view_carries_an_access_mark(app):
    unmarked = [rule.endpoint for rule in app.url_map.iter_rules()
                if rule.endpoint != "static"
                and not hasattr(app.view_functions[rule.endpoint], "access")]
    assert unmarked == []


def _session_cookie(app, username: str):
    """Log in once; the session cookie that carries the login."""
    client = app.test_client()
    assert client.post("/login", data={"username": username,
                                       "password": PASSWORD}).status_code == 302
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, f"no session cookie after logging in as {username}"
    assert _client(app, cookie).get("/home").status_code == 200, "the cookie does not log in"
    return cookie


def _client(app, cookie):
    """A fresh client, logged in when given a session cookie."""
    client = app.test_client()
    if cookie is not None:
        client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return client


def _rule_refusal(response) -> str | None:
    """The error code a refusal carries (JSON ``error``, or the error page's data-error)."""
    if response.is_json:
        return (response.get_json() or {}).get("error")
    found = re.search(r'data-error="([a-z_]+)"', response.get_data(as_text=True))
    return found.group(1) if found else None


@pytest.mark.parametrize("who", WHO, ids=[w or "anonymous" for w in WHO])
def test_walk_every_route(app, demo, session, who):
    user = None
    cookie = None
    if who:
        user = session.query(User).filter_by(username=USER_OF_ROLE[who]).one()
        cookie = _session_cookie(app, user.username)
    seen = 0
    for rule, method in _routes(app):
        client = _client(app, cookie)
        view = app.view_functions[rule.endpoint]
        expected = allowed(view, user)
        url = _url(rule)
        response = client.open(url, method=method, data={})
        status = response.status_code
        where = f"{method} {url} as {who or 'anonymous'}"
        assert status < 500, where
        if expected is None:
            assert status == 302 and "/login" in response.headers["Location"], where
        elif expected is False:
            assert status in (403, 404), where
        else:
            # Allowed: the guard lets the role in. A business rule may still refuse this
            # particular object (an organization that does not meet a tender's conditions
            # gets 403 not_eligible) — that refusal names its rule, unlike the guard's.
            assert status != 403 or _rule_refusal(response) == "not_eligible", where
        if cookie is not None and method != "GET" \
                and _client(app, cookie).get("/home").status_code != 200:
            # The route ended the login on the server (log out, log out everywhere):
            # every copy of its cookie is dead, so log in again for the next route.
            cookie = _session_cookie(app, user.username)
        seen += 1
    assert seen > 5
