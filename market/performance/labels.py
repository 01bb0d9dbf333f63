"""Words for the performance room's states, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.performance.models import RequestStatus

REQUEST_STATUS_LABELS = {
    RequestStatus.REQUESTED: _l("Waiting for an evaluator agency"),
    RequestStatus.ASSIGNED: _l("Being evaluated"),
    RequestStatus.REPORTED: _l("Report submitted"),
    RequestStatus.CANCELLED: _l("Cancelled with the contract"),
}
