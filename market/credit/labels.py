"""Words for the credit room's values; no logic."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.credit.models import CreditKind, Effect

KIND_LABELS = {
    CreditKind.UPHELD_COMPLAINT: _l("Complaint upheld"),
    CreditKind.CONTRACT_TERMINATED_FAULT: _l("Contract terminated for the organization's fault"),
    CreditKind.FAILED_PERFORMANCE_EVALUATION: _l("Performance evaluation failed"),
    CreditKind.SANCTION: _l("Administrative penalty or investigation"),
    CreditKind.SERIOUS_VIOLATION: _l("Serious violation"),
    CreditKind.CLEARANCE: _l("Clearance list"),
    CreditKind.ANNUAL_REPORT_RESULT: _l("Annual inspection result"),
}

EFFECT_LABELS = {
    Effect.NEGATIVE: _l("Counts against"),
    Effect.NEUTRAL: _l("Neutral"),
    Effect.POSITIVE: _l("Counts for"),
}

# Where an entry comes from: (room, object kind) → words.
SOURCE_LABELS = {
    ("orgs", "sanction"): _l("Penalty decision (civil affairs)"),
    ("orgs", "annual_report"): _l("Annual report and inspection"),
    ("grading", "clearance_listing"): _l("Clearance list, computed by rule"),
    ("grading", "clearance_decision"): _l("Clearance decision (civil affairs)"),
    ("contracts", "contract"): _l("Contract"),
    ("performance", "evaluation"): _l("Third-party performance evaluation"),
    ("complaints", "complaint"): _l("Complaint"),
}


def source_label(room: str, kind: str) -> str:
    found = SOURCE_LABELS.get((room, kind))
    return str(found) if found is not None else f"{room}/{kind}"
