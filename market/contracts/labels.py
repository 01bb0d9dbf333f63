"""Words for the contract room's states, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.contracts.models import ContractStatus, MilestoneStatus, TerminationFault

CONTRACT_STATUS_LABELS = {
    ContractStatus.ACTIVE: _l("In progress"),
    ContractStatus.COMPLETED: _l("Completed and paid"),
    ContractStatus.TERMINATED: _l("Terminated"),
}

FAULT_LABELS = {
    TerminationFault.ORGANIZATION: _l("The organization's fault (breach of contract)"),
    TerminationFault.PURCHASER: _l("The purchasing department's side"),
    TerminationFault.FORCE_MAJEURE: _l("Force majeure"),
}

MILESTONE_STATUS_LABELS = {
    MilestoneStatus.PENDING: _l("Waiting for deliverables"),
    MilestoneStatus.SUBMITTED: _l("Deliverables submitted"),
    MilestoneStatus.ACCEPTED: _l("Accepted, waiting for payment"),
    MilestoneStatus.PAID: _l("Paid"),
    MilestoneStatus.CANCELLED: _l("Cancelled"),
}
