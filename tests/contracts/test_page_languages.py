"""The evaluation, award and contract pages are wholly in the reader's language (the
data on them aside), as tests/test_page_languages.py checks for the other pages."""
from __future__ import annotations

import pytest

from market.contracts import payments
from market.tenders import challenges
from market.tenders.scoring import services as evaluation
from tests.contracts.conftest import (assign_evaluation, budget_item, deliver_and_accept,
                                      make_experts, signed_contract, user)
from tests.test_page_languages import untranslated


@pytest.fixture
def pages(app, demo, session, clock):
    """A contract with one paid and one evaluated milestone, a rejected challenge, an
    expert with nothing to score yet, and the URLs each role visits."""
    item = budget_item(session)
    contract, bidders = signed_contract(session, clock, item)
    tender = contract.tender
    contractor = bidders["a"]
    deliver_and_accept(session, contract, 1, contractor)
    payments.approve_payment(session, user(session, "finance"), contract.id, 1)
    deliver_and_accept(session, contract, 3, contractor)
    assign_evaluation(session, contract, 3)
    payments.record_performance_evaluation(session, user(session, "evaluator"), contract.id, 3,
                                           False, "50")
    payments.submit_deliverables(session, contractor, contract.id, 2, "中期成果")
    session.commit()
    seat = evaluation.committee(session, tender)[0]
    expert = seat.expert.username
    idle = make_experts(session, 1)[0]
    c = bidders["c"].username
    return [
        (None, f"/tenders/{tender.id}/award"), (None, "/contracts/"),
        (None, f"/contracts/{contract.id}"),
        ("dept", f"/tenders/{tender.id}/evaluation"), ("dept", f"/tenders/{tender.id}/award"),
        ("dept", f"/contracts/{contract.id}"), ("dept", "/contracts/work"), ("dept", "/home"),
        (contractor.username, f"/contracts/{contract.id}"), (contractor.username, "/contracts/work"),
        (c, f"/tenders/{tender.id}/award"),
        ("finance", "/contracts/work"), ("finance", f"/contracts/{contract.id}"),
        ("evaluator", "/contracts/work"), ("evaluator", f"/contracts/{contract.id}"),
        (expert, "/tenders/my-evaluations"), (expert, f"/tenders/{tender.id}/scoring"),
        (idle.username, "/tenders/my-evaluations"), (expert, "/home"),
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_untranslated_string_on_the_pages(app, session, pages, language):
    problems = untranslated(app, session, pages, language)
    assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)


def test_sign_page_in_both_languages(app, demo, session, clock):
    """The signing form (before signing) and a challenge being answered."""
    from tests.contracts.conftest import awarded_tender

    item = budget_item(session)
    tender, bidders = awarded_tender(session, clock, item)
    challenges.file_challenge(session, bidders["b"], tender.id, "评分有误")
    session.commit()
    for language in ("zh", "en"):
        pages = [("dept", f"/contracts/sign/{tender.id}"), ("dept", f"/tenders/{tender.id}/award")]
        problems = untranslated(app, session, pages, language)
        assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)
