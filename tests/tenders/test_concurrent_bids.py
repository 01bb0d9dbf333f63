"""50 clients bid and revise around the deadline at once (PostgreSQL only).

The clock runs in real time, shifted so the deadline falls half a second after the
clients start. Nothing accepted is lost, nothing is accepted after the deadline, no
organization ends up with two bids, and every refusal is the deadline's.
"""
from __future__ import annotations

import datetime as dt
import random
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.clock import set_clock
from market.tenders import bid_services
from market.tenders.models import Bid
from tests.conftest import ON_POSTGRES
from tests.factories import new_tender, org_member

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="row locks are PostgreSQL's")

CLIENTS = 50
SHARED_ORGS = 5  # these organizations have two users racing each other


def test_fifty_clients_around_the_deadline(app, demo, session, clock, database_url):
    tender = new_tender(session, clock, ceiling_price="400000.00")
    orgs = [org_member(session, f"并发投标组织{i}") for i in range(CLIENTS - SHARED_ORGS)]
    users = [u for _org, u in orgs]
    for i in range(SHARED_ORGS):  # a second user for the first few organizations
        org, _u = orgs[i]
        extra = org_member(session, f"并发辅助组织{i}")[1]
        extra.organization_id = org.id
        users.append(extra)
    session.commit()
    user_ids = [u.id for u in users]
    deadline = tender.bid_deadline
    start_real = dt.datetime.now(dt.UTC)
    offset = (deadline - dt.timedelta(milliseconds=800)) - start_real
    set_clock(lambda: dt.datetime.now(dt.UTC) + offset)

    engine = create_engine(database_url, pool_size=CLIENTS + 5, max_overflow=0)
    barrier = threading.Barrier(CLIENTS)
    results: dict[int, list] = {uid: [] for uid in user_ids}
    errors: list = []

    def client(index: int, uid: int):
        rnd = random.Random(index)
        with Session(engine, expire_on_commit=False) as s:
            actor = s.get(User, uid)
            barrier.wait()
            end = time.monotonic() + 1.8
            attempt = 0
            while time.monotonic() < end:
                attempt += 1
                price = Decimal("300000.00") + Decimal(index * 1000 + attempt) / 100
                try:
                    bid_services.submit_bid(s, actor, tender.id, price, f"方案 {index}-{attempt}")
                    s.commit()
                    results[uid].append(("ok", price, time.monotonic()))
                except bid_services.BidRefused:
                    s.rollback()
                    results[uid].append(("late", price, time.monotonic()))
                except Exception as e:  # noqa: BLE001 - any other failure fails the test
                    s.rollback()
                    errors.append((index, repr(e)))
                time.sleep(rnd.uniform(0, 0.03))

    threads = [threading.Thread(target=client, args=(i, uid)) for i, uid in enumerate(user_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    engine.dispose()
    assert errors == []

    session.expire_all()
    bids = session.scalars(select(Bid).where(Bid.tender_id == tender.id)).all()
    by_org = {b.organization_id: b for b in bids}
    # at most one row (and one live bid) per organization
    assert len(by_org) == len(bids)
    accepted_orgs = {org.id for org, u in orgs
                     if any(k == "ok" for k, _p, _t in results[u.id])}
    accepted_orgs |= {orgs[i][0].id for i in range(SHARED_ORGS)
                      if any(k == "ok" for k, _p, _t in results[user_ids[-SHARED_ORGS + i]])}
    assert set(by_org) == accepted_orgs  # every organization with an accepted bid has one
    assert len(accepted_orgs) >= 10  # the race really happened before the deadline too
    # nothing accepted after the deadline
    for b in bids:
        assert b.submitted_at < deadline and (b.revised_at is None or b.revised_at < deadline)
    outcomes = [r for rs in results.values() for r in rs]
    assert any(o[0] == "ok" for o in outcomes) and any(o[0] == "late" for o in outcomes)
    # nothing lost: each lone client's last accepted price is what is stored
    for (org, u) in orgs[SHARED_ORGS:]:
        accepted = [price for kind, price, _t in results[u.id] if kind == "ok"]
        if accepted:
            assert by_org[org.id].price == accepted[-1]
    # a shared organization's stored price is one of its users' accepted ones
    for i in range(SHARED_ORGS):
        org, u = orgs[i]
        accepted = {p for uid in (u.id, user_ids[CLIENTS - SHARED_ORGS + i])
                    for kind, p, _t in results[uid] if kind == "ok"}
        if accepted:
            assert by_org[org.id].price in accepted
    # once a client was refused as late, it was never accepted again
    for rs in results.values():
        kinds = [k for k, _p, _t in rs]
        if "late" in kinds:
            assert "ok" not in kinds[kinds.index("late"):]
