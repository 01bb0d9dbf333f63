"""The audit log does not tell who bid on a tender before its opening."""
from __future__ import annotations

import datetime as dt

from market.tenders import services
from tests.tenders.conftest import bidders, bid, make_tender, user


def test_bid_entries_appear_in_the_log_only_after_opening(app, session, clock, demo):
    tender = make_tender(session, clock)
    (org, org_user), = bidders(session, 1)
    placed = bid(session, org_user, tender)
    for reader in ("civil", "auditor"):
        client = app.test_client()
        client.post("/login", data={"username": reader, "password": "demo-pass-2026"})
        html = client.get("/audit-log/?type=bid").get_data(as_text=True)
        assert f"bid #{placed.id}" not in html and org_user.username not in html
    clock.travel(tender.opening_time + dt.timedelta(minutes=1))
    services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "auditor", "password": "demo-pass-2026"})
    html = client.get("/audit-log/?type=bid").get_data(as_text=True)
    assert f"bid #{placed.id}" in html
