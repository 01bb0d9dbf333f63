"""Announcement types (公告类型) in words."""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Kind(StrEnum):
    """The standard announcement types of Chinese procurement portals."""

    INTENTION = "intention"  # 采购意向
    TENDER = "tender"  # 采购公告
    CORRECTION = "correction"  # 更正公告
    RESULT = "result"  # 中标/成交结果公告
    CONTRACT = "contract"  # 合同公告
    TERMINATION = "termination"  # 终止公告


KIND_LABELS = {
    Kind.INTENTION: _l("Procurement intention"),
    Kind.TENDER: _l("Tender notice"),
    Kind.CORRECTION: _l("Correction notice"),
    Kind.RESULT: _l("Award result notice"),
    Kind.CONTRACT: _l("Contract notice"),
    Kind.TERMINATION: _l("Termination notice"),
}

# What a search result is, in words.
SEARCH_LABELS = {
    "tender": _l("Tender"),
    "item": _l("Catalog item"),
    "organization": _l("Organization"),
    "contract": _l("Contract"),
    "round": _l("Grant round"),
}


def kind_label(kind) -> str:
    return str(KIND_LABELS[Kind(kind)])
