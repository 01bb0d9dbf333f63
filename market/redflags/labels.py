"""Words of the red flags: kinds, subjects, evidence sentences, evidence links."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from market.money import format_money

KIND_LABELS = {
    "single_valid_bid": _l("Single valid bid"),
    "dominant_winner": _l("One organization wins most of a department's tenders"),
    "near_ceiling": _l("Award at the ceiling price"),
    "short_period": _l("Tender period shorter than the minimum"),
    "split_purchase": _l("Purchase split under the threshold"),
    "contract_raised": _l("Contract above the awarded price"),
    "late_payment": _l("Payment late against its milestone"),
    "repeat_evaluator": _l("Expert repeatedly scoring the same organization"),
    "complaint_overdue": _l("Complaint unanswered past its due date"),
}

SUBJECT_LABELS = {
    "tender": _l("Tender"),
    "organization": _l("Organization"),
    "catalog_item": _l("Catalog item"),
    "contract": _l("Contract"),
    "milestone": _l("Milestone"),
    "expert": _l("Expert"),
    "complaint": _l("Complaint"),
}

EVIDENCE = {
    "single_valid_bid": _l("Went on with 1 valid bid of %(bids)s received."),
    "dominant_winner": _l("Won %(won)s of the department's %(total)s awards this fiscal year "
                          "(%(share)s %%, flagged above %(limit)s %%): %(tenders)s."),
    "near_ceiling": _l("Awarded at %(price)s against a ceiling of %(ceiling)s: %(share)s %% "
                       "(flagged from %(limit)s %%)."),
    "short_period": _l("Published %(published)s, bids due %(deadline)s: %(days)s days, "
                       "minimum %(minimum)s."),
    "split_purchase": _l("%(count)s tenders within %(days)s days, each below %(threshold)s, "
                         "together %(total)s: %(tenders)s."),
    "contract_raised": _l("Contract amount %(amount)s against an awarded price of %(price)s "
                          "(%(difference)s more)."),
    "paid_late": _l("Milestone %(number)s (%(title)s, %(amount)s) due %(due)s, paid "
                    "%(paid)s: %(days)s days after the due date (grace %(grace)s days)."),
    "unpaid_late": _l("Milestone %(number)s (%(title)s, %(amount)s) due %(due)s, accepted "
                      "and unpaid %(days)s days after the due date (grace %(grace)s days)."),
    "repeat_evaluator": _l("Scored %(organization)s on %(count)s committees this fiscal year "
                           "(flagged from %(minimum)s): %(tenders)s."),
    "complaint_overdue": _l("Filed %(filed)s, to be answered by %(due)s: unanswered %(days)s "
                            "days later."),
}

LINK_LABELS = {
    "tender": _l("Tender"),
    "award": _l("Award and ranking"),
    "organization": _l("Organization"),
    "catalog": _l("Catalog"),
    "contract": _l("Contract and payments"),
    "transaction": _l("Ledger transaction"),
    "draw": _l("Expert draw record"),
    "complaint": _l("Complaint"),
}


def evidence(flag) -> str:
    """The flag's evidence sentence in the reader's language, amounts formatted."""
    params = {k: format_money(v) if isinstance(v, Decimal) and k not in ("share", "limit")
              else v for k, v in flag.params.items()}
    return str(EVIDENCE[flag.evidence]) % params
