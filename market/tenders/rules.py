"""The rules a tender's terms must satisfy, checked on creation, edit, amendment and
publication. Plain values in, a dict of clean values out, typed errors with a field name."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from market.catalogs.models import CatalogItem
from market import policy
from market.clock import now
from market.errors import Checks, Invalid
from market.money import CENT, parse_money
from market.orgs.enums import Category
from market.tenders.models import PriorityRule, Procedure

PRICE_CRITERION_NAME = "价格"  # stored in the tender's official language; shown translated
HUNDRED = Decimal("100")

# Platform-wide defaults and limits are policy rules (market/policy/rules.py).


def priority_default(rule: PriorityRule) -> Decimal:
    if rule == PriorityRule.PRICE_DEDUCTION:
        return policy.value("priority_price_deduction_default")
    if rule == PriorityRule.SCORE_BONUS:
        return policy.value("priority_score_bonus_default")
    return Decimal("0")


def priority_max(rule: PriorityRule) -> Decimal:
    if rule == PriorityRule.PRICE_DEDUCTION:
        return policy.value("priority_price_deduction_max")
    if rule == PriorityRule.SCORE_BONUS:
        return policy.value("priority_score_bonus_max")
    return Decimal("0")


@dataclass
class CriterionData:
    name: str
    weight: object
    is_price: bool = False


@dataclass
class TenderData:
    """What a department enters for a tender. Unset eligibility takes the catalog item's."""

    title: str
    clarification_deadline: dt.datetime
    bid_deadline: dt.datetime
    opening_time: dt.datetime
    ceiling_price: object
    criteria: list = field(default_factory=list)  # CriterionData, dicts or (name, weight, is_price)
    description: str = ""
    procedure: str = Procedure.OPEN.value
    eligible_categories: list[str] | None = None
    min_grade: int | None = None
    allow_filed: bool = False
    accept_basic_pass_report: bool = False  # 基本合格 annual inspection accepted
    priority_rule: str = PriorityRule.PRICE_DEDUCTION.value
    priority_value: object = None  # None: the platform default for the rule
    standstill_days: int | None = None
    challenge_window_days: int | None = None
    # Why the contracts' final tranche need not wait for a final performance evaluation;
    # blank: it waits (the default every tender keeps unless it says otherwise).
    final_evaluation_waiver: str = ""

    @classmethod
    def of(cls, data: TenderData | Mapping) -> TenderData:
        if isinstance(data, TenderData):
            return data
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise Invalid(_l("Unknown tender fields: %(f)s", f=", ".join(sorted(unknown))))
        try:
            return cls(**dict(data))
        except TypeError:
            raise Invalid(_l("Title, ceiling price, deadlines and criteria are required."))\
                from None


def _criterion(raw) -> CriterionData:
    if isinstance(raw, CriterionData):
        return raw
    if isinstance(raw, Mapping):
        return CriterionData(str(raw.get("name", "")), raw.get("weight"),
                             bool(raw.get("is_price", False)))
    name, weight, *rest = raw
    return CriterionData(str(name), weight, bool(rest[0]) if rest else False)


def clean_criteria(raw_list) -> list[CriterionData]:
    """Exactly one price criterion plus at least one technical one; weights sum to 100."""
    items = [_criterion(r) for r in raw_list or []]
    cleaned = []
    for c in items:
        name = (c.name or "").strip()
        if not name:
            raise Invalid(_l("Every criterion needs a name."), field="criteria")
        try:
            weight = Decimal(str(c.weight).strip())
        except (InvalidOperation, TypeError):
            raise Invalid(_l("Every criterion needs a weight in points."), field="criteria")\
                from None
        # "> 100" before quantizing: 1e30 to the cent overflows the decimal context.
        if not weight.is_finite() or weight <= 0 or weight > 100 \
                or weight != weight.quantize(CENT):
            raise Invalid(_l("A weight is a positive number with at most two decimals."),
                          field="criteria")
        cleaned.append(CriterionData(name[:200], weight, c.is_price))
    prices = [c for c in cleaned if c.is_price]
    if len(prices) != 1:
        raise Invalid(_l("There must be exactly one price criterion."), field="criteria")
    if len(cleaned) < 2:
        raise Invalid(_l("Add at least one technical criterion besides price."),
                      field="criteria")
    if len({c.name for c in cleaned}) != len(cleaned):
        raise Invalid(_l("Two criteria have the same name."), field="criteria")
    total = sum((c.weight for c in cleaned), Decimal("0"))
    if total != HUNDRED:
        shown = format(total.normalize(), "f")
        raise Invalid(_l("The criteria weights must add up to 100 (now %(t)s).", t=shown),
                      field="criteria")
    low, high = policy.value("tender_price_weight_min"), policy.value("tender_price_weight_max")
    if not low <= prices[0].weight <= high:
        raise Invalid(_l("The price criterion weighs between %(a)s and %(b)s points in a "
                         "service tender.", a=low, b=high), field="criteria")
    return cleaned


def _aware(value, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise Invalid(_l("Enter a date and time."), field=name)
    return value.astimezone(dt.timezone.utc)


def clean_deadlines(data: TenderData, *, future: bool = True) -> dict:
    """clarification deadline < bid deadline ≤ opening time (and in the future); every
    broken rule at once."""
    checks = Checks()
    clar = checks.run(_aware, data.clarification_deadline, "clarification_deadline")
    bid = checks.run(_aware, data.bid_deadline, "bid_deadline")
    opening = checks.run(_aware, data.opening_time, "opening_time")
    if future and clar is not None and clar <= now():
        checks.add("clarification_deadline",
                   _l("The clarification deadline must be in the future."))
    elif clar is not None and bid is not None and not clar < bid:
        checks.add("clarification_deadline",
                   _l("The clarification deadline must come before the bid deadline."))
    if bid is not None and opening is not None and not bid <= opening:
        checks.add("opening_time", _l("The opening time cannot be before the bid deadline."))
    checks.done()
    return {"clarification_deadline": clar, "bid_deadline": bid, "opening_time": opening}


def clean_terms(data: TenderData, item: CatalogItem, *, future: bool = True) -> dict:
    """Every field of a tender, checked against the catalog item it is made from.

    Every broken rule is reported at once (:class:`~market.errors.Problems`), each on the
    field it concerns. The ceiling is compared with the ledger's available budget by the
    service, not here.
    """
    checks = Checks()
    title = checks.run(_title, data.title)
    procedure = checks.run(_procedure, data.procedure)
    ceiling = checks.run(parse_money, data.ceiling_price, field="ceiling_price")
    categories = checks.run(_categories, data.eligible_categories, item)
    min_grade = checks.run(_min_grade, data.min_grade, item)
    rule = checks.run(_priority_rule, data.priority_rule)
    value = checks.run(_priority_value, rule, data.priority_value) if rule is not None \
        else None
    if rule == PriorityRule.RESTRICTED and min_grade is not None:
        # "Only 3A+ may bid" and the minimum grade say one thing: the restriction raises
        # the minimum grade to the priority grade, so no page shows "restricted to 3A+"
        # beside "2A or above".
        min_grade = max(min_grade, policy.value("priority_grade"))
    standstill = checks.run(_days, data.standstill_days, "tender_standstill_days",
                            "standstill_days")
    window = checks.run(_days, data.challenge_window_days, "tender_challenge_working_days",
                        "challenge_window_days")
    deadlines = checks.run(clean_deadlines, data, future=future)
    checks.done()
    assert deadlines is not None
    return dict(title=title, description=(data.description or "").strip(),
                procedure=procedure, ceiling_price=ceiling, eligible_categories=categories,
                min_grade=min_grade, allow_filed=bool(data.allow_filed),
                accept_basic_pass_report=bool(data.accept_basic_pass_report), priority_rule=rule,
                priority_value=value, standstill_days=standstill, challenge_window_days=window,
                final_evaluation_waiver=(data.final_evaluation_waiver or "").strip()[:2000]
                or None,
                **deadlines)


def check_tender(data: TenderData, item: CatalogItem, *, future: bool = True) -> None:
    """The terms and criteria rules alone (no budget, no database): for a form that is
    already invalid, so its page shows every correction at once."""
    checks = Checks()
    checks.run(clean_terms, data, item, future=future)
    checks.run(clean_criteria, data.criteria)
    checks.done()


def _title(raw) -> str:
    title = (raw or "").strip()
    if not title:
        raise Invalid(_l("A title is required."), field="title")
    return title[:200]


def _procedure(raw) -> Procedure:
    try:
        return Procedure(raw)
    except ValueError:
        raise Invalid(_l("Choose a procedure."), field="procedure") from None


def _categories(raw, item: CatalogItem) -> list[str]:
    categories = list(item.eligible_categories) if raw is None else [str(c) for c in raw]
    if not categories:
        raise Invalid(_l("Choose at least one eligible organization category."),
                      field="eligible_categories")
    valid_values = {c.value for c in Category}
    outside = [c for c in categories if c not in valid_values
               or c not in item.eligible_categories]
    if outside:
        raise Invalid(_l("Only the categories the catalog item allows may be eligible."),
                      field="eligible_categories")
    return sorted(categories)


def _min_grade(raw, item: CatalogItem) -> int:
    min_grade = item.min_grade if raw is None else raw
    try:
        min_grade = int(min_grade)
    except (TypeError, ValueError):
        raise Invalid(_l("Choose a minimum grade."), field="min_grade") from None
    if not item.min_grade <= min_grade <= 5:
        raise Invalid(_l("The minimum grade cannot be below the catalog item's (%(g)sA).",
                         g=item.min_grade), field="min_grade")
    return min_grade


def _priority_rule(raw) -> PriorityRule:
    try:
        return PriorityRule(raw)
    except ValueError:
        raise Invalid(_l("Choose how 3A+ organizations get priority."),
                      field="priority_rule") from None


def _priority_value(rule: PriorityRule, raw) -> Decimal:
    if rule in (PriorityRule.RESTRICTED, PriorityRule.TIE_BREAK):
        return Decimal("0")
    if raw is None or str(raw).strip() == "":
        return priority_default(rule)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise Invalid(_l("Enter a number."), field="priority_value") from None
    limit = priority_max(rule)
    if not value.is_finite() or value <= 0 or value > limit or value != value.quantize(CENT):
        if rule == PriorityRule.PRICE_DEDUCTION:
            msg = _l("The price deduction is more than 0 and at most %(m)s %%.", m=limit)
        else:
            msg = _l("The score bonus is more than 0 and at most %(m)s points.", m=limit)
        raise Invalid(msg, field="priority_value")
    return value


def _days(raw, rule: str, name: str) -> int:
    """Days for ``name``: the policy's ``<rule>_default`` when blank, else within
    ``<rule>_min`` .. ``<rule>_max``."""
    low, high = policy.value(f"{rule}_min"), policy.value(f"{rule}_max")
    if raw is None or str(raw).strip() == "":
        return policy.value(f"{rule}_default")
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise Invalid(_l("Enter a number of days."), field=name) from None
    if not low <= days <= high:
        raise Invalid(_l("Enter between %(a)s and %(b)s days.", a=low, b=high), field=name)
    return days
