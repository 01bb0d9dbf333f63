"""The award follows the ranking (MOF Order No. 87, art. 68; Implementing Regulations of the
Government Procurement Law, art. 49): the first-ranked bid, or the next one only for a coded
reason with evidence — through the pages, in both languages, and a refusal changes nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from market.documents.models import Document
from market.tenders.models import Tender, TenderStatus
from market.tenders.scoring import award as awards
from market.tenders.scoring import services as evaluation
from market.tenders.scoring.models import Award, PassOver, PassOverReason
from tests.factories import (PDF, budget_item, new_experts, opened_tender, org_member,
                             score_bids, user)
from tests.probes import procurement_counts, row_counts


@pytest.fixture
def evaluated(app, demo, session, clock):
    """Three bidders scored: A first, B second, C third; not awarded yet."""
    item = budget_item(session)
    _, a = org_member(session, grade=4)
    _, b = org_member(session)
    _, c = org_member(session)
    tender = opened_tender(session, clock, item, [(a, "240000.00"), (b, "250000.00"),
                                                  (c, "260000.00")])
    score_bids(session, tender, new_experts(session),
               {a: ("35", "25"), b: ("30", "20"), c: ("28", "20")})
    ranked = [r for r in evaluation.results(session, tender) if r.rank]
    assert [r.bid.organization_id for r in ranked] == [a.organization_id, b.organization_id,
                                                      c.organization_id]
    return tender, ranked


def _counts(session):
    return {**procurement_counts(session), **row_counts(session, PassOver, Document)}


def _login(client, username, language="zh"):
    client.post("/logout")
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    client.post(f"/language/{language}", data={"next": "/"})


def _post_award(client, tender, bid_id, **fields):
    data = {"bid_id": str(bid_id)}
    data.update(fields)
    return client.post(f"/tenders/{tender.id}/award", data=data,
                       content_type="multipart/form-data")


@pytest.mark.parametrize("language, says", [
    ("zh", "排在所选投标之前"), ("en", "is ranked above the bid you chose")])
def test_awarding_rank_two_without_a_reason_is_refused(client, session, evaluated, language,
                                                        says):
    tender, ranked = evaluated
    before = _counts(session)
    _login(client, "dept", language)
    # Nothing at all, then a free-text note alone: both refused.
    response = _post_award(client, tender, ranked[1].bid_id)
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    response = _post_award(client, tender, ranked[1].bid_id,
                           **{f"pass-{ranked[0].bid_id}-note": "第一名不想做了"})
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    assert _counts(session) == before
    assert session.get(Tender, tender.id).status == TenderStatus.EVALUATED


@pytest.mark.parametrize("language, says", [
    ("zh", "仅有备注说明不足以作为依据"), ("en", "A note alone is not enough")])
def test_a_reason_code_without_evidence_is_refused(client, session, evaluated, language, says):
    tender, ranked = evaluated
    before = _counts(session)
    _login(client, "dept", language)
    first = ranked[0].bid_id
    response = _post_award(client, tender, ranked[1].bid_id, **{
        f"pass-{first}-reason": "declined", f"pass-{first}-note": "电话告知放弃"})
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    # An unknown code is no code.
    response = _post_award(client, tender, ranked[1].bid_id, **{
        f"pass-{first}-reason": "too_expensive", f"pass-{first}-reference": "函 1 号"})
    assert response.status_code == 422
    assert _counts(session) == before


def test_rank_three_needs_a_reason_for_each_bid_above_it(client, session, evaluated):
    tender, ranked = evaluated
    before = _counts(session)
    _login(client, "dept")
    first, second = ranked[0].bid_id, ranked[1].bid_id
    response = _post_award(client, tender, ranked[2].bid_id, **{
        f"pass-{first}-reason": "declined", f"pass-{first}-reference": "放弃声明 1 号"})
    assert response.status_code == 422
    assert ranked[1].bid.organization.name in response.get_data(as_text=True)
    # A reason for a bid the award does not pass over is refused too.
    response = _post_award(client, tender, ranked[1].bid_id, **{
        f"pass-{first}-reason": "declined", f"pass-{first}-reference": "放弃声明 1 号",
        f"pass-{ranked[2].bid_id}-reason": "declined",
        f"pass-{ranked[2].bid_id}-reference": "x"})
    assert response.status_code == 422
    assert _counts(session) == before
    assert _post_award(client, tender, ranked[2].bid_id, **{
        f"pass-{first}-reason": "declined", f"pass-{first}-reference": "放弃声明 1 号",
        f"pass-{second}-reason": "false_material",
        f"pass-{second}-reference": "财政局核查结论 2027-3"}).status_code == 302
    rows = session.scalars(select(PassOver).where(PassOver.tender_id == tender.id)
                           .order_by(PassOver.rank)).all()
    assert [(r.rank, r.reason) for r in rows] == [(1, PassOverReason.DECLINED),
                                                  (2, PassOverReason.FALSE_MATERIAL)]


def test_a_reason_code_with_evidence_awards_the_next_and_is_published(client, session,
                                                                      evaluated):
    tender, ranked = evaluated
    first, second = ranked[0], ranked[1]
    _login(client, "dept")
    response = _post_award(client, tender, second.bid_id, **{
        f"pass-{first.bid_id}-reason": "declined",
        f"pass-{first.bid_id}-evidence": (io.BytesIO(PDF), "放弃中标声明.pdf"),
        f"pass-{first.bid_id}-note": "该机构书面声明放弃中标"})
    assert response.status_code == 302
    session.expire_all()
    award = session.scalar(select(Award).where(Award.tender_id == tender.id))
    assert award.bid_id == second.bid_id and award.rank == 2
    row = session.scalar(select(PassOver).where(PassOver.tender_id == tender.id))
    assert row.bid_id == first.bid_id and row.evidence_document_id is not None
    assert row.award_id == award.id

    # The department sees the evidence; the public sees the reason code in words.
    page = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    assert "证明材料文件" in page and "投标人放弃中标" in page
    client.post("/logout")
    for language, reason, on_file in [("zh", "投标人放弃中标", "证明材料已存档"),
                                      ("en", "The bidder declined the award",
                                       "Evidence document on file")]:
        client.post(f"/language/{language}", data={"next": "/"})
        page = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
        assert reason in page and on_file in page and "该机构书面声明放弃中标" in page
    assert client.get(f"/documents/{row.evidence_document_id}").status_code in (302, 403, 404)
    api = client.get(f"/api/v1/tenders/{tender.id}/award").get_json()
    assert api["passed_over"][0]["reason"] == "declined"
    assert api["passed_over"][0]["evidence_document"] is True


@pytest.mark.parametrize("language, says", [
    ("zh", "仅有备注说明不足以作为依据"), ("en", "A note alone is not enough")])
def test_withdrawing_an_award_needs_a_coded_reason_with_evidence(client, session, evaluated,
                                                                 language, says):
    tender, ranked = evaluated
    awards.award_tender(session, user(session, "dept"), tender.id, ranked[0].bid_id)
    session.commit()
    before = _counts(session)
    _login(client, "dept", language)
    response = client.post(f"/tenders/{tender.id}/award/withdraw",
                           data={"reason": "not_signed", "note": "逾期未签"})
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    assert _counts(session) == before
    assert session.get(Tender, tender.id).status == TenderStatus.AWARDED

    # With its evidence: the award is withdrawn and the next-ranked bid awarded, with no
    # further reason needed for the bid already passed over.
    assert client.post(f"/tenders/{tender.id}/award/withdraw", data={
        "reason": "not_signed", "reference": "催签函 2027-05 号"}).status_code == 302
    session.expire_all()
    assert session.get(Tender, tender.id).status == TenderStatus.EVALUATED
    assert _post_award(client, tender, ranked[0].bid_id).status_code == 409  # passed over
    assert _post_award(client, tender, ranked[1].bid_id).status_code == 302
    client.post("/logout")
    client.post(f"/language/{language}", data={"next": "/"})
    page = client.get(f"/tenders/{tender.id}/award").get_data(as_text=True)
    assert ("投标人未在规定期限内签订合同" if language == "zh"
            else "The bidder did not sign the contract within the legal period") in page
    assert "催签函 2027-05 号" in page


def test_the_award_forms_in_each_state_in_both_languages(app, session, evaluated):
    """The department's award form (evaluated) and withdraw form (awarded)."""
    from tests.probes import untranslated

    tender, ranked = evaluated
    pages = [("dept", f"/tenders/{tender.id}/evaluation")]
    for language in ("zh", "en"):
        assert untranslated(app, session, pages, language) == []
    awards.award_tender(session, user(session, "dept"), tender.id, ranked[1].bid_id, [
        awards.PassOverData(ranked[0].bid_id, "false_material", reference="核查结论 7 号")])
    session.commit()
    pages = [("dept", f"/tenders/{tender.id}/award"), (None, f"/tenders/{tender.id}/award")]
    for language in ("zh", "en"):
        assert untranslated(app, session, pages, language) == []
