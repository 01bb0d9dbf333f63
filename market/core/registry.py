"""Per-app registries: what the features listed in ``market/features.py`` add to one app.

Each feature's ``init_app(app)`` registers its menu entries, home panels, document access
policies, sealed-bid readers, audit-log redactions and demo seeders on the app it is
given (``app.extensions["market.<name>"]``) — never at import time. So two apps made in
one process with different features share nothing, and an app made without a feature
has none of its links, panels or rules.

Lookups read the current app's registry. Outside any app context (a script or a test
holding a bare ``Session``) the registries that guard data and seed the demo —
document policies, bid readers, audit redactions, seeders — fall back to what every app
made in this process registered (``process=True``). Menus and panels never fall back:
they only exist on an app.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from flask import Flask, current_app, has_app_context

T = TypeVar("T")

_PROCESS: dict[str, object] = {}


def of(app: Flask, name: str, factory: Callable[[], T]) -> T:
    """The app's registry ``name`` (made empty on first use)."""
    return app.extensions.setdefault(f"market.{name}", factory())


def targets(app: Flask, name: str, factory: Callable[[], T], *, process: bool = False
            ) -> Iterator[T]:
    """Where a registration goes: the app's registry, and with ``process`` also the
    process-wide one that lookups outside an app context use."""
    yield of(app, name, factory)
    if process:
        yield _PROCESS.setdefault(name, factory())  # type: ignore[misc]


def current(name: str, factory: Callable[[], T], *, process: bool = False) -> T:
    """The current app's registry ``name``; outside an app context the process-wide one
    when ``process``, else an error (menus and panels exist only on an app)."""
    if has_app_context():
        return of(current_app, name, factory)
    if process:
        return _PROCESS.setdefault(name, factory())  # type: ignore[return-value]
    raise RuntimeError(f"the {name} registry is only readable inside an app context")
