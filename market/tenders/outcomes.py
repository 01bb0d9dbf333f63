"""What became of each of an organization's bids ("my bids"): won, lost (with its own rank
and score once the award is published), contracted — and what to do next.

The tenders room knows what the tender itself says (sealed, withdrawn, cancelled, failed,
invalid at opening, opened); the rooms built on it refine that through ``register_step``:
the scoring room says won or lost once the award is published, the contracts room says
what to do under the contract. Each step reads every bid of the page at once, so the page
costs a fixed number of queries whatever the number of bids.

The sealed-bid rule holds: a bid's rank and score are its bidder's alone and only once the
award is published (before that the ranking is not public, MISSION.md); nobody else's
scores are ever read here.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from market.core import registry
from market.tenders.models import BidStatus, TenderStatus


class State:
    """An outcome's state (a code; pages say it with ``STATE_LABELS``)."""

    SEALED = "sealed"  # submitted, the tender not opened yet
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"  # the tender was cancelled (终止)
    UNSUCCESSFUL = "unsuccessful"  # the tender failed (流标)
    INVALID = "invalid"  # not admitted at the opening
    EVALUATING = "evaluating"  # opened, the award not published yet
    WON = "won"  # 中标
    LOST = "lost"  # 未中标
    CONTRACTED = "contracted"  # won, and the contract is signed


STATE_LABELS = {
    State.SEALED: _l("Sealed, waiting for the opening"),
    State.WITHDRAWN: _l("Withdrawn"),
    State.CANCELLED: _l("Tender cancelled"),
    State.UNSUCCESSFUL: _l("Tender failed"),
    State.INVALID: _l("Not admitted at the opening"),
    State.EVALUATING: _l("Under evaluation"),
    State.WON: _l("Won"),
    State.LOST: _l("Not won"),
    State.CONTRACTED: _l("Contracted"),
}

# The state's badge class (static/css/app.css has badge-<state>).
STATE_BADGES = {State.WON: "badge-won", State.CONTRACTED: "badge-won", State.LOST: "badge-lost",
                State.INVALID: "badge-lost"}


@dataclass
class Outcome:
    """One bid's outcome as its bidder sees it. ``rank`` and ``total`` are the bid's own,
    set only once the award is published; ``action`` is the next thing to do (words) and
    ``action_url`` where to do it."""

    bid_id: int
    tender_id: int
    state: str
    rank: int | None = None
    total: Decimal | None = None
    action: object | None = None
    action_url: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))

    @property
    def badge(self) -> str:
        return STATE_BADGES.get(self.state, "")


# A step: fn(session, organization_id, outcomes by bid id) -> None, refining them in place
# with a fixed number of queries.
Step = Callable[[Session, int, dict[int, Outcome]], None]


def register_step(app, step: Step, order: int = 50) -> None:
    steps = registry.of(app, "bid_outcome_steps", list)
    if all(s is not step for _, s in steps):
        steps.append((order, step))
        steps.sort(key=lambda s: s[0])


def _base(bid) -> Outcome:
    """What the bid and its tender alone say (``bid`` is a ``sealed.BidView`` with its
    tender's status in ``tender_status``)."""
    state, action = State.EVALUATING, None
    status = bid.tender_status
    if bid.status == BidStatus.WITHDRAWN:
        state = State.WITHDRAWN
    elif status == TenderStatus.CANCELLED:
        state = State.CANCELLED
    elif status == TenderStatus.UNSUCCESSFUL:
        state = State.UNSUCCESSFUL
    elif status in (TenderStatus.DRAFT, TenderStatus.PUBLISHED):
        state = State.SEALED
        if bid.needs_reconfirmation:
            action = _l("Reconfirm or revise your bid before the bid deadline")
    elif bid.valid is False:
        state = State.INVALID
    return Outcome(bid_id=bid.id, tender_id=bid.tender_id, state=state, action=action)


def outcomes_for(session: Session, organization_id: int | None, bids: Sequence
                 ) -> dict[int, Outcome]:
    """Outcome of each of ``bids`` (the organization's own ``BidView``s), by bid id."""
    if not organization_id or not bids:
        return {}
    result = {b.id: _base(b) for b in bids}
    for _, step in registry.current("bid_outcome_steps", list):
        step(session, organization_id, result)
    return result
