"""Role-dependent navigation: each feature registers its menu entries on the app, in its
``init_app`` (per app: an app made without a feature shows none of its links)."""
from __future__ import annotations

from dataclasses import dataclass

from market.access.permissions import Permission, Role
from market.core import registry


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # lazy translation string
    permission: Permission | None = None
    roles: frozenset[Role] | None = None
    public: bool = False
    order: int = 50

    def visible_to(self, user) -> bool:
        if self.public:
            return True
        if not user or not user.is_authenticated:
            return False
        if self.roles is not None and user.role not in self.roles:
            return False
        if self.permission is not None and not user.can(self.permission):
            return False
        return True


def register(app, *items: NavItem) -> None:
    """Add menu entries to ``app`` (once each; kept in ``order``, ties in feature order)."""
    nav = registry.of(app, "nav", list)
    for item in items:
        if item not in nav:
            nav.append(item)
    nav.sort(key=lambda i: i.order)


def items(app) -> list[NavItem]:
    """Every menu entry of ``app``."""
    return list(registry.of(app, "nav", list))


def items_for(user) -> list[NavItem]:
    """The current app's menu entries ``user`` may see."""
    return [i for i in registry.current("nav", list) if i.visible_to(user)]
