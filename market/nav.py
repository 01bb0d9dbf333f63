"""Role-dependent navigation: each feature registers its menu entries here."""
from __future__ import annotations

from dataclasses import dataclass

from market.accounts.permissions import Permission, Role


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


NAV: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in NAV:
            NAV.append(item)
    NAV.sort(key=lambda i: i.order)


def items_for(user) -> list[NavItem]:
    return [i for i in NAV if i.visible_to(user)]
