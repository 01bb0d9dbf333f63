"""Words for the registry's vocabularies, in the reader's language (``label`` and
``choices()`` of each enum in ``market.orgs.enums`` read them).

Keyed by the enum's name, then by each member's value (a member is the string it stands
for), so that this module needs nothing from ``enums``, which imports it: the words never
import the enums."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# By enum first: members of different enums share values ("rejected").
LABELS = {
    "LegalForm": {
        "social_group": _l("Social group"),
        "social_service": _l("Social service institution"),
        "foundation": _l("Foundation"),
    },
    "Category": {
        "industry": _l("Industry association or chamber of commerce"),
        "science": _l("Science and technology"),
        "charity": _l("Public welfare and charity"),
        "community": _l("Urban and rural community service"),
        "other": _l("Other"),
    },
    "Track": {
        "registered": _l("Registered"),
        "filed": _l("Filed"),
    },
    "OrgStatus": {
        "pending": _l("Pending"),
        "active": _l("Active"),
        "suspended": _l("Suspended"),
        "cleared": _l("Cleared out"),
        "rejected": _l("Not admitted"),
    },
    "ApplicationState": {
        "submitted": _l("Awaiting review"),
        "returned": _l("Returned for correction"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
    },
    "Decision": {
        "approve": _l("Approve"),
        "return": _l("Return for correction"),
        "reject": _l("Reject"),
    },
    "InspectionResult": {
        "pass": _l("Qualified"),
        "basic_pass": _l("Basically qualified"),
        "fail": _l("Unqualified"),
    },
    "SanctionKind": {
        "warning": _l("Warning"),
        "fine": _l("Fine"),
        "confiscation": _l("Confiscation of unlawful gains"),
        "suspension": _l("Suspension of activities for a set period"),
        "revocation": _l("Revocation of registration"),
        "penalty": _l("Other administrative penalty"),
        "investigation": _l("Case opened for investigation"),
    },
}
