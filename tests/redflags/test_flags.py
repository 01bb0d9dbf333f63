"""Red flags (风险提示): each kind raised by a scenario that should raise it, with its
evidence and its links; a clean procurement (a tender of 25 days, three bids, awarded at
80 % of the ceiling, contracted at the awarded price, paid on time) raises none."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import event

from market.contracts import payments
from market.contracts.services import accept_contract, sign_contract
from market.redflags import labels
from market.redflags.detectors import DETECTORS, Scope
from market.redflags.queries import compute
from market.tenders.scoring import award as awards
from tests import factories
from tests.factories import bid_of, item_data, user


def raised(session, kind=None, fiscal_year=2028, **scope):
    """The flags raised now in the scenarios' fiscal year (the demo's tenders are of 2026)."""
    return [f for f in compute(session, Scope(fiscal_year, **scope))
            if kind is None or f.kind == kind]


def endpoints(flag):
    return {(link.endpoint, tuple(sorted(link.args.items()))) for link in flag.links}


def long_terms(clock, days=25):
    """Tender terms with a bid period of ``days`` (the open-tender minimum is 20)."""
    return {"clarification_deadline": clock.now + dt.timedelta(days=5),
            "bid_deadline": clock.now + dt.timedelta(days=days),
            "opening_time": clock.now + dt.timedelta(days=days, hours=1)}


def award_to(session, clock, item, bidders, prices, experts, specialty="social_work",
             **terms):
    """A tender on ``item`` bid by ``bidders`` at ``prices``, scored (the first best) and
    awarded to the first."""
    tender = factories.opened_tender(session, clock, item, list(zip(bidders, prices, strict=True)),
                                     **terms)
    marks = {u: ("35", "25") if i == 0 else ("30", "20") for i, u in enumerate(bidders)}
    factories.score_bids(session, tender, experts, marks, specialty)
    awards.award_tender(session, user(session, "dept"), tender.id,
                        bid_of(session, tender, bidders[0]).id)
    session.commit()
    return tender


def contract_for(session, clock, tender, winner):
    clock.travel(tender.standstill_ends_at + dt.timedelta(hours=1))
    contract = sign_contract(session, user(session, "dept"), tender.id, factories.milestones())
    accept_contract(session, winner, contract.id, True, factories.PASSWORD)
    session.commit()
    return contract


@pytest.fixture
def bidders(app, demo, session, clock):
    """Three organization users (the first 4A) whose annual reports run to this year, so
    their bids stay admissible when a scenario's tenders reach into next year."""
    users = []
    for grade in (4, 0, 0):
        org, member = factories.org_member(session, grade=grade, reports=False)
        year = clock.now.year
        factories.accepted_reports(org, years=range(year - 3, year + 1))
        users.append(member)
    session.commit()
    return users


def test_every_kind_has_its_words():
    for kind, det in DETECTORS.items():
        assert kind in labels.KIND_LABELS and det.subject_kind in labels.SUBJECT_LABELS


def test_a_clean_procurement_raises_no_flag(app, session, clock, bidders):
    end = dt.date(2028, 3, 20)
    before = {f.key for f in compute(session, Scope(today=end))}  # what the demo's data raises
    item = factories.budget_item(session)
    tender = award_to(session, clock, item, bidders, ["240000.00", "250000.00", "260000.00"],
                      factories.new_experts(session), **long_terms(clock))
    contract = contract_for(session, clock, tender, bidders[0])
    factories.deliver_and_accept(session, contract, 1, bidders[0])
    payments.approve_payment(session, user(session, "finance"), contract.id, 1)
    session.commit()
    clock.travel(dt.datetime(2028, 3, 20, 1, tzinfo=dt.UTC))  # the first milestone was due 1 March
    assert raised(session) == []
    assert {f.key for f in compute(session, Scope(today=end))} == before


def test_single_valid_bid(app, session, clock, bidders):
    app.config["POLICY_TENDER_MIN_VALID_BIDS_NEGOTIATION"] = 1  # a deployment allowing it
    item = factories.budget_item(session)
    with app.app_context():
        tender = factories.opened_tender(session, clock, item, [(bidders[0], "200000.00")],
                                         procedure="negotiation")
    [flag] = raised(session, "single_valid_bid")
    assert flag.key == f"single_valid_bid:t{tender.id}" and flag.subject == tender.reference
    assert flag.fiscal_year == 2028 and flag.department_id == tender.department_id
    assert ("tenders.detail", (("tender_id", tender.id),)) in endpoints(flag)
    with app.test_request_context():
        assert "1" in labels.evidence(flag)


def test_one_organization_winning_most_and_an_expert_scoring_it_again_and_again(
        app, session, clock, bidders):
    items = factories.approved_catalog(session, *[item_data(title=f"社区服务{n}")
                                                  for n in range(3)])
    # the only five project-evaluation experts of the pool: they sit on every committee
    experts = factories.new_experts(session, specialty="project_evaluation")
    tenders = [award_to(session, clock, item, bidders, ["240000.00", "250000.00", "260000.00"],
                        experts, "project_evaluation", **long_terms(clock)) for item in items]
    winner = bid_of(session, tenders[0], bidders[0]).organization_id
    [flag] = raised(session, "dominant_winner")
    assert flag.key == f"dominant_winner:d{tenders[0].department_id}:y2028:o{winner}"
    assert flag.params["won"] == 3 and flag.params["total"] == 3
    assert ("orgs.public_profile", (("org_id", winner),)) in endpoints(flag)
    assert {("scoring.award_page", (("tender_id", t.id),)) for t in tenders} <= endpoints(flag)

    repeated = raised(session, "repeat_evaluator")
    assert len(repeated) == 5 * 3  # each of five experts with each of three bidders
    mine = [f for f in repeated if f.key.endswith(f":o{winner}:y2028")]
    assert len(mine) == 5 and all(f.params["count"] == 3 for f in mine)
    assert all(link.endpoint == "experts.draw" for link in mine[0].links[1:])
    # another year's scope raises neither
    assert raised(session, fiscal_year=2027) == []


def test_award_at_the_ceiling(app, session, clock, bidders):
    item = factories.budget_item(session)
    tender = award_to(session, clock, item, bidders, ["244000.00", "244500.00", "244900.00"],
                      factories.new_experts(session), ceiling_price="245000.00",
                      **long_terms(clock))
    [flag] = raised(session, "near_ceiling")
    assert flag.params["price"] == Decimal("244000.00")
    assert flag.params["share"] == Decimal("99.59")
    assert ("scoring.award_page", (("tender_id", tender.id),)) in endpoints(flag)


def test_tender_period_shorter_than_the_minimum(app, session, clock, demo):
    item = factories.budget_item(session)
    short = factories.new_tender(session, clock, item=item)  # 10 days, open procedure
    factories.new_tender(session, clock, item=item, ceiling_price="100000.00",
                         **long_terms(clock, days=20))  # exactly the minimum: fine
    [flag] = raised(session, "short_period")
    assert flag.key == f"short_period:t{short.id}"
    assert flag.params["days"] == "10.0" and flag.params["minimum"] == 20


def test_purchase_split_under_the_threshold(app, session, clock, demo):
    item = factories.budget_item(session, budget="3000000.00", title="社区养老服务")
    split = [factories.new_tender(session, clock, item=item, ceiling_price="900000.00",
                                  **long_terms(clock)) for _ in range(3)]
    other = factories.approved_catalog(session, item_data(budget="3000000.00"),
                                       fiscal_year=2029)[0]
    for _ in range(2):  # 1,800,000 together: under the threshold
        factories.new_tender(session, clock, item=other, ceiling_price="900000.00",
                             **long_terms(clock))
    [flag] = raised(session, "split_purchase")
    assert flag.key == f"split_purchase:i{item.id}:t{split[0].id}"
    assert flag.params["count"] == 3 and flag.params["total"] == Decimal("2700000.00")
    assert {("tenders.detail", (("tender_id", t.id),)) for t in split} <= endpoints(flag)


def test_contract_above_the_awarded_price(app, session, clock, bidders):
    item = factories.budget_item(session)
    tender = award_to(session, clock, item, bidders, ["240000.00", "250000.00", "260000.00"],
                      factories.new_experts(session), **long_terms(clock))
    contract = contract_for(session, clock, tender, bidders[0])
    assert raised(session, "contract_raised") == []
    contract.amount = Decimal("260000.00")  # changed outside the services (a data fix, say)
    session.commit()
    [flag] = raised(session, "contract_raised")
    assert flag.params["difference"] == Decimal("20000.00")
    assert ("contracts.detail", (("contract_id", contract.id),)) in endpoints(flag)


def test_payment_late_against_its_milestone(app, session, clock, bidders):
    item = factories.budget_item(session)
    tender = award_to(session, clock, item, bidders, ["240000.00", "250000.00", "260000.00"],
                      factories.new_experts(session), **long_terms(clock))
    contract = contract_for(session, clock, tender, bidders[0])
    factories.deliver_and_accept(session, contract, 1, bidders[0])
    clock.travel(dt.datetime(2028, 3, 31, 1, tzinfo=dt.UTC))  # due 1 March + 30 days' grace
    assert raised(session, "late_payment") == []
    clock.travel(dt.datetime(2028, 4, 15, 1, tzinfo=dt.UTC))
    [flag] = raised(session, "late_payment")
    assert flag.evidence == "unpaid_late" and flag.params["days"] == 45
    milestone = contract.milestones[0]
    assert flag.key == f"late_payment:m{milestone.id}"
    payments.approve_payment(session, user(session, "finance"), contract.id, 1)
    session.commit()
    [flag] = raised(session, "late_payment")
    assert flag.evidence == "paid_late" and flag.key == f"late_payment:m{milestone.id}"
    assert any(link.endpoint == "auditor.transaction" for link in flag.links)


def test_one_query_per_kind_whatever_the_number_of_flags(app, session, clock, demo):
    engine = app.extensions["db_engine"]
    statements = []

    def counted(*_args):
        statements.append(1)

    item = factories.budget_item(session)
    factories.new_tender(session, clock, item=item, ceiling_price="100000.00")
    event.listen(engine, "before_cursor_execute", counted)
    try:
        few = len(compute(session, Scope()))
        few_queries = len(statements)
        event.remove(engine, "before_cursor_execute", counted)
        for _ in range(4):
            factories.new_tender(session, clock, item=item, ceiling_price="100000.00")
        statements.clear()
        event.listen(engine, "before_cursor_execute", counted)
        many = len(compute(session, Scope()))
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert many == few + 4
    assert len(statements) == few_queries <= len(DETECTORS) + 3


def test_a_new_kind_is_one_function_and_its_words(app, session, demo, monkeypatch):
    """How the overdue-complaints flag will be added once the complaints room lands: one
    detector registered with its words, and it is listed and counted like the others."""
    from market.redflags import detectors
    from market.redflags.detectors import Flag
    from market.redflags.queries import flag_list

    monkeypatch.setattr(detectors, "DETECTORS", dict(detectors.DETECTORS))
    monkeypatch.setattr("market.redflags.queries.DETECTORS", detectors.DETECTORS)
    monkeypatch.setitem(labels.KIND_LABELS, "complaint_overdue", "Complaint overdue")
    monkeypatch.setitem(labels.EVIDENCE, "complaint_overdue", "%(days)s working days late.")

    @detectors.detector("complaint_overdue", "tender")
    def complaint_overdue(session, scope):
        return [Flag("complaint_overdue", "complaint_overdue:c1", "tender", "TS-1", 2028, None,
                     "complaint_overdue", {"days": 3}, [])]

    result = flag_list(session, Scope(2028), kind="complaint_overdue")
    assert [f.key for f in result.flags] == ["complaint_overdue:c1"]
    assert result.counts["complaint_overdue"] == 1
    assert labels.evidence(result.flags[0]) == "3 working days late."


def test_complaint_overdue(app, demo, session, clock):
    """A complaint routed to a department and unanswered after its last working day."""
    from tests.complaints.test_complaints import client_for, dept_tender, file, latest

    tender = dept_tender(session)
    clock.travel(dt.datetime(2030, 3, 4, 2, 0, tzinfo=dt.UTC))  # Monday 10:00 in Beijing
    assert file(app, client_for(app, None), "tender", tender.id).status_code == 302
    complaint = latest(session)
    routed = client_for(app, "civil").post(f"/complaints/work/{complaint.id}/route",
                                           data={"department_id": str(tender.department_id)})
    assert routed.status_code == 302, routed.get_data(as_text=True)[-2000:]
    session.expire_all()  # routed through the pages: read it again
    due = dt.date(2030, 4, 15)  # 30 working days, none recorded as a holiday
    assert [f for f in compute(session, Scope(2030, today=due))
            if f.key == f"complaint_overdue:c{complaint.id}"] == []
    [flag] = [f for f in compute(session, Scope(2030, today=due + dt.timedelta(days=2)))
              if f.key == f"complaint_overdue:c{complaint.id}"]
    assert flag.department_id == tender.department_id
    assert flag.params == {"filed": "2030-03-04", "due": "2030-04-15", "days": 2}
    assert endpoints(flag) == {("complaints.detail", (("complaint_id", complaint.id),))}
    assert "2030-04-15" in labels.evidence(flag)
