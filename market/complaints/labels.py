"""Complaint enums in words."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.complaints.models import ComplaintStatus, Outcome, SubjectKind

SUBJECT_LABELS = {
    SubjectKind.ORGANIZATION: _l("Organization"),
    SubjectKind.TENDER: _l("Tender"),
    SubjectKind.CONTRACT: _l("Contract"),
    SubjectKind.PAYMENT: _l("Payment"),
}

STATUS_LABELS = {
    ComplaintStatus.FILED: _l("Received, waiting to be routed"),
    ComplaintStatus.ROUTED: _l("With the responsible department"),
    ComplaintStatus.ANSWERED: _l("Answered"),
    ComplaintStatus.DISMISSED: _l("Dismissed as out of scope"),
}

OUTCOME_LABELS = {
    Outcome.UPHELD: _l("Upheld"),
    Outcome.PARTLY_UPHELD: _l("Partly upheld"),
    Outcome.NOT_UPHELD: _l("Not upheld"),
}
