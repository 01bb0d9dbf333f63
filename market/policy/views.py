"""The public page "rules in force" (现行规则): every rule by area, its value in force,
the default when a deployment overrides it, and its source."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from market import nav
from market.access.guards import public
from market.core.listing import Column, Listing
from market.policy import registry
from market.policy.rules import UNCONFIRMED, UNITS

bp = Blueprint("policy", __name__)

NAV_ITEM = nav.NavItem("policy.rules", _l("Rules in force"), public=True, order=90)


@bp.app_template_global("policy_value")
def policy_value(key: str):
    """A rule's value in templates (a form's default): ``policy_value("grade_notice_days")``."""
    return registry.value(key)


def shown(rule: registry.Rule, value) -> str:
    """A value with its unit: 6 %, 3A, 7 working days, 10,485,760 bytes."""
    if isinstance(value, Decimal):
        number = f"{value.normalize():,f}"
    else:
        number = f"{value:,}" if abs(value) >= 10_000 else str(value)
    unit = UNITS.get(rule.unit, rule.unit)
    if rule.unit in ("grade", "percent"):
        return f"{number}{unit}" if rule.unit == "grade" else f"{number} %"
    return f"{number} {unit}" if unit else number


def _source(row: dict) -> str:
    source = str(_l("Local choice")) if row["local_choice"] else str(row["rule"].citation or "")
    return "; ".join(str(part) for part in (source, row["rule"].basis) if part)


RULES = Listing("rules", _l("Rules in force"), (
    Column(_l("Area"), lambda row: str(row["area"].label)),
    Column(_l("Rule"), lambda row: str(row["rule"].label)),
    Column(_l("Setting"), lambda row: f"MARKET_POLICY_{row['rule'].key.upper()}"),
    Column(_l("Value in force"), lambda row: row["value"]),
    Column(_l("Default"), lambda row: row["default"]),
    Column(_l("Source"), _source),
))


@bp.route("/rules")
@public
def rules():
    areas = []
    for area, rules_ in registry.all_rules():
        rows = []
        for rule in rules_:
            current = registry.value(rule.key)
            rows.append({
                "area": area, "rule": rule, "value": shown(rule, current),
                "default": shown(rule, rule.default) if registry.overridden(rule.key) else None,
                "local_choice": rule.is_local_choice, "unconfirmed": rule.key in UNCONFIRMED,
            })
        areas.append((area, rows))
    if (file := RULES.file(lambda: [row for _, rows in areas for row in rows])) is not None:
        return file
    return render_template("policy/rules.html", areas=areas)
