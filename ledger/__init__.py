"""The double-entry fund ledger (资金台账). Knows accounts and money, not tenders; imports no Flask.

Modules: ``posting`` (post, post_and_commit, reverse, open_account), ``operations``
(appropriate, reserve, unreserve, commit, pay, release, lapse, amend), ``evaluations``
(record_evaluation),
``balances`` (balance, balances, total, total_by_code, pools), ``accounts`` (Unit,
BudgetLine, account builders), ``export`` (export), ``verify`` (verify, Verdict),
``errors``, ``beancount_plugin``, ``models``.

The names below are also reachable as ``ledger.<name>``, imported lazily so that
``import ledger.beancount_plugin`` needs only beancount. ``export``, ``verify`` and
``balances`` are module names, so import those functions from their modules.
"""
from __future__ import annotations

import importlib
from typing import Any

_API = {
    "ledger.posting": ("post", "post_and_commit", "reverse", "open_account", "TransactionRef"),
    "ledger.operations": ("appropriate", "reserve", "unreserve", "commit", "pay", "release",
                          "lapse", "amend"),
    "ledger.evaluations": ("record_evaluation", "has_passing_evaluation", "EvaluationRef"),
    "ledger.balances": ("balance", "total", "total_by_code", "pools"),
    "ledger.accounts": (
        "Unit", "BudgetLine", "AccountSpec", "component", "appropriation_account",
        "available_account", "reserved_account", "committed_account", "expense_account",
        "lapsed_account",
        "item_prefix", "dept_prefix",
    ),
    "ledger.export": ("ExportResult",),
    "ledger.verify": ("Verdict",),
}
_WHERE = {name: module for module, names in _API.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'ledger' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
