"""Role-dependent navigation: each feature registers its menu entries on the app, in its
``init_app`` (per app: an app made without a feature shows none of its links)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

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
    """The current app's menu entries ``user`` may see, without the public page a user
    also sees the working version of (the registry rather than the public list)."""
    visible = [i for i in registry.current("nav", list) if i.visible_to(user)]
    shown = {i.endpoint for i in visible}
    return [i for i in visible if SUPERSEDED_BY.get(i.endpoint) not in shown]


# --- the menu, grouped ---------------------------------------------------------------------

# A public page that is a near-duplicate of a working page: hidden for whoever sees the latter.
SUPERSEDED_BY = {
    "orgs.public_list": "orgs.registry",
    "complaints.index": "complaints.work",
    "grants.index": "grants.manage",
}


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: object  # lazy translation string
    endpoints: tuple[str, ...]


@dataclass
class Menu:
    """One entry of the top bar: a single link (``item``) or a labelled group of links."""

    item: NavItem | None = None
    group: NavGroup | None = None
    items: list[NavItem] = field(default_factory=list)


# The top bar's groups, in order; an entry whose endpoint is in no group stands alone.
GROUPS = (
    NavGroup("procurement", _l("Procurement"), (
        "catalogs.index", "catalogs.mine", "catalogs.review", "tenders.index", "tenders.queue",
        "tenders.for_me", "tenders.my_bids", "scoring.my_evaluations", "contracts.index",
        "contracts.work", "performance.index", "experts.index", "experts.draws",
        "tenders.calendar")),
    NavGroup("philanthropy", _l("Venture philanthropy and incubation"), (
        "grants.index", "grants.manage", "grants.mine", "grants.my_reviews", "grants.my_grants",
        "grants.payable", "incubation.index")),
    NavGroup("organizations", _l("Organizations and grades"), (
        "orgs.mine", "grading.my_standing", "credit.mine", "orgs.public_list", "orgs.registry",
        "orgs.applications", "orgs.annual_reports", "orgs.sanctions", "grading.qualified",
        "grading.notices", "grading.cycle_list", "grading.agency_list", "grading.work",
        "grading.clearance_list")),
    NavGroup("oversight", _l("Oversight"), (
        "auditor.execution", "redflags.index", "auditlog.index", "complaints.work",
        "complaints.index")),
    NavGroup("public", _l("Public information"), (
        "disclosure.portal", "dashboard.index", "ledger_heads.heads", "ocds.index",
        "policy.rules")),
)
_GROUP_OF = {endpoint: g for g in GROUPS for endpoint in g.endpoints}


def menu_for(user) -> list[Menu]:
    """The top bar for ``user``: standalone links first, then each non-empty group, its
    links in the order of the group's list."""
    visible = items_for(user)
    alone = [Menu(item=i) for i in visible if i.endpoint not in _GROUP_OF]
    groups = []
    for g in GROUPS:
        members = sorted((i for i in visible if _GROUP_OF.get(i.endpoint) is g),
                         key=lambda i: g.endpoints.index(i.endpoint))
        if members:
            groups.append(Menu(group=g, items=members))
    return alone + groups
