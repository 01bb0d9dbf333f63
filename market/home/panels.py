"""Panels features add to a role's home page, per app (registered in each ``init_app``)."""
from __future__ import annotations

from market.core import registry


def register_panel(app, role: str, template: str, order: int = 50) -> None:
    """Show ``template`` on the home page of ``role`` (once; kept in ``order``)."""
    panels = registry.of(app, "home_panels", dict).setdefault(str(role), [])
    if (template, order) not in panels:
        panels.append((template, order))
        panels.sort(key=lambda p: p[1])


def panels_for(role) -> list[str]:
    """The current app's panel templates for ``role``, in order."""
    return [t for t, _ in registry.current("home_panels", dict).get(str(role), [])]
