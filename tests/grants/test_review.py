"""Screening and review of venture philanthropy applications, at the service level:
screening with reasons, the reviewer draw (the applicant's employees left out), a
declared conflict redrawing, scoring until submitted, the two refusals (scoring with a
declared conflict; reading the other reviewers' scores early) changing nothing, and the
ranking against hand-computed numbers."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from market.auditlog.models import AuditEntry
from market.errors import Conflict, Forbidden, Invalid
from market.experts.models import DrawStep, PoolExpert
from market.grants import review
from market.grants.models import ApplicationStatus, GrantScreening
from tests.factories import user
from tests.grants.review_support import (CS, SPECIALTY, declare_all, draw_all, review_counts,
                                         screen_all)


def _messages(error, app) -> tuple[str, str]:
    with app.test_request_context():
        with force_locale("zh"):
            zh = str(error.message)
        with force_locale("en"):
            en = str(error.message)
    return zh, en


# --- screening ------------------------------------------------------------------------------

def test_screening_records_a_reason_and_may_be_redone_until_the_draw(app, session, reviewed,
                                                                     clock):
    grant_round, applications, _, _ = reviewed
    civil = user(session, "civil")
    a = applications["A"]
    clock.advance(days=-3)  # the window is still open
    with pytest.raises(Conflict):
        review.screen(session, civil, a.id, eligible=True, reason="meets_requirements")
    session.rollback()
    clock.advance(days=3)
    before = review_counts(session)
    with pytest.raises(Invalid) as refused:
        review.screen(session, civil, a.id, eligible=False, reason="out_of_scope", note="")
    session.rollback()
    with pytest.raises(Invalid):
        review.screen(session, civil, a.id, eligible=False, reason="meets_requirements",
                      note="说明")
    session.rollback()
    assert review_counts(session) == before
    zh, en = _messages(refused.value, app)
    assert "说明" in zh and "Explain" in en
    assert session.get(type(a), a.id).status == ApplicationStatus.SUBMITTED

    review.screen(session, civil, a.id, eligible=False, reason="budget",
                  note="预算明细与项目内容不符")
    session.commit()
    assert a.status == ApplicationStatus.INELIGIBLE
    row = review.screening_of(session, a)
    assert (row.eligible, row.reason.value, row.note) == (False, "budget", "预算明细与项目内容不符")
    review.screen(session, civil, a.id, eligible=True, reason="other")
    session.commit()
    assert a.status == ApplicationStatus.ELIGIBLE
    row = review.screening_of(session, a)
    assert (row.eligible, row.reason.value) == (True, "meets_requirements")
    assert session.scalar(select(func.count(GrantScreening.id)).where(
        GrantScreening.application_id == a.id)) == 1
    actions = session.scalars(select(AuditEntry.to_state).where(
        AuditEntry.object_type == "grant_application", AuditEntry.object_id == a.id,
        AuditEntry.action == "screen").order_by(AuditEntry.id)).all()
    assert actions == ["ineligible", "eligible"]
    # a draft is not screened; an organization user may not screen
    with pytest.raises(Exception) as draft:
        review.screen(session, civil, applications["draft"].id, eligible=True,
                      reason="meets_requirements")
    assert draft.value.status == 404
    session.rollback()
    member = session.scalar(select(type(civil)).where(
        type(civil).organization_id == applications["B"].organization_id))
    with pytest.raises(Forbidden):
        review.screen(session, member, applications["B"].id, eligible=True,
                      reason="meets_requirements")
    session.rollback()


# --- the draw and a declared conflict -------------------------------------------------------

def test_the_draw_seats_reviewers_per_eligible_application_never_the_applicants_employee(
        session, reviewed):
    grant_round, applications, experts, employee = reviewed
    civil = user(session, "civil")
    review.screen(session, civil, applications["A"].id, eligible=True,
                  reason="meets_requirements")
    session.commit()
    with pytest.raises(Conflict):  # B and C are not screened yet
        review.draw_reviewers(session, civil, grant_round.id, SPECIALTY)
    session.rollback()
    screen_all(session, applications)
    draw_all(session, grant_round)
    a_seats = review.seats(session, applications["A"])
    b_seats = review.seats(session, applications["B"])
    assert len(a_seats) == len(b_seats) == 3
    assert review.seats(session, applications["C"]) == []
    assert employee.id not in {s.user_id for s in a_seats}
    draw = review.draw_of(session, applications["A"])
    employee_pool = session.scalar(select(PoolExpert.id).where(
        PoolExpert.user_id == employee.id))
    assert draw.exclusions == {str(employee_pool): "employer_party"}
    assert draw.subject_kind == "grant_application"
    # once drawn: no second draw, no re-screening
    with pytest.raises(Conflict):
        review.draw_reviewers(session, civil, grant_round.id, SPECIALTY)
    session.rollback()
    with pytest.raises(Conflict):
        review.screen(session, civil, applications["C"].id, eligible=True,
                      reason="meets_requirements")
    session.rollback()
    assert applications["C"].status == ApplicationStatus.INELIGIBLE


def test_a_declared_conflict_takes_the_seat_out_and_redraws_the_next_in_line(session,
                                                                              reviewed):
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    draw_all(session, grant_round)
    a = applications["A"]
    first = review.seats(session, a)[0]
    before = review_counts(session)
    with pytest.raises(Invalid):  # a conflict needs a note
        review.declare(session, first.user, a.id, conflict=True, note=" ")
    session.rollback()
    assert review_counts(session) == before
    with pytest.raises(Conflict):  # content before the declaration
        review.readable_seat(session, first.user, a.id)
    review.declare(session, first.user, a.id, conflict=True, note="曾任该机构理事")
    session.commit()
    assert first.active is False and first.conflict is True
    now_seats = review.seats(session, a)
    assert len(now_seats) == 3 and first.user_id not in {s.user_id for s in now_seats}
    step = session.scalar(select(DrawStep).where(DrawStep.draw_id == first.draw_id))
    assert step.reason == "conflict_at_seat" and step.expert_id == first.pool_expert_id
    assert step.replacement_id == now_seats[-1].pool_expert_id
    assert session.scalar(select(AuditEntry.reason).where(
        AuditEntry.action == "declare_conflict", AuditEntry.object_id == a.id)
        .order_by(AuditEntry.id.desc())) == "曾任该机构理事"
    with pytest.raises(Conflict):  # one declaration only
        review.declare(session, first.user, a.id, conflict=False)
    session.rollback()


def test_a_reviewer_with_a_declared_conflict_can_never_score(app, session, reviewed):
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    draw_all(session, grant_round)
    a = applications["A"]
    first = review.seats(session, a)[0]
    review.declare(session, first.user, a.id, conflict=True, note="亲属在该机构任职")
    session.commit()
    before = review_counts(session)
    for submit in (False, True):
        with pytest.raises(Forbidden) as refused:
            review.save_scores(session, first.user, a.id, [CS(90, "好"), CS(90, "好")],
                               submit=submit)
        session.rollback()
    with pytest.raises(Forbidden):
        review.readable_seat(session, first.user, a.id)
    assert review_counts(session) == before
    zh, en = _messages(refused.value, app)
    assert "利益冲突" in zh and "conflict of interest" in en


# --- scoring and the other reviewers' scores ------------------------------------------------

def test_scores_are_editable_until_submitted_and_hidden_from_the_others_until_all_are_in(
        app, session, reviewed):
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    draw_all(session, grant_round)
    a = applications["A"]
    declare_all(session, a)
    one, two, three = review.seats(session, a)
    review.save_scores(session, one.user, a.id, [CS(70, ""), CS(None, "")])
    session.commit()
    review.save_scores(session, one.user, a.id, [CS(80, "设计合理"), CS(None, "")])
    session.commit()
    assert one.scores == [{"score": 80, "comment": "设计合理"}, {"score": None, "comment": ""}]
    before = review_counts(session)
    for bad in ([CS(80, "a"), CS(None, "b")], [CS(80, "a"), CS(70, "")],
                [CS(101, "a"), CS(70, "b")], [CS(80, "a")]):
        with pytest.raises(Invalid):
            review.save_scores(session, one.user, a.id, bad, submit=True)
        session.rollback()
    assert review_counts(session) == before
    review.save_scores(session, one.user, a.id, [CS(80, "设计合理"), CS(70, "团队较弱")],
                       submit=True)
    session.commit()
    assert one.submitted_at is not None
    with pytest.raises(Conflict):
        review.save_scores(session, one.user, a.id, [CS(90, "x"), CS(90, "y")])
    session.rollback()

    review.save_scores(session, two.user, a.id, [CS(90, "好"), CS(60, "一般")], submit=True)
    session.commit()
    before = review_counts(session)
    for early in (one, two, three):
        with pytest.raises(Forbidden) as refused:
            review.all_scores(session, early.user, a.id)
    assert review_counts(session) == before
    zh, en = _messages(refused.value, app)
    assert "全部" in zh and "every reviewer" in en
    assert not review.reviews_complete(session, a)
    # civil affairs follows the scores as they come in
    assert len(review.all_scores(session, user(session, "civil"), a.id)) == 2

    review.save_scores(session, three.user, a.id, [CS(50, "差"), CS(40, "差")], submit=True)
    session.commit()
    assert review.reviews_complete(session, a)
    rows = review.all_scores(session, one.user, a.id)
    assert [review.weighted(grant_round.criteria, r.scores) for r in rows] == [
        Decimal("76.00"), Decimal("78.00"), Decimal("46.00")]


# --- the ranking ----------------------------------------------------------------------------

def test_the_ranking_uses_the_mean_adds_the_bonus_and_flags_a_wide_spread(session, reviewed):
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications, ineligible=())
    draw_all(session, grant_round)
    # weights 60 / 40: A 76, 78, 46 (mean 66.67, spread 32: flagged);
    # B (3A, +3) 74, 75, 70.4 (mean 73.13, total 76.13, spread 4.6); C: one score missing
    plan = {"A": [(80, 70), (90, 60), (50, 40)], "B": [(70, 80), (75, 75), (72, 68)],
            "C": [(90, 90), (90, 90)]}
    for key, scores in plan.items():
        application = applications[key]
        declare_all(session, application)
        for seat, (design, ability) in zip(review.seats(session, application), scores,
                                           strict=False):
            review.save_scores(session, seat.user, application.id,
                               [CS(design, "意见"), CS(ability, "意见")], submit=True)
        session.commit()
    ranked = review.ranking(session, grant_round)
    assert [r.application.title for r in ranked] == ["项目B", "项目A", "项目C"]
    b, a, c = ranked
    assert (b.mean, b.bonus, b.total, b.spread, b.flagged, b.complete) == (
        Decimal("73.13"), Decimal("3.00"), Decimal("76.13"), Decimal("4.60"), False, True)
    assert (a.mean, a.bonus, a.total, a.spread, a.flagged, a.complete) == (
        Decimal("66.67"), Decimal("0.00"), Decimal("66.67"), Decimal("32.00"), True, True)
    assert (c.mean, c.total, c.spread, c.flagged, c.complete, c.submitted) == (
        None, None, None, False, False, 2)
    assert review.reviews_complete(session, applications["B"])
    assert not review.reviews_complete(session, applications["C"])


def test_the_bonus_follows_the_round_priority_mode(session, reviewed):
    grant_round, applications, _, _ = reviewed
    assert review.bonus_for(session, grant_round, applications["B"]) == Decimal("3.00")
    assert review.bonus_for(session, grant_round, applications["A"]) == Decimal("0.00")
    grant_round.priority_mode = "reserved_share"
    assert review.bonus_for(session, grant_round, applications["B"]) == Decimal("0.00")
    session.rollback()


# --- attachments and a pool that runs out ---------------------------------------------------

def test_a_reviewer_reads_the_attachments_only_after_declaring_no_conflict(session, reviewed):
    from types import SimpleNamespace

    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    draw_all(session, grant_round)
    a = applications["A"]
    doc = SimpleNamespace(owner_id=a.id)
    one, two, _ = review.seats(session, a)
    assert not review.may_read_document(session, one.user, doc)  # not declared yet
    review.declare(session, one.user, a.id, conflict=False)
    review.declare(session, two.user, a.id, conflict=True, note="曾任该机构理事")
    session.commit()
    assert review.may_read_document(session, one.user, doc)
    assert not review.may_read_document(session, two.user, doc)
    assert not review.may_read_document(session, user(session, "expert"), doc)
    assert review.may_read_document(session, user(session, "civil"), doc)


def test_when_the_pool_runs_out_the_application_waits_for_its_reviewers(session, reviewed):
    grant_round, applications, experts, employee = reviewed
    screen_all(session, applications, ineligible=("B", "C"))
    draw_all(session, grant_round)
    a = applications["A"]
    # five experts may sit on A (the sixth is its employee): three drawn, two in reserve
    for _ in range(3):
        seat = review.seats(session, a)[0]
        review.declare(session, seat.user, a.id, conflict=True, note="存在利益关系")
        session.commit()
    assert len(review.seats(session, a)) == 2
    assert not review.reviews_complete(session, a)
    declare_all(session, a)
    for seat in review.seats(session, a):
        review.save_scores(session, seat.user, a.id, [CS(80, "好"), CS(80, "好")], submit=True)
    session.commit()
    ranked = review.ranking(session, grant_round)
    assert [(r.complete, r.mean, r.submitted) for r in ranked] == [(False, None, 2)]
