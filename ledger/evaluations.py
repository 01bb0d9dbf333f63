"""Third-party performance evaluations (第三方绩效评估) that gate payments.

An evaluation is a journal entry: it takes the next sequence number and joins the hash
chain, so the export shows it, in order, as ``custom "evaluation" "<subject>" TRUE 87.50``
(beancount refuses links on ``custom``; the subject is the first value).

The gate: a commitment posted with metadata ``gate: "<subject>"`` puts its money in the
committed account's ``<subject>`` pool; money leaves that pool into an expense (a
payment) only after a passing evaluation of ``<subject>`` earlier in (date, sequence)
order. Since journal dates never go backwards, "earlier" is "already recorded".
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ledger import inputs
from ledger.canonical import chain_hash, evaluation_text
from ledger.chain import advance_head, check_date, lock_head, valid_date
from ledger.errors import InvalidAmount, InvalidText
from ledger.models import Evaluation
from ledger.types import CENT, utcnow

E = Evaluation.__table__
MAX_SCORE = Decimal("100000")


@dataclass(frozen=True)
class EvaluationRef:
    id: int
    seq: int
    date: dt.date
    hash: str


def record_evaluation(
    session: Session,
    date: dt.date,
    subject: str,
    passed: bool,
    score: Decimal | int | None = None,
    *,
    documents: Iterable[str] = (),
    meta: Mapping[str, Any] | None = None,
) -> EvaluationRef:
    """Append an evaluation of ``subject`` (e.g. ``contract-42/final``). Does not commit.

    ``documents`` are the ids of the evaluation report and its attachments.
    """
    valid_date(date)
    subject = inputs.ident(subject, what="evaluation subject")
    if not isinstance(passed, bool):
        raise InvalidText("passed must be True or False")
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, (Decimal, int)):
            raise InvalidAmount("score must be a Decimal")
        score = Decimal(score)
        if not score.is_finite() or score.quantize(CENT) != score or abs(score) >= MAX_SCORE:
            raise InvalidAmount(f"score {score} must have at most two decimals")
        score = score.quantize(CENT)
    clean = inputs.meta(meta, documents)

    head = lock_head(session)
    check_date(head, date)
    seq = head.seq + 1
    digest = chain_hash(head.hash, evaluation_text(seq, date, subject, passed, score, clean))
    new_id = session.execute(
        insert(E).returning(E.c.id),
        dict(seq=seq, date=date, subject=subject, passed=passed, score=score, meta=clean,
             prev_hash=head.hash, hash=digest, created_at=utcnow()),
    ).scalar_one()
    advance_head(session, seq, digest, date)
    return EvaluationRef(new_id, seq, date, digest)


def has_passing_evaluation(session: Session, subject: str) -> bool:
    """Whether the latest evaluation of ``subject`` passed (a later fail closes the gate)."""
    return bool(session.execute(
        select(E.c.passed).where(E.c.subject == subject).order_by(E.c.seq.desc()).limit(1)
    ).scalar())
