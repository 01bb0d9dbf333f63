"""The audit log does not tell who bid on a tender before its opening."""
from __future__ import annotations

import datetime as dt

from market.tenders import tender_services
from tests.factories import new_tender, org_members, place_bid, user


def test_bid_entries_appear_in_the_log_only_after_opening(app, session, clock, demo):
    tender = new_tender(session, clock)
    (org, org_user), = org_members(session, 1)
    placed = place_bid(session, org_user, tender)
    for reader in ("civil", "auditor"):
        client = app.test_client()
        client.post("/login", data={"username": reader, "password": "demo-pass-2026"})
        html = client.get("/audit-log/?type=bid").get_data(as_text=True)
        assert f"bid #{placed.id}" not in html and org_user.username not in html
    clock.travel(tender.opening_time + dt.timedelta(minutes=1))
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "auditor", "password": "demo-pass-2026"})
    html = client.get("/audit-log/?type=bid").get_data(as_text=True)
    assert f"bid #{placed.id}" in html
