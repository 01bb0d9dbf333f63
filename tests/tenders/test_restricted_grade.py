"""A tender "restricted to 3A+" never shows a minimum grade below 3A: the restriction
raises the minimum grade, in the service and (by script) in the form."""
from __future__ import annotations

from market.tenders import tender_services
from market.tenders.models import PriorityRule
from tests.factories import demo_item, new_tender, tender_terms, user


def _client(app, username):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    return client


def test_restricted_raises_the_minimum_grade(app, demo, session, clock):
    tender = new_tender(session, clock, publish=False, priority_rule="restricted", min_grade=1)
    assert tender.priority_rule == PriorityRule.RESTRICTED
    assert tender.min_grade == 3
    # A higher minimum grade stays as chosen; another rule leaves the grade alone.
    tender_services.update_draft(session, user(session, "dept"), tender.id,
                                  tender_terms(clock, priority_rule="restricted", min_grade=4))
    assert tender.min_grade == 4
    tender_services.update_draft(session, user(session, "dept"), tender.id,
                                  tender_terms(clock, priority_rule="tie_break", min_grade=1))
    assert tender.min_grade == 1


def test_the_form_says_so_in_both_languages(app, demo, session, clock):
    item = demo_item(session)
    client = _client(app, "dept")
    zh = client.get(f"/tenders/new?item={item.id}").get_data(as_text=True)
    assert 'data-restricts-grade="3"' in zh
    assert "最低等级自动提高到 3A" in zh
    client.post("/language/en")
    en = client.get(f"/tenders/new?item={item.id}").get_data(as_text=True)
    assert "the minimum grade is raised to 3A" in en
