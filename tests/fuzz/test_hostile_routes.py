"""Every route with ids and every list page with filters, swept (not sampled): each URL
argument beyond the database's integer range (2**31, beyond 2**63, forty digits), and each
query-string filter with such numbers, an unknown category or status, and a NUL byte — by
a reader the route's guard lets in, with every method the route takes.

No answer is a 5xx, and nothing is written. Before market/core/inputs.py this sweep (then
as every role) found 874 server errors on SQLite.
"""
from __future__ import annotations

import re

from market.access.guards import allowed
from tests.fuzz.conftest import EXAMPLES
from tests.fuzz.hostile import HUGE_NUMBERS
from tests.probes.conftest import DEMO_ROLES, login
from tests.test_bad_input import all_counts

HUGE = ["2147483648", "9223372036854775808", "1" + "0" * 40]
FILTERS = ["page", "department", "fy", "year", "town", "grade", "item", "category", "status",
           "type", "q", "name", "track", "pending", "eligible", "next"]
FILTER_VALUES = HUGE + ["bogus", "a\x00b", "-1", "1e30", "١٢٣", HUGE_NUMBERS[-1]]
# Routes that end the session or switch the language: swept last, as the public.
LONG = EXAMPLES >= 100
SESSION = {"accounts.logout", "accounts.logout_everywhere", "accounts.set_language"}


def _reader(app, session, rule, users) -> str | None:
    """A reader the route's guard lets in (the public first)."""
    view = app.view_functions[rule.endpoint]
    for name, user in users.items():
        try:
            if allowed(view, user):
                return name
        except LookupError:  # not a marked view (static, Fava)
            return None
    return None


def test_every_route_and_filter_with_hostile_numbers(fuzz_app, session, showcase, figures):
    from tests.factories import user

    app = fuzz_app
    users = {None: None, **{r: user(session, r) for r in DEMO_ROLES}}
    clients = {who: login(app, who) for who in users}
    before = all_counts(session)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith(("/static", "/audit/fava")) or rule.endpoint in SESSION:
            continue
        who = _reader(app, session, rule, users)
        client = clients[who]
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        if rule.arguments:
            for value in HUGE:
                url = rule.rule
                for arg in rule.arguments:
                    url = re.sub(r"<(?:\w+:)?%s>" % arg, value, url)
                for method in methods:
                    response = client.open(url, method=method,
                                           data={} if method != "GET" else None)
                    figures.seen(rule.endpoint, response.status_code)
                    if response.status_code >= 500:
                        figures.server_errors.append(f"{response.status_code} {who} {method} {url}")
        elif "GET" in methods:
            # Pages ignore each filter they cannot read on its own, so one request sets
            # every filter at once; the API refuses the first, so there one at a time (and
            # everywhere in the long variant).
            one_by_one = rule.rule.startswith("/api/") or LONG
            queries = ([{name: value} for name in FILTERS for value in FILTER_VALUES]
                       if one_by_one else
                       [{name: value for name in FILTERS} for value in FILTER_VALUES])
            for query in queries:
                response = client.get(rule.rule, query_string=query)
                figures.seen(rule.endpoint, response.status_code)
                if response.status_code >= 500:
                    figures.server_errors.append(
                        f"{response.status_code} {who} GET {rule.rule}?{query!r:.200}")
    figures.report()
    assert figures.server_errors == [], "\n".join(figures.server_errors[:30])
    assert all_counts(session) == before
    assert figures.cases > 500
