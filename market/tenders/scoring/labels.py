"""Words for scoring, award and challenges, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.tenders.labels import INVALID_REASON_LABELS
from market.tenders.scoring import ranking
from market.tenders.scoring.models import ChallengeStatus, PassOverReason

# Why a better-ranked bid was passed over by the award (递补的理由).
PASS_OVER_LABELS = {
    PassOverReason.DECLINED: _l("The bidder declined the award"),
    PassOverReason.NOT_SIGNED: _l("The bidder did not sign the contract within the legal "
                                  "period"),
    PassOverReason.FALSE_MATERIAL: _l("The bidder was found after the opening to have given "
                                      "false material"),
}

CHALLENGE_STATUS_LABELS = {
    ChallengeStatus.OPEN: _l("Awaiting the department's answer"),
    ChallengeStatus.UPHELD: _l("Upheld: the award was reopened"),
    ChallengeStatus.REJECTED: _l("Rejected: the challenge does not stand"),
    ChallengeStatus.SUPERSEDED: _l("Closed: another challenge reopened the award"),
}

# Why a bid was not ranked: the ranking's own reasons; the opening's are in tenders.labels.
EXCLUSION_LABELS = {
    ranking.BELOW_PRIORITY_GRADE: _l("Not valid: this tender is restricted to organizations "
                                     "graded 3A or above, and the bidder was not at the bid "
                                     "deadline."),
    ranking.INVALID_AT_OPENING: _l("Not valid: found invalid at the opening."),
}


def exclusion_label(code: str | None) -> str:
    """Why a bid was not ranked, in words."""
    if code in EXCLUSION_LABELS:
        return str(EXCLUSION_LABELS[code])
    if code in INVALID_REASON_LABELS:
        return str(_l("Not valid: %(why)s.", why=INVALID_REASON_LABELS[code]))
    return str(EXCLUSION_LABELS[ranking.INVALID_AT_OPENING])
