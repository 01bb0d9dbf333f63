"""Words for the expert pool's codes, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.experts.models import Exclusion, Specialty

SPECIALTY_LABELS = {
    Specialty.ELDERLY_CARE: _l("Elderly care"),
    Specialty.CHILD_WELFARE: _l("Child welfare and protection"),
    Specialty.DISABILITY: _l("Disability services"),
    Specialty.COMMUNITY_GOVERNANCE: _l("Community governance"),
    Specialty.SOCIAL_WORK: _l("Social work"),
    Specialty.HEALTH: _l("Health"),
    Specialty.EDUCATION: _l("Education and training"),
    Specialty.LEGAL: _l("Law"),
    Specialty.FINANCE: _l("Finance and accounting"),
    Specialty.PROJECT_EVALUATION: _l("Project evaluation"),
}

EXCLUSION_LABELS = {
    Exclusion.DEPARTMENT_STAFF: _l("Works for the purchasing department"),
    Exclusion.EMPLOYER_PARTY: _l("Employed by a bidder"),
    Exclusion.DECLARED_CONFLICT: _l("Declared a conflict of interest with a bidder"),
    Exclusion.UNAVAILABLE: _l("Unavailable on the review day"),
    Exclusion.DECLINED: _l("Declined after being drawn"),
    Exclusion.CONFLICT_AT_SEAT: _l("Declared a conflict after being drawn"),
}


def specialty_label(code: str) -> str:
    try:
        return str(SPECIALTY_LABELS[Specialty(code)])
    except ValueError:
        return code


def exclusion_label(code: str) -> str:
    try:
        return str(EXCLUSION_LABELS[Exclusion(code)])
    except ValueError:
        return code


def specialty_choices() -> list[tuple[str, str]]:
    return [(s.value, str(label)) for s, label in SPECIALTY_LABELS.items()]
