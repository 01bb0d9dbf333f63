"""The demo's published tenders hold their ceilings reserved (预留), and the auditor's
budget execution shows them in both languages (issue 10 part 8)."""
from __future__ import annotations

import pytest

from tests.factories import demo_item


def _login(app, language):
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": "auditor",
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    return client


@pytest.mark.parametrize("language,label", [("zh", "预留（冻结）"), ("en", "Reserved")])
def test_the_demo_home_care_tender_is_reserved_in_budget_execution(app, demo, session,
                                                                   language, label):
    item = demo_item(session, "WJW", 1)  # 3,000,000.00; the demo tender's ceiling 1,750,000.00
    html = _login(app, language).get("/audit/?fy=2026").get_data(as_text=True)
    assert f">{label}</th>" in html
    row = html.split(item.code)[1][:700]
    assert "1,750,000.00" in row and "1,250,000.00" in row  # reserved, available
    assert "badge-pass" in html


def test_seeding_an_older_demo_database_again_reserves_its_published_tenders(
        app, demo, session, clock):
    from decimal import Decimal

    from sqlalchemy import func, select

    from ledger.models import Transaction
    from market import funds
    from tests.factories import new_tender

    # A tender published before reservations existed, as an older demo database has.
    legacy = new_tender(session, clock, legacy=True, ceiling_price="100000.00")
    assert not funds.has_reservation(session, legacy)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    session.expire_all()
    assert funds.reserved(session, legacy) == Decimal("100000.00")
    journal = session.scalar(select(func.count(Transaction.id)))
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # idempotent
    session.expire_all()
    assert session.scalar(select(func.count(Transaction.id))) == journal
    assert funds.reserved(session, legacy) == Decimal("100000.00")
