"""Words for the states and settings of venture philanthropy (公益创投)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.grants.models import (ApplicationStatus, PriorityMode, QuestionKind, RoundStatus,
                                  ScreeningReason)

ROUND_STATUS = {RoundStatus.DRAFT: _l("Draft"), RoundStatus.PUBLISHED: _l("Round published")}
APPLICATION_STATUS = {ApplicationStatus.DRAFT: _l("Draft"),
                      ApplicationStatus.SUBMITTED: _l("Application submitted"),
                      ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
                      ApplicationStatus.ELIGIBLE: _l("Passed screening"),
                      ApplicationStatus.INELIGIBLE: _l("Did not pass screening"),
                      ApplicationStatus.FUNDED: _l("Funded"),
                      ApplicationStatus.NOT_FUNDED: _l("Not funded")}
PRIORITY_MODE = {PriorityMode.SCORE_BONUS: _l("Score bonus for 3A+ organizations (points)"),
                 PriorityMode.RESERVED_SHARE: _l("Share of the pool reserved for 3A+ "
                                                 "organizations (%)")}
QUESTION_KIND = {QuestionKind.TEXT: _l("Text"), QuestionKind.NUMBER: _l("Number"),
                 QuestionKind.CHOICE: _l("Choice"), QuestionKind.FILE: _l("File")}
TRANCHE_STAGE = {"signing": _l("On signing the grant agreement"),
                 "midterm": _l("After a passing mid-term evaluation"),
                 "final": _l("After a passing final evaluation")}


def round_status_label(value) -> str:
    return str(ROUND_STATUS.get(value, value))


def application_status_label(value) -> str:
    return str(APPLICATION_STATUS.get(value, value))


def priority_mode_label(value) -> str:
    return str(PRIORITY_MODE.get(value, value))


def tranche_label(stage: str) -> str:
    return str(TRANCHE_STAGE.get(stage, stage))


SCREENING_REASON = {
    ScreeningReason.MEETS_REQUIREMENTS: _l("Meets the round's requirements"),
    ScreeningReason.CATEGORY: _l("The organization's category is not among those accepted"),
    ScreeningReason.GRADE: _l("The organization does not hold the grade required"),
    ScreeningReason.STANDING: _l("The organization's registration or standing is not in order"),
    ScreeningReason.OUT_OF_SCOPE: _l("The project is outside the round's purpose"),
    ScreeningReason.BUDGET: _l("The budget does not meet the round's requirements"),
    ScreeningReason.INCOMPLETE: _l("The application is incomplete"),
    ScreeningReason.OTHER: _l("Other reason"),
}


def screening_reason_label(value) -> str:
    return str(SCREENING_REASON.get(value, value))


GRANT_STATUS = {"approved": _l("Approved (reserved)"),
                "signed": _l("Agreement signed (in progress)"),
                "completed": _l("Completed"), "stopped": _l("Stopped")}
TRANCHE_STATUS = {"pending": _l("Waiting for payment"), "paid": _l("Paid"),
                  "cancelled": _l("Cancelled")}


def grant_status_label(value) -> str:
    return str(GRANT_STATUS.get(value, value))


def tranche_status_label(value) -> str:
    return str(TRANCHE_STATUS.get(value, value))


STAGE = {"signing": _l("Signing"), "midterm": _l("Mid-term"), "final": _l("Final")}


def stage_label(stage: str) -> str:
    return str(STAGE.get(stage, stage))


LEDGER_ENTRY = {"reserve": _l("Reserved at approval"),
                "commit": _l("Committed by the grant agreement"),
                "unreserve": _l("Reservation returned"), "pay": _l("Tranche paid"),
                "release": _l("Released back to the pool"),
                "evaluation": _l("Performance evaluation")}


def ledger_entry_label(kind: str) -> str:
    return str(LEDGER_ENTRY.get(kind, kind))
