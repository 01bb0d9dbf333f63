"""Pagination for list pages: by offset, and by keyset (a cursor) for deep pages of long
lists."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import request
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from market.core.inputs import DB_INT_MAX, int_arg

#: The last page number read: its offset (page x size) still fits a 64-bit OFFSET.
MAX_PAGE = DB_INT_MAX


@dataclass
class Page:
    items: list
    total: int
    page: int
    size: int
    #: extra query arguments of the "Previous" and "Next" links (a keyset cursor)
    prev_args: dict = field(default_factory=dict)
    next_args: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number(name: str = "page") -> int:
    """The ``page`` argument (or ``name``; 1 when missing; one it cannot read, such as a
    number beyond the database's range, is ignored with a message, or a 400 in the API)."""
    return int_arg(name, 1, low=1, high=MAX_PAGE)


def page_of(items: list, page: int, size: int) -> Page:
    """One page of a list already in memory."""
    start = (page - 1) * size
    return Page(items[start:start + size], len(items), page, size)


def _count(session: Session, stmt) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def paginate(session: Session, stmt, page: int, size: int) -> Page:
    total = _count(session, stmt)
    items = list(session.scalars(stmt.offset((page - 1) * size).limit(size)))
    return Page(items, total, page, size)


# --- Keyset pagination ---------------------------------------------------------------
# OFFSET reads and drops every row before the page: the 4,000th page of a province's
# 100,000 tenders read 80,000 index entries (135 ms against 39 ms for the first). The
# "Previous" and "Next" links carry the position of the page's first or last row instead
# (``before`` / ``after``), and the next page starts there through the list's index. A page
# number typed by hand still works, by offset.

def _encode(value) -> str:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return "t" + str(int(moment.timestamp() * 1_000_000))
    return "i" + str(int(value))


def _decode(part: str):
    kind, digits = part[:1], part[1:]
    if kind not in ("t", "i") or not digits.lstrip("-").isdigit() or len(digits) > 20:
        raise ValueError(part)
    number = int(digits)
    if kind == "t":
        return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
            microseconds=number)
    if not -DB_INT_MAX <= number <= DB_INT_MAX:
        raise ValueError(part)
    return number


def cursor_of(row, keys) -> str:
    return ".".join(_encode(getattr(row, key.key)) for key in keys)


def _cursor_arg(name: str, count: int) -> tuple | None:
    """The cursor in argument ``name``, or None when absent or unreadable (a stale or
    edited link falls back to the page number)."""
    raw = request.args.get(name)
    if not raw or len(raw) > 200:
        return None
    try:
        values = tuple(_decode(part) for part in raw.split("."))
    except (ValueError, OverflowError):
        return None
    return values if len(values) == count else None


def keyset_paginate(session: Session, stmt, page: int, size: int, keys) -> Page:
    """One page of ``stmt``, which is ordered by ``keys`` descending (columns that together
    are unique, the last one the primary key), by the request's ``after`` / ``before``
    cursor when it has one, else by offset. The count is the list's whole count as with
    ``paginate``; the links of the page carry cursors."""
    total = _count(session, stmt)
    after, before = _cursor_arg("after", len(keys)), _cursor_arg("before", len(keys))
    position = tuple_(*keys)
    if after is not None and page > 1:
        items = list(session.scalars(stmt.where(position < tuple_(*after)).limit(size)))
    elif before is not None and page > 1:
        items = list(session.scalars(stmt.where(position > tuple_(*before)).order_by(None)
                                     .order_by(*(k.asc() for k in keys)).limit(size)))
        items.reverse()
    else:
        items = list(session.scalars(stmt.offset((page - 1) * size).limit(size)))
    result = Page(items, total, page, size)
    # Every link names both cursors (None drops one): the request's own never leaks into
    # a link it does not fit.
    result.prev_args = {"after": None, "before": None}
    result.next_args = {"after": None, "before": None}
    if items and page > 2:
        result.prev_args["before"] = cursor_of(items[0], keys)
    if items:
        result.next_args["after"] = cursor_of(items[-1], keys)
    return result
