"""Publishing the ledger's chain head (公布链头): the only write of the auditor room."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledger.chain import read_head
from market.auditor.models import PublishedHead
from market.auditlog.services import record
from market.clock import now, to_local


def publish_head(session: Session, at: dt.datetime | None = None
                 ) -> tuple[PublishedHead, bool]:
    """Publish the journal's current (sequence, hash) for ``at``'s Beijing day, once a day.

    Idempotent per day (for a cron job or a systemd timer that may run twice): a day
    already published keeps its head. Returns the day's row and whether it is new. The
    caller commits."""
    at = at or now()
    day = to_local(at).date()
    existing = session.scalar(select(PublishedHead).where(PublishedHead.day == day))
    if existing is not None:
        return existing, False
    head = read_head(session)
    row = PublishedHead(day=day, seq=head.seq, hash=head.hash, published_at=at)
    try:
        with session.begin_nested():  # two timers at once: the day's unique key decides
            session.add(row)
    except IntegrityError:
        return session.scalar(select(PublishedHead).where(PublishedHead.day == day)), False
    record(session, None, "published_head", row.id, "publish", to_state=str(head.seq),
           reason=head.hash)
    return row, True
