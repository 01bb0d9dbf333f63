"""The decision on a round (立项决定): a funded list within the pool, reasons for every
rejection, the 3A+ reserved share, and the ledger reservation of each grant."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from market import funds
from market.auditlog.models import AuditEntry
from market.errors import Conflict, Invalid
from market.grants import funding
from market.grants.funding import DecisionLine
from market.grants.funding_models import Grant, GrantDecision, GrantStatus
from market.grants.models import ApplicationStatus
from tests.factories import user
from tests.grants.conftest import eligible, login, review_all
from tests.probes import untranslated


def _closed(session, clock, grant_round):
    """The window closes and the reviewers score every eligible application."""
    clock.travel(grant_round.closes_at + dt.timedelta(hours=1))
    review_all(session, grant_round)


def _state(session, grant_round):
    session.expire_all()
    return {"decisions": session.scalar(select(func.count(GrantDecision.id))),
            "grants": session.scalar(select(func.count(Grant.id))),
            "statuses": sorted(a.status.value for a in funding.eligible_applications(
                session, grant_round)),
            "funds": funds.item_funds(session, grant_round.item)}


def test_a_decision_within_the_pool_reserves_each_grant(session, grant_round, clock):
    a, _ = eligible(session, grant_round, "100000.00")
    b, _ = eligible(session, grant_round, "90000.00")
    c, _ = eligible(session, grant_round, "50000.00")
    _closed(session, clock, grant_round)
    before = funds.item_funds(session, grant_round.item)
    grants = funding.decide_round(session, user(session, "civil"), grant_round.id, [
        DecisionLine(a.id, True, D("100000.00")), DecisionLine(b.id, True, D("80000.00"),
                                                               "预算压缩"),
        DecisionLine(c.id, False, None, "项目设计与本轮主题不符")])
    session.commit()
    assert [g.amount for g in grants] == [D("100000.00"), D("80000.00")]
    assert all(g.status == GrantStatus.APPROVED for g in grants)
    assert [(t.stage, t.amount) for t in grants[1].tranches] == [
        ("signing", D("40000.00")), ("midterm", D("24000.00")), ("final", D("16000.00"))]
    after = funds.item_funds(session, grant_round.item)
    assert after.available == before.available - D("180000.00")
    assert after.reserved == before.reserved + D("180000.00")
    assert funds.grant_reserved(session, grants[0]) == D("100000.00")
    session.refresh(c)
    assert c.status == ApplicationStatus.NOT_FUNDED
    assert funding.decision_for(session, c).reason == "项目设计与本轮主题不符"
    assert session.get(type(a), a.id).status == ApplicationStatus.FUNDED
    actions = set(session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type.in_(("grant", "grant_application", "grant_round")))))
    assert {"decide", "fund", "not_fund", "approve"} <= actions


def test_over_the_pool_is_refused_and_nothing_changes(session, grant_round, clock):
    apps = [eligible(session, grant_round, "100000.00")[0] for _ in range(4)]
    _closed(session, clock, grant_round)
    before = _state(session, grant_round)
    with pytest.raises(Conflict) as refused:
        funding.decide_round(session, user(session, "civil"), grant_round.id,
                             [DecisionLine(a.id, True, D("100000.00")) for a in apps])
    session.rollback()
    assert "over the pool" in str(refused.value.message)
    assert _state(session, grant_round) == before


@pytest.mark.parametrize("line, message", [
    (lambda a: DecisionLine(a.id, True, D("80000.01")), "exceeds the 80,000.00 yuan requested"),
    (lambda a: DecisionLine(a.id, False, None, "  "), "give the reason"),
    (lambda a: DecisionLine(a.id, True, None), "give the amount granted"),
])
def test_each_line_is_checked(session, grant_round, clock, line, message):
    a, _ = eligible(session, grant_round)
    _closed(session, clock, grant_round)
    before = _state(session, grant_round)
    with pytest.raises(Invalid) as refused:
        funding.decide_round(session, user(session, "civil"), grant_round.id, [line(a)])
    session.rollback()
    assert message in str(refused.value.message)
    assert _state(session, grant_round) == before


def test_no_decision_before_the_window_closes_nor_twice(session, grant_round, clock):
    a, _ = eligible(session, grant_round)
    civil = user(session, "civil")
    with pytest.raises(Conflict):
        funding.decide_round(session, civil, grant_round.id, [DecisionLine(a.id, True,
                                                                           D("1000.00"))])
    session.rollback()
    _closed(session, clock, grant_round)
    funding.decide_round(session, civil, grant_round.id, [DecisionLine(a.id, True,
                                                                       D("1000.00"))])
    session.commit()
    with pytest.raises(Conflict):
        funding.decide_round(session, civil, grant_round.id, [])


def test_the_reserved_share_is_held_for_3a_organizations(session, grant_round, clock):
    grant_round.priority_mode, grant_round.priority_value = "reserved_share", D("40")
    session.commit()
    top, _ = eligible(session, grant_round, "100000.00", grade=4)
    low1, _ = eligible(session, grant_round, "100000.00", grade=2)
    low2, _ = eligible(session, grant_round, "100000.00", grade=2)
    low3, _ = eligible(session, grant_round, "10000.00", grade=2)
    _closed(session, clock, grant_round)
    civil = user(session, "civil")
    # 40 % of 300,000 = 120,000 held, but 3A+ asked for 100,000 only: 200,000 open to others.
    with pytest.raises(Conflict) as refused:
        funding.decide_round(session, civil, grant_round.id, [
            DecisionLine(top.id, False, None, "不符"), DecisionLine(low1.id, True, D("100000.00")),
            DecisionLine(low2.id, True, D("100000.00")), DecisionLine(low3.id, True, D("10000.00"))])
    session.rollback()
    assert "reserved for 3A+" in str(refused.value.message)
    grants = funding.decide_round(session, civil, grant_round.id, [
        DecisionLine(top.id, True, D("100000.00")), DecisionLine(low1.id, True, D("100000.00")),
        DecisionLine(low2.id, True, D("100000.00")), DecisionLine(low3.id, False, None, "名额已满")])
    assert len(grants) == 3
    assert session.scalar(select(GrantDecision.priority).where(
        GrantDecision.application_id == top.id)) is True


# --- through HTTP ---------------------------------------------------------------------------



def _rows(apps, amounts, reasons=None):
    data = {}
    for n, (a, amount) in enumerate(zip(apps, amounts, strict=True)):
        data[f"rows-{n}-application_id"] = str(a.id)
        data[f"rows-{n}-decision"] = "fund" if amount else "reject"
        data[f"rows-{n}-amount"] = amount or ""
        data[f"rows-{n}-reason"] = (reasons or {}).get(n, "")
    return data


def test_the_decision_page_refuses_over_the_pool_in_both_languages(app, client, session,
                                                                    grant_round, clock):
    apps = [eligible(session, grant_round, "100000.00")[0] for _ in range(4)]
    _closed(session, clock, grant_round)
    url = f"/grants/rounds/{grant_round.id}/decision"
    before = _state(session, grant_round)
    for language, message in (("zh", "超出资金池"), ("en", "over the pool")):
        login(client, "civil", language)
        page = client.get(url)
        assert page.status_code == 200 and apps[0].title in page.get_data(as_text=True)
        refused = client.post(url, data=_rows(apps, ["100000.00"] * 4))
        assert refused.status_code == 409
        assert message in refused.get_data(as_text=True), language
    assert _state(session, grant_round) == before


def test_the_decision_through_http_and_what_each_side_sees(app, client, session,
                                                          grant_round, clock):
    (a, member_a), (b, member_b) = (eligible(session, grant_round, "100000.00"),
                                    eligible(session, grant_round, "60000.00"))
    _closed(session, clock, grant_round)
    url = f"/grants/rounds/{grant_round.id}/decision"
    login(client, "civil")
    # a rejection without a reason is refused
    assert client.post(url, data=_rows([a, b], ["100000.00", None])).status_code == 422
    assert client.post(url, data=_rows([a, b], ["100000.00", None],
                                       {1: "与本轮资助方向不符"})).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "与本轮资助方向不符" in page and "100,000.00" in page
    login(client, member_b.username)
    seen = client.get(f"/grants/applications/{b.id}").get_data(as_text=True)
    assert "未获资助" in seen and "与本轮资助方向不符" in seen
    login(client, member_a.username)
    mine = client.get("/grants/my-grants").get_data(as_text=True)
    assert a.title in mine
    for who in ("civil", member_a.username, "finance", "auditor"):
        for language in ("zh", "en"):
            grant = session.scalar(select(Grant).where(Grant.application_id == a.id))
            problems = untranslated(app, session, [(who, f"/grants/projects/{grant.id}")],
                                    language)
            assert problems == [], problems
    client.post("/logout")
    assert client.get(f"/grants/projects/{grant.id}").status_code in (302, 401, 404)


def test_a_ledger_refusal_midway_leaves_nothing_decided(session, grant_round, clock):
    """The item's available budget runs short at the second grant's reservation: the
    first grant's reservation, the decisions and the statuses are all rolled back."""
    from ledger import operations
    from ledger.accounts import Unit

    a, _ = eligible(session, grant_round, "100000.00")
    b, _ = eligible(session, grant_round, "80000.00")
    _closed(session, clock, grant_round)
    line = funds.budget_line(grant_round.item)
    spare = funds.item_funds(session, grant_round.item).available - D("150000.00")
    operations.reserve(session, clock.now.date(), line, Unit("tender-999999"), spare)
    session.commit()
    before = _state(session, grant_round)
    with pytest.raises(Conflict) as refused:
        funding.decide_round(session, user(session, "civil"), grant_round.id, [
            DecisionLine(a.id, True, D("100000.00")), DecisionLine(b.id, True, D("80000.00"))])
    session.rollback()
    assert "less than the grants approved" in str(refused.value.message)
    assert _state(session, grant_round) == before


def test_who_may_read_and_act_on_a_grant(client, session, grant_round, clock):
    from tests.factories import org_member

    a, member = eligible(session, grant_round, "50000.00")
    _closed(session, clock, grant_round)
    grant = funding.decide_round(session, user(session, "civil"), grant_round.id,
                                 [DecisionLine(a.id, True, D("50000.00"))])[0]
    session.commit()
    url = f"/grants/projects/{grant.id}"
    _, stranger = org_member(session)
    login(client, stranger.username)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/accept").status_code == 404
    login(client, "dept")  # a purchasing department: neither reads nor signs
    assert client.get(url).status_code in (403, 404)
    assert client.post(f"{url}/sign", data={"signed_on": clock.now.date().isoformat()}
                       ).status_code in (403, 404)
    login(client, "evaluator")  # no evaluation of this grant is assigned to the agency
    assert client.get(url).status_code == 404
    session.expire_all()
    assert grant.status == GrantStatus.APPROVED and grant.accepted_at is None
    login(client, member.username)
    assert client.post(f"{url}/accept").status_code == 302
    login(client, "civil")
    assert client.post(f"{url}/sign", data={"signed_on": clock.now.date().isoformat()}
                       ).status_code == 302
    session.expire_all()
    assert grant.status == GrantStatus.SIGNED and grant.accepted_at is not None


def test_a_decided_round_holds_only_its_grants(session, grant_round, clock):
    """Before the decision the whole pool is held for the round; after it, only the grants
    (reserved in the ledger) — the unspent pool is free for another round on the item."""
    from market.grants.services import available_for

    a, _ = eligible(session, grant_round, "100000.00")
    _closed(session, clock, grant_round)
    item = grant_round.item
    before = available_for(session, item)
    funding.decide_round(session, user(session, "civil"), grant_round.id,
                         [DecisionLine(a.id, True, D("60000.00"))])
    session.commit()
    assert available_for(session, item) == before + grant_round.pool - D("60000.00")
