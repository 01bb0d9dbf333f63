"""The tender feature's service API in one import (the pages, the API, the CLI and the
evaluation/award feature call these). Bid content is read only through ``sealed``."""
from __future__ import annotations

from market.tenders.bid_services import (BidRefused, NotEligible, eligibility_problem,
                                         reconfirm_bid, revise_bid, submit_bid, withdraw_bid)
from market.tenders.calendar import add_working_days, end_of_working_day, is_working_day
from market.tenders.clarifications import answer_question, ask_question, public_questions
from market.tenders.rules import CriterionData, TenderData
from market.tenders.tender_services import (amend_tender, attach_document, available_budget,
                                            cancel_tender, create_tender, open_bids,
                                            publish_tender, update_draft)

__all__ = [
    "BidRefused", "CriterionData", "NotEligible", "TenderData", "add_working_days",
    "amend_tender", "answer_question", "ask_question", "attach_document", "available_budget",
    "cancel_tender", "create_tender", "eligibility_problem", "end_of_working_day",
    "is_working_day", "open_bids", "public_questions", "publish_tender", "reconfirm_bid",
    "revise_bid", "submit_bid", "update_draft", "withdraw_bid",
]
