"""Screening and review through HTTP: civil affairs screens (a refusal explained in both
languages, nothing written) and draws; the applicant reads the outcome; a reviewer
declares, saves and submits scores; the two refusals — scoring with a declared conflict,
reading the other reviewers' scores early — answer 403 in both languages and change
nothing; the pages carry no untranslated text."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from market.grants import review
from market.grants.models import ApplicationStatus
from tests.factories import user
from tests.grants.conftest import login
from tests.grants.review_support import SPECIALTY, declare_all, draw_all, review_counts, \
    screen_all
from tests.probes import untranslated


def _member_of(session, application):
    from market.accounts.models import User

    return session.scalar(select(User).where(
        User.organization_id == application.organization_id))


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_civil_affairs_screens_and_the_applicant_reads_the_outcome(app, client, session,
                                                                   reviewed):
    grant_round, applications, _, _ = reviewed
    a = applications["A"]
    login(client, "civil")
    page = client.get(f"/grants/rounds/{grant_round.id}/screening")
    assert page.status_code == 200 and "项目A" in _text(page) and "记录审查结果" in _text(page)
    url = f"/grants/applications/{a.id}/screen"
    before = review_counts(session)
    for language, message in (("zh", "请向申报机构说明未通过资格审查的原因"),
                              ("en", "Explain to the applicant why the application does not "
                                     "pass screening.")):
        login(client, "civil", language)
        refused = client.post(url, data={f"a{a.id}-outcome": "ineligible",
                                         f"a{a.id}-reason": "budget", f"a{a.id}-note": ""})
        assert refused.status_code == 422 and message in _text(refused), language
    assert review_counts(session) == before
    session.refresh(a)
    assert a.status == ApplicationStatus.SUBMITTED
    done = client.post(url, data={f"a{a.id}-outcome": "ineligible", f"a{a.id}-reason": "budget",
                                  f"a{a.id}-note": "预算明细与项目内容不符"})
    assert done.status_code == 302
    session.refresh(a)
    assert a.status == ApplicationStatus.INELIGIBLE
    member = _member_of(session, a)
    for language, words in (("zh", ["未通过资格审查", "预算编制不符合本次活动要求", "预算明细与项目内容不符"]),
                            ("en", ["did not pass screening",
                                    "The budget does not meet the round", "预算明细与项目内容不符"])):
        login(client, member.username, language)
        shown = _text(client.get(f"/grants/applications/{a.id}"))
        assert all(w in shown for w in words), language


def test_the_draw_the_declaration_and_the_scores_through_the_pages(app, client, session,
                                                                   reviewed):
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    login(client, "civil")
    drawn = client.post(f"/grants/rounds/{grant_round.id}/draw-reviewers",
                        data={"specialty": SPECIALTY})
    assert drawn.status_code == 302
    a = applications["A"]
    seats = review.seats(session, a)
    assert len(seats) == 3
    progress = _text(client.get(f"/grants/rounds/{grant_round.id}/review"))
    assert "项目A" in progress and "待声明" in progress

    first, second, third = seats
    login(client, first.user.username)
    page = _text(client.get(f"/grants/reviews/{a.id}"))
    assert "利益冲突声明" in page and "为社区老人提供健康服务" not in page
    assert "项目A" in _text(client.get("/grants/reviews"))
    assert "我的创投评审" in _text(client.get("/home"))
    assert client.post(f"/grants/reviews/{a.id}/declare",
                       data={"conflict": "no", "note": ""}).status_code == 302
    page = _text(client.get(f"/grants/reviews/{a.id}"))
    assert "为社区老人提供健康服务" in page and "保存评分" in page
    saved = client.post(f"/grants/reviews/{a.id}/scores", data={
        "criteria-0-score": "80", "criteria-0-comment": "设计合理", "criteria-1-score": "",
        "criteria-1-comment": "", "save": "1"})
    assert saved.status_code == 302
    session.refresh(first)
    assert first.scores[0] == {"score": 80, "comment": "设计合理"} and first.submitted_at is None
    refused = client.post(f"/grants/reviews/{a.id}/scores", data={
        "criteria-0-score": "80", "criteria-0-comment": "设计合理", "criteria-1-score": "",
        "criteria-1-comment": "", "submit_scores": "1"})
    assert refused.status_code == 422 and "提交前请为每项评审指标打分并填写评语" in _text(refused)
    submitted = client.post(f"/grants/reviews/{a.id}/scores", data={
        "criteria-0-score": "80", "criteria-0-comment": "设计合理", "criteria-1-score": "70",
        "criteria-1-comment": "团队较弱", "submit_scores": "1"})
    assert submitted.status_code == 302
    session.refresh(first)
    assert first.submitted_at is not None
    page = _text(client.get(f"/grants/reviews/{a.id}"))
    assert "76.00" in page and "该申报的全部评审专家提交评分后" in page

    # reading the others' scores early: 403 in both languages, nothing shown or changed
    before = review_counts(session)
    for language, message in (("zh", "该申报的全部评审专家提交评分后，方可查看其他专家的评分"),
                              ("en", "The other reviewers' scores are shown once every "
                                     "reviewer of this application has submitted")):
        login(client, first.user.username, language)
        early = client.get(f"/grants/applications/{a.id}/scores")
        assert early.status_code == 403 and message in _text(early), language
        assert "设计合理" not in _text(early)
    assert review_counts(session) == before

    for seat, (design, ability) in ((second, (90, 60)), (third, (50, 40))):
        review.declare(session, seat.user, a.id, conflict=False)
        review.save_scores(session, seat.user, a.id,
                           [review.CriterionScore(design, "意见甲"),
                            review.CriterionScore(ability, "意见乙")], submit=True)
    session.commit()
    login(client, first.user.username)
    allowed = client.get(f"/grants/applications/{a.id}/scores")
    assert allowed.status_code == 200
    assert all(t in _text(allowed) for t in ("76.00", "78.00", "46.00", "意见甲"))
    login(client, "civil")
    ranking = _text(client.get(f"/grants/rounds/{grant_round.id}/review"))
    assert "66.67" in ranking and "32.00" in ranking and "评分分歧较大" in ranking


def test_scoring_with_a_declared_conflict_is_refused_through_the_page(app, client, session,
                                                                      reviewed):
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    draw_all(session, grant_round)
    b = applications["B"]
    first = review.seats(session, b)[0]
    login(client, first.user.username)
    declared = client.post(f"/grants/reviews/{b.id}/declare",
                           data={"conflict": "yes", "note": "曾任该机构理事"})
    assert declared.status_code == 302
    session.refresh(first)
    assert first.conflict is True and not first.active
    assert len(review.seats(session, b)) == 3
    before = review_counts(session)
    for language, message in (("zh", "您已声明与该申报存在利益冲突，不能查看或评分"),
                              ("en", "You declared a conflict of interest with this "
                                     "application, so you cannot see or score it")):
        login(client, first.user.username, language)
        refused = client.post(f"/grants/reviews/{b.id}/scores", data={
            "criteria-0-score": "90", "criteria-0-comment": "好", "criteria-1-score": "90",
            "criteria-1-comment": "好", "submit_scores": "1"})
        assert refused.status_code == 403 and message in _text(refused), language
        assert client.get(f"/grants/applications/{b.id}/scores").status_code == 403
    assert review_counts(session) == before
    page = _text(client.get(f"/grants/reviews/{b.id}"))
    assert "为社区老人提供健康服务" not in page
    # an expert not drawn for it: no such review
    other = user(session, "expert")
    login(client, other.username)
    assert client.get(f"/grants/reviews/{b.id}").status_code == 404


def test_the_review_pages_are_translated(app, session, reviewed):
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    draw_all(session, grant_round)
    a = applications["A"]
    declare_all(session, a)
    seat = review.seats(session, a)[0]
    pages = [("civil", f"/grants/rounds/{grant_round.id}/screening"),
             ("civil", f"/grants/rounds/{grant_round.id}/review"),
             ("civil", f"/grants/applications/{applications['C'].id}"),
             ("civil", f"/grants/applications/{a.id}/scores"),
             (seat.user.username, "/grants/reviews"),
             (seat.user.username, f"/grants/reviews/{a.id}"),
             (_member_of(session, applications["C"]).username,
              f"/grants/applications/{applications['C'].id}")]
    for language in ("zh", "en"):
        problems = untranslated(app, session, pages, language)
        assert problems == [], problems


def test_the_declaration_has_no_preselected_answer(app, client, session, reviewed):
    """No statement is chosen for the reviewer: the page preselects neither, and a
    declaration sent without a choice is refused on the field; nothing is recorded."""
    grant_round, applications, _, _ = reviewed
    screen_all(session, applications)
    login(client, "civil")
    assert client.post(f"/grants/rounds/{grant_round.id}/draw-reviewers",
                       data={"specialty": SPECIALTY}).status_code == 302
    a = applications["A"]
    first = review.seats(session, a)[0]
    login(client, first.user.username)
    page = client.get(f"/grants/reviews/{a.id}").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="conflict"[^>]*>', page)
    assert len(radios) == 2 and not any("checked" in r for r in radios)
    for language, message in (("zh", "请选择您的声明：无利益冲突，或存在利益冲突。"),
                              ("en", "Choose your declaration: no conflict of interest, "
                                     "or a conflict.")):
        login(client, first.user.username, language)
        refused = client.post(f"/grants/reviews/{a.id}/declare", data={"note": ""})
        assert refused.status_code == 400 and message in _text(refused)
    session.refresh(first)
    assert first.declared_at is None
