"""The evaluation committee: conflicts of interest, private scores, completion, the award."""
from __future__ import annotations

import re

import pytest

from market.errors import Conflict, Forbidden, Invalid, NotFound
from market.tenders.scoring import award as awards
from market.tenders.scoring import services as evaluation
from market.tenders.models import TenderStatus
from tests.factories import (bid_of, budget_item, draw_committee, new_experts, opened_tender,
                             org_member, user)
from tests.probes import procurement_counts


@pytest.fixture
def opened(app, demo, session, clock):
    item = budget_item(session)
    bidders = [org_member(session, grade=g)[1] for g in (4, 0, 0)]
    tender = opened_tender(session, clock, item, list(zip(bidders, (
        "240000.00", "250000.00", "260000.00"))))
    return tender, bidders


def _drawn(session, tender, pool=5):
    """A committee of five drawn from a pool of ``pool`` fresh experts: its users."""
    new_experts(session, pool)
    draw_committee(session, tender)
    return [seat.expert for seat in evaluation.active_experts(session, tender)]


def _scores(session, tender, bidders, values=("30", "20")):
    technical = [c for c in tender.criteria if not c.is_price]
    return {(bid_of(session, tender, b).id, c.id): v
            for b in bidders for c, v in zip(technical, values)}


def test_a_declared_conflict_removes_the_expert(session, opened):
    """A conflict declared after the opening takes the expert off; a recorded redraw
    brings in the next in line, so the committee keeps its five experts."""
    tender, bidders = opened
    first, *others = _drawn(session, tender, pool=6)
    conflicted = bid_of(session, tender, bidders[1]).id
    with pytest.raises(Invalid):  # a conflict must be described
        evaluation.declare(session, first, tender.id, {conflicted})
    session.rollback()
    evaluation.declare(session, first, tender.id, {conflicted}, "曾在该机构任职")
    session.commit()
    with pytest.raises(Conflict):  # off the tender: no scoring
        evaluation.submit_scores(session, first, tender.id, _scores(session, tender, bidders))
    session.rollback()
    active = [seat.expert for seat in evaluation.active_experts(session, tender)]
    assert first not in active and len(active) == 5
    replacement = [e for e in active if e not in others]
    assert len(replacement) == 1
    for e in others:
        evaluation.declare(session, e, tender.id, set())
        evaluation.submit_scores(session, e, tender.id, _scores(session, tender, bidders))
        session.commit()
    session.refresh(tender)
    assert tender.status == TenderStatus.OPENED  # four scored experts are not enough
    evaluation.declare(session, replacement[0], tender.id, set())
    evaluation.submit_scores(session, replacement[0], tender.id,
                             _scores(session, tender, bidders))
    session.commit()
    session.refresh(tender)
    assert tender.status == TenderStatus.EVALUATED
    assert evaluation.progress(session, tender) == {"active": 5, "declared": 5,
                                                    "submitted": 5, "needed": 5}


def test_scores_are_private_until_everyone_submitted(client, session, opened):
    tender, bidders = opened
    experts = _drawn(session, tender)
    for e in experts:
        evaluation.declare(session, e, tender.id, set())
    session.commit()
    evaluation.submit_scores(session, experts[0], tender.id,
                             _scores(session, tender, bidders, ("39", "29")))
    session.commit()
    with pytest.raises(Forbidden):
        evaluation.all_scores(session, tender)
    client.post("/login", data={"username": experts[1].username, "password": "demo-pass-2026"})
    page = client.get(f"/tenders/{tender.id}/scoring").get_data(as_text=True)
    # Another expert's score would appear as a cell or a field value (a bare "39" could
    # be part of a random CSRF token, so look for it where a score would be shown).
    assert 'id="scoring"' in page
    assert not re.search(r'>\s*39(?:\.0+)?\s*<|value="39(?:\.0+)?"', page)
    # The department sees progress, not scores.
    client.post("/logout")
    client.post("/login", data={"username": "dept", "password": "demo-pass-2026"})
    page = client.get(f"/tenders/{tender.id}/evaluation").get_data(as_text=True)
    assert "5 名专家中已有 1 名提交评分" in page
    assert client.get(f"/tenders/{tender.id}/award").status_code == 404


def test_bad_scores_change_nothing(session, opened):
    tender, bidders = opened
    expert = _drawn(session, tender)[0]
    evaluation.declare(session, expert, tender.id, set())
    session.commit()
    before = procurement_counts(session)
    for bad in (("41", "20"), ("-1", "20"), ("30.123", "20"), ("abc", "20")):
        with pytest.raises(Invalid):
            evaluation.submit_scores(session, expert, tender.id,
                                     _scores(session, tender, bidders, bad))
        session.rollback()
    incomplete = dict(list(_scores(session, tender, bidders).items())[:-1])
    with pytest.raises(Invalid):
        evaluation.submit_scores(session, expert, tender.id, incomplete)
    session.rollback()
    assert procurement_counts(session) == before
    evaluation.submit_scores(session, expert, tender.id, _scores(session, tender, bidders))
    session.commit()
    with pytest.raises(Conflict):  # final once submitted
        evaluation.submit_scores(session, expert, tender.id, _scores(session, tender, bidders))
    session.rollback()


def test_only_the_committee_scores_and_only_the_owner_assigns(client, session, opened):
    tender, bidders = opened
    outsider = new_experts(session, 1)[0]
    with pytest.raises(NotFound):
        evaluation.declare(session, outsider, tender.id, set())
    session.rollback()
    client.post("/login", data={"username": outsider.username, "password": "demo-pass-2026"})
    assert client.get(f"/tenders/{tender.id}/scoring").status_code == 404
    client.post("/logout")
    client.post("/login", data={"username": "dept-mzj", "password": "demo-pass-2026"})
    assert client.post(f"/tenders/{tender.id}/experts",
                       data={"expert_id": str(outsider.id)}).status_code == 403
    client.post("/logout")
    client.post("/login", data={"username": "dept", "password": "demo-pass-2026"})
    assert client.post(f"/tenders/{tender.id}/experts",
                       data={"expert_id": str(outsider.id)}).status_code == 409  # by hand


def test_awarding_another_bid_needs_a_published_reason(client, session, opened):
    tender, bidders = opened
    dept = user(session, "dept")
    for e in _drawn(session, tender):
        evaluation.declare(session, e, tender.id, set())
        evaluation.submit_scores(session, e, tender.id, _scores(session, tender, bidders))
    session.commit()
    second = evaluation.results(session, tender)[1]
    before = procurement_counts(session)
    with pytest.raises(Invalid):
        awards.award_tender(session, dept, tender.id, second.bid_id)
    session.rollback()
    assert procurement_counts(session) == before
    first = evaluation.results(session, tender)[0]
    awards.award_tender(session, dept, tender.id, second.bid_id, [awards.PassOverData(
        first.bid_id, "declined", reference="放弃中标声明函 2027-01号",
        note="排名第一的投标人书面放弃中标资格")])
    session.commit()
    html = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    assert "排名第一的投标人书面放弃中标资格" in html and "放弃中标声明函 2027-01号" in html
    assert "放弃中标" in html
    with pytest.raises(Conflict):  # awarded once
        awards.award_tender(session, dept, tender.id, second.bid_id)
    session.rollback()


def test_the_declaration_is_the_experts_own_choice(client, session, opened):
    """Nothing is declared for the expert: no statement preselected, none sent is refused
    on the field, a statement that contradicts the ticks too; nothing recorded until the
    expert says it."""
    tender, bidders = opened
    expert = _drawn(session, tender)[0]
    client.post("/login", data={"username": expert.username, "password": "demo-pass-2026"})
    page = client.get(f"/tenders/{tender.id}/scoring").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="statement"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in r for r in radios)
    url = f"/tenders/{tender.id}/declaration"
    refused = client.post(url, data={"note": ""})
    assert refused.status_code == 400
    assert "请选择您的声明：无利益冲突，或存在利益冲突。" in refused.get_data(as_text=True)
    ticked = str(bid_of(session, tender, bidders[0]).id)
    contradicted = client.post(url, data={"statement": "none", "conflict": ticked})
    assert contradicted.status_code == 400
    assert "您勾选了投标人却声明无利益冲突" in contradicted.get_data(as_text=True)
    session.expire_all()
    assert all(s.declared_at is None for s in evaluation.active_experts(session, tender))
    assert client.post(url, data={"statement": "none"}).status_code == 302
    session.expire_all()
    declared = [s for s in evaluation.active_experts(session, tender) if s.declared_at]
    assert [s.expert.id for s in declared] == [expert.id]
