import re
from collections import Counter
import pytest
from tests.probes.conftest import login, DEMO_ROLES

HUGE = ["2147483648", "9223372036854775808", "1" + "0" * 30]
QUERY = {"page": HUGE, "department": HUGE, "fy": HUGE, "year": HUGE, "town": HUGE,
         "grade": HUGE, "item": HUGE, "category": ["bogus"], "status": ["bogus"],
         "type": ["bogus\x00"], "q": ["a\x00b"], "name": ["a\x00b"], "eligible": ["1"],
         "track": ["x\x00"], "pending": ["0"]}

def test_scan(app, session, showcase):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    errors = []
    n = 0
    for who in [None] + DEMO_ROLES:
        client = login(app, who)
        for rule in app.url_map.iter_rules():
            if rule.rule.startswith("/static"):
                continue
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            if rule.arguments:
                for value in HUGE:
                    url = rule.rule
                    for a in rule.arguments:
                        url = re.sub(r"<(?:\w+:)?%s>" % a, value, url)
                    for m in methods:
                        r = client.open(url, method=m, data={} if m != "GET" else None)
                        n += 1
                        if r.status_code >= 500:
                            errors.append((who, m, url, r.status_code))
            elif "GET" in methods:
                for name, values in QUERY.items():
                    for v in values:
                        r = client.get(rule.rule, query_string={name: v})
                        n += 1
                        if r.status_code >= 500:
                            errors.append((who, "GET", rule.rule, name, v[:5], r.status_code))
    print(n, len(errors))
    for e in errors: print(e)
    assert not errors
