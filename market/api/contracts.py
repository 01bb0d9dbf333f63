"""Award, contract and payment endpoints: the same service calls as the pages."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from market import funds
from market.access.guards import permission_required, public
from market.access.permissions import Permission
from market.api.blueprint import bp
from market.api.body import json_body
from market.contracts import access, payments
from market.db import get_session, unit_of_work
from market.money import plain_money
from market.performance import services as performance
from market.tenders.scoring import award as awards
from market.tenders.scoring.labels import PASS_OVER_LABELS
from market.tenders.scoring.queries import award_page


@bp.route("/tenders/<int:tender_id>/award")
@public
def award_result(tender_id: int):
    """The evaluation results, the award and the reasons (public once awarded)."""
    session = get_session()
    tender = awards.get_award_tender(session, current_user, tender_id)
    data = award_page(session, current_user, tender)
    award = data["award"]
    return jsonify({
        "tender": {"id": tender.id, "reference": tender.reference, "status": tender.status.value,
                   "priority_rule": tender.priority_rule.value,
                   "priority_value": str(tender.priority_value)},
        "award": None if award is None else {
            "bid_id": award.bid_id, "rank": award.rank, "reason": award.reason,
            "awarded_at": award.awarded_at.isoformat(),
            "standstill_ends_at": tender.standstill_ends_at.isoformat()
            if tender.standstill_ends_at else None,
            "challenge_deadline": tender.challenge_deadline.isoformat()
            if tender.challenge_deadline else None},
        "reasons": data["reasons"],
        "passed_over": [{"bid_id": p.bid_id, "organization": name, "rank": p.rank,
                         "reason": p.reason.value,
                         "reason_text": str(PASS_OVER_LABELS[p.reason]),
                         "evidence_reference": p.evidence_reference,
                         "evidence_document": p.evidence_document_id is not None,
                         "note": p.note, "recorded_at": p.recorded_at.isoformat()}
                        for p, name in data["passovers"]],
        "bids": [{
            "bid_id": r.result.bid_id, "organization": r.name, "grade": r.result.grade,
            "priority": r.result.priority, "valid": r.result.valid,
            "excluded_reason": r.result.excluded_reason, "price": plain_money(r.result.price),
            "evaluated_price": plain_money(r.result.evaluated_price),
            "criterion_scores": r.result.criterion_scores, "technical": str(r.result.technical),
            "price_score": str(r.result.price_score), "bonus": str(r.result.bonus),
            "total": str(r.result.total), "rank": r.result.rank,
            "total_without_priority": str(r.result.plain_total),
            "rank_without_priority": r.result.plain_rank,
            "adjustment": str(r.adjustment) if r.adjustment else None,
        } for r in data["rows"]],
        "challenges": [{"id": c.id, "organization": c.organization.name,
                        "status": c.status.value, "grounds": c.grounds, "answer": c.answer}
                       for c in data["challenges"]],
    })


def _contract_json(session, contract) -> dict:
    return {
        "id": contract.id, "code": contract.code, "tender_id": contract.tender_id,
        "organization": contract.organization.name, "amount": plain_money(contract.amount),
        "paid": plain_money(contract.paid), "status": contract.status.value,
        "committed": {pool or "ungated": plain_money(v)
                      for pool, v in funds.committed_pools(session, contract).items()},
        "released": plain_money(contract.released),
        "milestones": [{
            "number": m.number, "title": m.title, "percent": str(m.percent),
            "amount": plain_money(m.amount), "due_date": m.due_date.isoformat(),
            "needs_evaluation": m.needs_evaluation, "evaluation_passed": m.evaluation_passed,
            "status": m.status.value,
            "paid_at": m.paid_at.isoformat() if m.paid_at else None,
        } for m in contract.milestones],
    }


@bp.route("/contracts/<int:contract_id>")
@public
def contract(contract_id: int):
    session = get_session()
    return jsonify(_contract_json(session, access.get_contract(session, contract_id)))


@bp.route("/contracts/<int:contract_id>/milestones/<int:number>/acceptance", methods=["POST"])
@permission_required(Permission.CONTRACTS_MANAGE)
def accept_milestone(contract_id: int, number: int):
    body = json_body()
    accept, reason = body.boolean("accept", True), body.text("reason")
    session = get_session()
    with unit_of_work(session):
        payments.decide_deliverables(session, current_user, contract_id, number,
                                     accept, reason)
    return jsonify(_contract_json(session, access.get_contract(session, contract_id)))


@bp.route("/contracts/<int:contract_id>/milestones/<int:number>/evaluation", methods=["POST"])
@permission_required(Permission.CONTRACTS_EVALUATE)
def evaluate_milestone(contract_id: int, number: int):
    body = json_body()
    passed, score = body.boolean("passed", False), body.number("score")
    report = body.text("report", None)
    session = get_session()
    with unit_of_work(session):
        performance.record_performance_evaluation(session, current_user, contract_id, number,
                                                  passed, score, report=report)
    return jsonify(_contract_json(session, access.get_contract(session, contract_id))), 201


@bp.route("/contracts/<int:contract_id>/milestones/<int:number>/payment", methods=["POST"])
@permission_required(Permission.PAYMENTS_APPROVE)
def pay_milestone(contract_id: int, number: int):
    session = get_session()
    with unit_of_work(session):
        payments.approve_payment(session, current_user, contract_id, number)
    return jsonify(_contract_json(session, access.get_contract(session, contract_id))), 201
