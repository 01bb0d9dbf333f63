"""Offset pagination for list pages."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
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


def paginate(session: Session, stmt, page: int, size: int) -> Page:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(stmt.offset((page - 1) * size).limit(size)))
    return Page(items, total, page, size)
