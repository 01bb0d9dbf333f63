"""The public page "rules in force" (现行规则): every rule by area, its value in force,
the default when a deployment overrides it, and its source."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from market import nav
from market.access.guards import public
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


@bp.route("/rules")
@public
def rules():
    areas = []
    for area, rules_ in registry.all_rules():
        rows = []
        for rule in rules_:
            current = registry.value(rule.key)
            rows.append({
                "rule": rule, "value": shown(rule, current),
                "default": shown(rule, rule.default) if registry.overridden(rule.key) else None,
                "local_choice": rule.is_local_choice, "unconfirmed": rule.key in UNCONFIRMED,
            })
        areas.append((area, rows))
    return render_template("policy/rules.html", areas=areas)
