"""The evaluation committee drawn at random (财政部令第87号 第四十七条、第四十八条): after the
bid deadline, by specialty, without anyone tied to a bidder or to the department, five or
more (an odd number), experts two thirds at least; recorded and replayable; never by hand."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.experts import services as pool_services
from market.experts.models import Draw, DrawStep, Exclusion, PoolExpert
from market.tenders.scoring import committee
from market.tenders.scoring import services as evaluation
from market.tenders.scoring.models import Expert
from tests.factories import (AWARD_PERIODS, bid_of, budget_item, new_experts, new_tender,
                             org_member, place_bid, user)
from tests.probes import untranslated

SPECIALTY = "project_evaluation"  # no demo expert has it: the tests own this pool


def _login(client, username, language="zh"):
    client.post("/logout")
    client.post(f"/language/{language}", data={"next": "/"})
    assert client.post("/login", data={"username": username,
                                       "password": "demo-pass-2026"}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})


def _counts(session):
    return {"draws": session.scalar(select(func.count(Draw.id))),
            "steps": session.scalar(select(func.count(DrawStep.id))),
            "seats": session.scalar(select(func.count(Expert.id))),
            "audit": session.scalar(select(func.count(AuditEntry.id)))}


def _pool_ids(session, users):
    return {session.scalar(select(PoolExpert.id).where(PoolExpert.user_id == u.id))
            for u in users}


@pytest.fixture
def closed(app, demo, session, clock):
    """A tender with three sealed bids, at its bid deadline (not opened)."""
    item = budget_item(session)
    bidders = [org_member(session) for _ in range(3)]
    tender = new_tender(session, clock, item=item, **AWARD_PERIODS)
    for _, member in bidders:
        place_bid(session, member, tender)
    clock.travel(tender.bid_deadline)
    return tender, bidders


def _draw(client, tender, members="5", reps=(), specialty=SPECIALTY):
    return client.post(f"/tenders/{tender.id}/committee/draw", data={
        "specialty": specialty, "members": members,
        "representative_ids": [str(r) for r in reps]})


def _open(session, clock, tender):
    from market.tenders import tender_services
    clock.travel(tender.opening_time + dt.timedelta(minutes=1))
    tender_services.open_bids(session, user(session, "dept"), tender.id)
    session.commit()


def test_the_draw_is_replayed_from_its_record(client, session, clock, closed):
    tender, _ = closed
    new_experts(session, 9, specialty=SPECIALTY)
    _login(client, "dept")
    assert _draw(client, tender).status_code == 302
    draw = committee.draw_of(session, tender)
    seated = {s.pool_expert_id for s in evaluation.committee(session, tender)}
    assert len(draw.result) == 5 and set(draw.result) == seated
    # An expert declines: a recorded redraw, the four others stay.
    declining = session.scalar(select(PoolExpert).where(PoolExpert.id == draw.result[1])).user
    _login(client, declining.username)
    assert client.post(f"/tenders/{tender.id}/decline",
                       data={"note": "出差"}).status_code == 302
    session.expire_all()
    draw = committee.draw_of(session, tender)
    assert len(draw.steps) == 1 and draw.steps[0].reason == Exclusion.DECLINED.value
    assert draw.result[1] not in draw.current and len(draw.current) == 5
    assert set(draw.result) - {draw.result[1]} <= set(draw.current)
    # Replayed from what is stored, alone: the same committee at each step.
    stored = session.get(Draw, draw.id)
    steps = pool_services.replay(stored)
    assert [s.matches for s in steps] == [True, True]
    assert steps[-1].recomputed == draw.current
    assert {s.pool_expert_id for s in evaluation.active_experts(session, tender)} \
        == set(draw.current)
    # A tampered record no longer replays.
    stored.result = list(reversed(stored.result))
    assert not pool_services.replay(stored)[0].matches
    session.rollback()


def test_the_auditor_replays_the_draw_once_the_bids_are_opened(client, session, clock, closed):
    tender, bidders = closed
    new_experts(session, 6, specialty=SPECIALTY)
    bidder_employee = new_experts(session, 1, specialty=SPECIALTY,
                                  employer_org_id=bidders[0][0].id)[0]
    _login(client, "dept")
    assert _draw(client, tender).status_code == 302
    draw = committee.draw_of(session, tender)
    for language, sealed_text in (("zh", "抽取记录（专家库快照、排除情况、随机种子和抽中的专家）在开标后公开"),
                                  ("en", "is shown once the bids are opened")):
        _login(client, "auditor", language)
        page = client.get(f"/experts/draws/{draw.id}?replay=1").get_data(as_text=True)
        assert sealed_text in page
        # Nothing that could tell who bid: no seed, no exclusions, no snapshot.
        assert draw.seed not in page and bidders[0][0].name not in page
        assert bidder_employee.display_name not in page and 'id="snapshot"' not in page
    _open(session, clock, tender)
    for language, verdict, excluded in (("zh", "复现结果与记录的评标委员会一致", "在投标人处任职"),
                                        ("en", "The replay gives the recorded committee.",
                                         "Employed by a bidder")):
        _login(client, "auditor", language)
        page = client.get(f"/experts/draws/{draw.id}").get_data(as_text=True)
        assert draw.seed in page and 'id="replay-verdict"' not in page
        assert excluded in page and bidder_employee.display_name in page
        page = client.get(f"/experts/draws/{draw.id}?replay=1").get_data(as_text=True)
        assert verdict in page
    assert untranslated(client.application, session, [
        ("auditor", "/experts/draws"), ("auditor", f"/experts/draws/{draw.id}?replay=1"),
        ("civil", f"/experts/draws/{draw.id}")], "en") == []
    assert untranslated(client.application, session, [
        ("auditor", "/experts/draws"), ("auditor", f"/experts/draws/{draw.id}?replay=1")],
        "zh") == []
    # Other roles do not read draw records.
    _login(client, "dept")
    assert client.get(f"/experts/draws/{draw.id}").status_code == 403


def test_conflicts_and_department_staff_are_never_drawn(client, session, clock, closed):
    """Exactly five may sit: the employee of a bidder, the expert with a declared conflict
    with a bidder, the department's own staff and the unavailable one are left out."""
    tender, bidders = closed
    eligible = new_experts(session, 5, specialty=SPECIALTY)
    employee = new_experts(session, 1, specialty=SPECIALTY, employer_org_id=bidders[1][0].id)
    declared = new_experts(session, 1, specialty=SPECIALTY)
    staff = new_experts(session, 1, specialty=SPECIALTY,
                        employer_department_id=user(session, "dept").department_id)
    away = new_experts(session, 1, specialty=SPECIALTY)
    civil = user(session, "civil")
    [declared_id] = _pool_ids(session, declared)
    [away_id] = _pool_ids(session, away)
    pool_services.declare_standing_conflict(session, civil, declared_id, bidders[2][0].id,
                                            "其配偶任该机构理事")
    review_day = tender.opening_time.date()
    pool_services.mark_unavailable(session, civil, away_id, review_day, review_day, "住院")
    session.commit()
    _login(client, "dept")
    assert _draw(client, tender).status_code == 302
    draw = committee.draw_of(session, tender)
    assert set(draw.result) == _pool_ids(session, eligible)
    reasons = {int(k): v for k, v in draw.exclusions.items()}
    assert reasons == {
        next(iter(_pool_ids(session, employee))): "employer_party",
        declared_id: "declared_conflict",
        next(iter(_pool_ids(session, staff))): "department_staff",
        away_id: "unavailable"}
    # A conflict declared at the seat (after opening) takes the expert off, with a redraw
    # that has nobody left: the committee is short and says so.
    _open(session, clock, tender)
    first = evaluation.active_experts(session, tender)[0].expert
    evaluation.declare(session, first, tender.id, {bid_of(session, tender, bidders[0][1]).id},
                       "曾在该机构兼职")
    session.commit()
    draw = committee.draw_of(session, tender)
    assert draw.steps[0].reason == "conflict_at_seat" and draw.steps[0].replacement_id is None
    page = client.get(f"/tenders/{tender.id}/evaluation").get_data(as_text=True)
    assert "专家库中已无符合条件的专家可供补抽" in page


def test_a_pool_too_small_is_refused_and_changes_nothing(client, session, closed):
    tender, bidders = closed
    new_experts(session, 4, specialty=SPECIALTY)
    new_experts(session, 1, specialty=SPECIALTY, employer_org_id=bidders[0][0].id)
    _login(client, "dept")
    before = _counts(session)
    response = _draw(client, tender)
    assert response.status_code == 409
    assert "专家库中该专业类别符合条件的专家不足 5 名" in response.get_data(as_text=True)
    assert _counts(session) == before


@pytest.mark.parametrize("language, messages", [
    ("zh", {"4": "评标委员会成员人数应当为 5 人以上。", "6": "评标委员会成员人数应当为单数。",
            "reps": "评审专家不得少于成员总数的 2/3：成员 5 人时，采购人代表至多 1 人。"}),
    ("en", {"4": "An evaluation committee has at least 5 members.",
            "6": "An evaluation committee has an odd number of members.",
            "reps": "with 5 members, at most 1 representatives of the purchaser"}),
])
def test_the_committee_size_at_its_boundaries(client, session, closed, language, messages):
    """4 refused, 6 refused, 5 with two representatives refused (3 experts < 2/3);
    5 with one representative drawn: four experts and the representative."""
    tender, _ = closed
    new_experts(session, 7, specialty=SPECIALTY)
    dept = user(session, "dept")
    colleague = new_department_colleague(session, dept)
    _login(client, "dept", language)
    before = _counts(session)
    for members, reps, key in (("4", (), "4"), ("6", (), "6"), ("3", (), "4"),
                               ("5", (dept.id, colleague.id), "reps")):
        response = _draw(client, tender, members, reps)
        assert response.status_code == 422, members
        assert messages[key] in response.get_data(as_text=True).replace("&#39;", "'")
        assert _counts(session) == before
    assert _draw(client, tender, "5", (dept.id,)).status_code == 302
    draw = committee.draw_of(session, tender)
    assert (draw.members_total, draw.size, draw.representative_ids) == (5, 4, [dept.id])
    assert len(evaluation.committee(session, tender)) == 4


def new_department_colleague(session, dept):
    from tests.factories import UserFactory
    from market.access.permissions import Role
    colleague = UserFactory(role=Role.DEPARTMENT, department_id=dept.department_id)
    session.commit()
    return colleague


def test_a_large_project_needs_seven(client, session, clock, app, demo):
    item = budget_item(session, budget="12000000.00")
    tender = new_tender(session, clock, item=item, ceiling_price="11000000.00", **AWARD_PERIODS)
    clock.travel(tender.bid_deadline)
    new_experts(session, 7, specialty=SPECIALTY)
    _login(client, "dept")
    response = _draw(client, tender, "5")
    assert response.status_code == 422
    assert "评标委员会成员人数应当为 7 人以上。" in response.get_data(as_text=True)
    assert _draw(client, tender, "7").status_code == 302


def test_the_draw_waits_for_the_bid_deadline(client, session, clock, app, demo):
    item = budget_item(session)
    tender = new_tender(session, clock, item=item, **AWARD_PERIODS)
    _, member = org_member(session)
    place_bid(session, member, tender)
    new_experts(session, 5, specialty=SPECIALTY)
    clock.travel(tender.bid_deadline - dt.timedelta(minutes=1))
    _login(client, "dept")
    page = client.get(f"/tenders/{tender.id}/evaluation").get_data(as_text=True)
    assert 'id="draw-after-deadline"' in page and 'id="draw-form"' not in page
    for language in ("zh", "en"):
        assert untranslated(client.application, session,
                            [("dept", f"/tenders/{tender.id}/evaluation")], language) == []
    _login(client, "dept")  # back to Chinese (the language is kept on the account)
    before = _counts(session)
    response = _draw(client, tender)
    assert response.status_code == 409
    assert "评标委员会在投标截止后抽取。" in response.get_data(as_text=True)
    assert _counts(session) == before
    clock.travel(tender.bid_deadline)
    page = client.get(f"/tenders/{tender.id}/evaluation").get_data(as_text=True)
    assert 'id="draw-form"' in page
    assert _draw(client, tender).status_code == 302
    response = _draw(client, tender)  # once per tender
    assert response.status_code == 409 and "本项目的评标委员会已抽取。" in response.get_data(
        as_text=True)


@pytest.mark.parametrize("language, message", [
    ("zh", "评审专家由平台从专家库中随机抽取（财政部令第87号第四十八条），不得指定任何人进入评标委员会。"),
    ("en", "Experts are drawn at random from the expert pool by the platform (MOF Order No. 87, "
           "art. 48); nobody can be put on the committee by hand."),
])
def test_a_hand_picked_expert_is_refused(client, session, closed, language, message):
    tender, _ = closed
    chosen = new_experts(session, 5, specialty=SPECIALTY)[0]
    _login(client, "dept", language)
    for stage in ("before the draw", "after the draw"):
        before = _counts(session)
        response = client.post(f"/tenders/{tender.id}/experts",
                               data={"expert_id": str(chosen.id)})
        assert response.status_code == 409, stage
        assert message in response.get_data(as_text=True)
        assert _counts(session) == before
        if stage == "before the draw":
            assert _draw(client, tender).status_code == 302


def test_bidders_stay_hidden_from_the_committee_until_opening(client, session, clock, closed):
    tender, bidders = closed
    experts = new_experts(session, 5, specialty=SPECIALTY)
    _login(client, "dept")
    assert _draw(client, tender).status_code == 302
    page = client.get(f"/tenders/{tender.id}/evaluation").get_data(as_text=True)
    assert all(org.name not in page for org, _ in bidders)
    _login(client, experts[0].username)
    page = client.get(f"/tenders/{tender.id}/scoring").get_data(as_text=True)
    assert "您已被抽取为本项目评标委员会成员" in page
    assert all(org.name not in page for org, _ in bidders)
    _open(session, clock, tender)
    page = client.get(f"/tenders/{tender.id}/scoring").get_data(as_text=True)
    assert all(org.name in page for org, _ in bidders)


def test_committee_pages_in_both_languages(client, session, clock, closed):
    """Before the draw (the form), after it (the committee, a declined seat), after opening."""
    tender, _ = closed
    experts = new_experts(session, 6, specialty=SPECIALTY)
    url = f"/tenders/{tender.id}/evaluation"
    for language in ("zh", "en"):
        assert untranslated(client.application, session, [("dept", url)], language) == []
    _login(client, "dept")
    assert _draw(client, tender, "5", (user(session, "dept").id,)).status_code == 302
    seat = evaluation.committee(session, tender)[0]
    committee.decline(session, seat.expert, tender.id, "家中有事")
    session.commit()
    seat_user = evaluation.active_experts(session, tender)[0].expert.username
    pages = [("dept", url), (seat.expert.username, f"/tenders/{tender.id}/scoring"),
             (seat_user, f"/tenders/{tender.id}/scoring"), (seat_user, "/tenders/my-evaluations")]
    for language in ("zh", "en"):
        assert untranslated(client.application, session, pages, language) == []
    _open(session, clock, tender)
    for language in ("zh", "en"):
        assert untranslated(client.application, session, pages, language) == []
    assert experts  # the pool the draw came from


def test_the_demo_tender_has_a_drawn_committee(session, demo):
    from market.tenders.models import Tender
    tender = session.scalar(select(Tender).where(Tender.title == "社区治理创新项目（第一批）"))
    draw = committee.draw_of(session, tender)
    assert draw is not None and draw.members_total == 5 and draw.size == 4
    assert len(draw.steps) == 1 and draw.steps[0].reason == "declined"
    assert {"employer_party", "declared_conflict", "department_staff", "unavailable"} \
        == set(draw.exclusions.values())
    assert all(s.matches for s in pool_services.replay(draw))
    active = evaluation.active_experts(session, tender)
    assert len(active) == 4 and "expert" in {s.expert.username for s in active}
