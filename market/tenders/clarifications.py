"""澄清 — questions from eligible organizations before the clarification deadline, and the
department's answers. Published without the asker's name: nobody, the department included,
is shown who asked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market import policy
from market.auditlog.services import record
from market.clock import now
from market.errors import Conflict, Invalid, NotFound
from market.tenders import notifications
from market.tenders.access import get_tender
from market.tenders.bid_services import NotEligible, bidder_organization, eligibility_problem
from market.tenders.models import Question, Tender, TenderStatus


#: An identical question within this window is taken as a repeated submit.
REPEAT_WINDOW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class QuestionView:
    """A question as anyone sees it: no asker."""

    id: int
    tender_id: int
    question: str
    asked_at: dt.datetime
    answer: str | None
    answered_at: dt.datetime | None


def view_of(q: Question) -> QuestionView:
    return QuestionView(q.id, q.tender_id, q.question, q.asked_at, q.answer, q.answered_at)


def ask_question(session: Session, actor, tender_id: int, text: str) -> Question:
    org = bidder_organization(session, actor)
    # Locked: a repeated submit waits for the first and then sees its question.
    tender = get_tender(session, actor, tender_id, lock=True)
    if tender.status != TenderStatus.PUBLISHED or tender.questions_closed:
        raise Conflict(_l("The clarification period of this tender is over."))
    problem = eligibility_problem(session, org, tender)
    if problem is not None:
        raise NotEligible(problem)
    text = (text or "").strip()
    if not text:
        raise Invalid(_l("Write your question."), field="question")
    limit = policy.value("clarification_max_chars")
    if len(text) > limit:
        raise Invalid(_l("At most %(n)s characters.", n=limit), field="question")
    at = now()
    _refuse_repeat(session, tender, org.id, text, at)
    q = Question(tender_id=tender.id, organization_id=org.id, asked_by_id=actor.id,
                 question=text, asked_at=at)
    session.add(q)
    session.flush()
    # The audit log keeps who asked (for oversight); pages and the API never show it.
    record(session, actor, "tender_question", q.id, "ask", None, "open", tender.reference)
    return q


def _refuse_repeat(session: Session, tender: Tender, org_id: int, text: str,
                   at: dt.datetime) -> None:
    """The same question from the same organization a moment ago is a double submit (a
    double click, a resent form), not a second question: refused, nothing stored."""
    earlier = session.scalar(
        select(Question.id).where(Question.tender_id == tender.id,
                                  Question.organization_id == org_id,
                                  Question.question == text,
                                  Question.asked_at >= at - REPEAT_WINDOW).limit(1))
    if earlier is not None:
        raise Conflict(_l("Your organization has just asked this same question; it was "
                          "received once and will be answered once."), field="question")


def answer_question(session: Session, actor, question_id: int, answer: str) -> Question:
    q = session.get(Question, question_id)
    if q is None:
        raise NotFound(_l("No such question."))
    tender = get_tender(session, actor, q.tender_id, manage=True)
    if q.answer is not None:
        raise Conflict(_l("This question has already been answered."))
    if tender.status != TenderStatus.PUBLISHED or tender.bids_closed:
        raise Conflict(_l("Questions can be answered only while the tender is open for bids."))
    answer = (answer or "").strip()
    if not answer:
        raise Invalid(_l("Write the answer."), field="answer")
    limit = policy.value("clarification_max_chars")
    if len(answer) > limit:
        raise Invalid(_l("At most %(n)s characters.", n=limit), field="answer")
    q.answer, q.answered_at, q.answered_by_id = answer, now(), actor.id
    notifications.notify(session, kind="question_answered", organization_id=q.organization_id,
                         tender_id=tender.id, ref=tender.reference)
    record(session, actor, "tender_question", q.id, "answer", "open", "answered",
           tender.reference)
    return q


def public_questions(session: Session, tender: Tender) -> list[QuestionView]:
    return [view_of(q) for q in session.scalars(
        select(Question).where(Question.tender_id == tender.id).order_by(Question.id))]


def unanswered(session: Session, department_id: int) -> list[tuple[Tender, QuestionView]]:
    """The department's open questions on tenders still open for bids (its work queue)."""
    rows = session.execute(
        select(Question, Tender).join(Tender, Tender.id == Question.tender_id)
        .where(Tender.department_id == department_id, Question.answer.is_(None),
               Tender.accepting_bids)
        .order_by(Question.asked_at))
    return [(t, view_of(q)) for q, t in rows]
