"""Words for a tender's states and terms, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.tenders.models import BidStatus, PriorityRule, Procedure, Tender

PROCEDURE_LABELS = {Procedure.OPEN: _l("Open tender"),
                    Procedure.NEGOTIATION: _l("Competitive negotiation")}
PRIORITY_LABELS = {
    PriorityRule.RESTRICTED: _l("Restricted to 3A+ organizations"),
    PriorityRule.PRICE_DEDUCTION: _l("Price deduction for 3A+"),
    PriorityRule.SCORE_BONUS: _l("Score bonus for 3A+"),
    PriorityRule.TIE_BREAK: _l("3A+ wins a tie"),
}

PHASE_LABELS = {
    "draft": _l("Draft"),
    "open_for_questions": _l("Open for questions and bids"),
    "open_for_bids": _l("Open for bids"),
    "bids_closed": _l("Bids closed, awaiting opening"),
    "opened": _l("Bids opened"),
    "evaluated": _l("Evaluated"),
    "awarded": _l("Awarded"),
    "standstill": _l("Awarded, standstill period"),
    "contracted": _l("Contracted"),
    "cancelled": _l("Cancelled"),
    "unsuccessful": _l("Unsuccessful (too few valid bids)"),
}

STATUS_FILTER_LABELS = {
    "accepting_bids": _l("Open for bids"),
    "bids_closed": _l("Bids closed, awaiting opening"),
    "opened": _l("Bids opened"),
    "evaluated": _l("Evaluated"),
    "awarded": _l("Awarded"),
    "contracted": _l("Contracted"),
    "cancelled": _l("Cancelled"),
    "unsuccessful": _l("Unsuccessful (too few valid bids)"),
}

BID_STATUS_LABELS = {BidStatus.SUBMITTED: _l("Sealed and submitted"),
                     BidStatus.WITHDRAWN: _l("Withdrawn")}

INVALID_REASON_LABELS = {
    "withdrawn": _l("withdrawn by the bidder"),
    "not_reconfirmed": _l("not reconfirmed after the tender was changed"),
    "ineligible": _l("the bidder was no longer eligible at opening"),
}


def phase_label(tender: Tender) -> str:
    return str(PHASE_LABELS.get(tender.phase, tender.phase))


def procedure_label(procedure) -> str:
    return str(PROCEDURE_LABELS[procedure])


def priority_label(rule) -> str:
    return str(PRIORITY_LABELS[PriorityRule(rule)])


def priority_in_words(tender: Tender) -> str:
    """The 3A+ priority rule as a sentence (policy §10: 3A+ organizations come first)."""
    value = f"{tender.priority_value.normalize():f}"
    if tender.priority_rule == PriorityRule.RESTRICTED:
        return str(_l("Only organizations graded 3A or above may bid."))
    if tender.priority_rule == PriorityRule.PRICE_DEDUCTION:
        return str(_l("When prices are scored, the price of an organization graded 3A or above "
                      "is counted %(x)s %% lower.", x=value))
    if tender.priority_rule == PriorityRule.SCORE_BONUS:
        return str(_l("An organization graded 3A or above gets %(y)s extra points on its total "
                      "score.", y=value))
    return str(_l("When total scores are equal, the organization graded 3A or above ranks "
                  "first."))


def invalid_reason_label(reason: str | None) -> str:
    return str(INVALID_REASON_LABELS.get(reason, reason or ""))
