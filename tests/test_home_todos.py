"""Each role's home page shows its to-do counts, linking to where the work is done, and
does not repeat the navigation menu as tiles."""
from __future__ import annotations

import re

from market.catalogs import services as catalogs
from tests import factories
from tests.factories import user


def _todos(html: str) -> dict[str, int]:
    return {k: int(n) for k, n in re.findall(
        r'<li data-todo="(\w+)"[^>]*><a class="card" href="[^"]+"><span>[^<]+</span> '
        r'<span class="count">(\d+)</span>', html)}


def _home(client, auth, who, lang="zh"):
    auth.logout()
    auth.login(who)
    client.post(f"/language/{lang}")
    return client.get("/home").get_data(as_text=True)


def test_counts_follow_the_work(client, auth, demo, session, clock):
    dept = user(session, "dept")
    catalog = catalogs.create_catalog(session, dept, 2029)
    catalogs.add_item(session, dept, catalog.id, factories.item_data())
    session.commit()
    html = _home(client, auth, "dept")
    before = _todos(html)
    assert {"catalogs_to_finish", "tenders_to_award", "contracts_to_sign",
            "deliverables_to_accept"} <= set(before)
    assert "待完成的采购目录" in html
    assert _todos(_home(client, auth, "finance"))["catalogs_to_approve"] == 0

    catalogs.submit_catalog(session, dept, catalog.id)
    session.commit()
    assert _todos(_home(client, auth, "dept"))["catalogs_to_finish"] == \
        before["catalogs_to_finish"] - 1
    finance = _home(client, auth, "finance", "en")
    assert _todos(finance)["catalogs_to_approve"] == 1
    assert "Catalogs to approve" in finance and "payments_to_approve" in finance


def test_awarded_tender_counts_as_a_contract_to_sign(client, auth, demo, session, clock):
    item = factories.budget_item(session)
    before = _todos(_home(client, auth, "dept"))
    tender, bidders = factories.awarded_tender(session, clock, item)
    assert _todos(_home(client, auth, "dept"))["contracts_to_sign"] == \
        before["contracts_to_sign"]  # the standstill runs
    clock.travel(tender.standstill_ends_at)
    assert _todos(_home(client, auth, "dept"))["contracts_to_sign"] == \
        before["contracts_to_sign"] + 1


def test_no_tile_repeats_the_menu(client, auth, demo):
    for who in ("dept", "finance", "org", "civil", "evaluator", "auditor"):
        html = _home(client, auth, who)
        nav = set(re.findall(r'<li><a href="([^"]+)"', html))
        tiles = set(re.findall(r'<a class="card tile" href="([^"]+)"', html))
        assert not (nav & tiles), (who, nav & tiles)
        expected = {"dept": "evaluations_to_request", "finance": "payments_to_approve",
                    "org": "deliverables_to_submit", "civil": "evaluation_requests_to_assign",
                    "evaluator": "evaluations_due"}.get(who)
        assert expected is None or expected in _todos(html), who
