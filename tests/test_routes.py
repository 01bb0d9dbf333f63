"""Walk every route as every role: the guard answers as the permission table says.

Forbidden means 403 or 404 (or a redirect to the login page for the anonymous public),
allowed means anything but 403, and nothing ever answers 500.
"""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from market.accounts.access import allowed
from market.accounts.models import User
from market.accounts.permissions import Role
from tests.test_accounts import USER_OF_ROLE

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


@pytest.mark.parametrize("who", WHO, ids=[w or "anonymous" for w in WHO])
def test_walk_every_route(app, demo, session, who):
    user = None
    if who:
        user = session.query(User).filter_by(username=USER_OF_ROLE[who]).one()
    seen = 0
    for rule, method in _routes(app):
        client = app.test_client()
        if who:
            assert client.post("/login", data={"username": user.username,
                                               "password": "demo-pass-2026"}).status_code == 302
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
            assert status != 403, where
        seen += 1
    assert seen > 5
