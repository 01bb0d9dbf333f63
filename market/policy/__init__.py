"""现行规则 — the rule values in force and their sources.

One registry holds every number the platform decides by (price weights, the 3A+
priority, committee sizes, challenge periods, grade validity, clearance periods, default
payment schedules, upload limits …), each with the regulation and article it comes from
or the mark "local choice" (本地选择). Code reads a rule with ``policy.value("key")``;
a deployment overrides one with the environment variable ``MARKET_POLICY_<KEY>`` (app
config ``POLICY_<KEY>``), checked when the app starts. The public page /rules lists them.
"""
from __future__ import annotations

# The registry is the mechanism; ``rules`` registers every rule on it. Importing it here,
# never from the registry, keeps the two in one direction (rules -> registry): whoever
# imports anything under market.policy has run this first, so the rules are there.
from market.policy import rules  # noqa: F401
from market.policy.registry import (
    LOCAL_CHOICE,
    PolicyError,
    Rule,
    all_rules,
    check_config,
    get,
    overridden,
    value,
    value_in,
)

__all__ = ["LOCAL_CHOICE", "PolicyError", "Rule", "all_rules", "check_config", "get",
           "init_app", "overridden", "value", "value_in"]


def init_app(app) -> None:
    """Check every override (ConfigError on a bad one), then add the public page and its
    menu entry. Safe to call twice on the same app."""
    check_config(app.config)
    from market import nav
    from market.core import listing
    from market.policy.views import NAV_ITEM, RULES, bp

    if bp.name not in app.blueprints:
        app.register_blueprint(bp)
    nav.register(app, NAV_ITEM)
    listing.register(app, RULES, "policy.rules",
                     count=lambda page: sum(len(rows) for _, rows in page["areas"]))
