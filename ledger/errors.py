"""Typed refusals of the ledger. Every error carries a machine ``code`` and a message.

A refused call writes nothing: every check runs before the first write.
"""
from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    """Base class of every refusal the ledger gives."""

    code: str = "ledger_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.details}


class InvalidAmount(LedgerError):
    """An amount that is not a Decimal, is zero, has more than 2 decimals, or is too large."""

    code = "invalid_amount"


class TooFewPostings(LedgerError):
    code = "too_few_postings"


class UnbalancedTransaction(LedgerError):
    """The postings do not sum to exactly zero (借贷不平)."""

    code = "unbalanced"


class InvalidAccountName(LedgerError):
    code = "invalid_account"


class InvalidText(LedgerError):
    """A narration, metadata value, link or code that cannot be written to beancount."""

    code = "invalid_text"


class AccountNotOpen(LedgerError):
    code = "account_not_open"


class AccountConflict(LedgerError):
    """An account name or stable code already belongs to a different account."""

    code = "account_conflict"


class GuardViolation(LedgerError):
    """A posting would take a guarded (budget) account, or one of its pools, below zero."""

    code = "insufficient_funds"


class AmendBelowCommitted(GuardViolation):
    """Lowering a budget line by more than its uncommitted (available) part."""

    code = "below_committed"


class CustodyViolation(LedgerError):
    """Money would enter or leave a reservation other than Available -> Reserved ->
    Committed / Available of the same catalog item."""

    code = "custody"


class EvaluationRequired(LedgerError):
    """A payment out of an evaluation-gated commitment before a passing evaluation."""

    code = "evaluation_required"


class InvalidDate(LedgerError):
    code = "invalid_date"


class DateOutOfOrder(LedgerError):
    """Journal dates never go backwards: date order and sequence order must agree."""

    code = "date_out_of_order"


class TransactionNotFound(LedgerError):
    code = "not_found"


class AlreadyReversed(LedgerError):
    code = "already_reversed"


class ImmutableJournal(LedgerError):
    """An attempt to UPDATE or DELETE a journal row through the ORM."""

    code = "immutable_journal"
