"""To-do counts on a role's home page: each feature registers what its users have waiting
("tenders to award: 2"), a count and the page where the work is done.

The home page shows these counts and the panels features register — never the navigation
menu again (it is in the header).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import url_for
from sqlalchemy.orm import Session

from market.core import registry
from market.db import get_session

Count = Callable[[Session, object], int]


@dataclass(frozen=True)
class Todo:
    key: str
    label: object  # a lazy string
    endpoint: str
    count: Count
    order: int = 50
    url_args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TodoCount:
    key: str
    label: str
    url: str
    count: int


def register_todo(app, role, todo: Todo) -> None:
    """Show ``todo`` with its count on the home page of ``role`` (once; kept in order)."""
    todos = registry.of(app, "home_todos", dict).setdefault(str(role), [])
    if all(t.key != todo.key for t in todos):
        todos.append(todo)
        todos.sort(key=lambda t: (t.order, t.key))


def todos_for(user) -> list[TodoCount]:
    """The current app's to-do counts for ``user``'s role (one count query each)."""
    todos = registry.current("home_todos", dict).get(str(user.role), [])
    session = get_session()
    return [TodoCount(t.key, str(t.label), url_for(t.endpoint, **t.url_args),
                      int(t.count(session, user) or 0)) for t in todos]
