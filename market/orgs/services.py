"""The registry's service API — the single door to its rules for views, API and CLI.

Every function takes a Session and plain values, writes its audit entries in the same
transaction, and raises typed DomainErrors with translated messages.
"""
from __future__ import annotations

from market.orgs.applications import (decide_application, may_decide, resubmit_application,
                                      submit_application)
from market.orgs.reporting import (AnnualFigures, due_years, record_departure_audit,
                                   record_inspection_result, submit_annual_report)
from market.orgs.rules import OrgDetails
from market.orgs.status import (OrganizationCannotTransact, change_status, clear_out,
                                ensure_can_transact, reactivate, suspend)

__all__ = [
    "AnnualFigures", "OrgDetails", "OrganizationCannotTransact", "change_status", "clear_out",
    "decide_application", "due_years", "ensure_can_transact", "may_decide", "reactivate",
    "record_departure_audit", "record_inspection_result", "resubmit_application",
    "submit_annual_report", "submit_application", "suspend",
]
