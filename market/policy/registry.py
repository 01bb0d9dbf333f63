"""The rule registry: one ``Rule`` per value the code decides by, and ``value(key)``.

A rule's value in force is its default unless the app config overrides it under
``POLICY_<KEY>`` (so a deployment sets ``MARKET_POLICY_<KEY>`` in the environment; Flask's
``from_prefixed_env`` reads it) or under one of the rule's legacy config names (the keys
``market/config.py`` used to hold, e.g. ``LOGIN_MAX_FAILURES``). An override is parsed to
the rule's type and checked against its bounds on every read, and all of them at once at
app start (``check_config``), so a bad value stops the app with a message that names the
setting, never half-way through a tender.

Outside an app context (scripts, the ledger, unit tests of pure functions) ``value()``
returns the default. This module imports nothing from Flask at module level.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

LOCAL_CHOICE = "local choice"  # citation marker: 本地选择, no regulation fixes the value
CONFIG_PREFIX = "POLICY_"
ENV_PREFIX = "MARKET_"

_MISSING = object()


class PolicyError(ValueError):
    """A rule override that cannot be used (wrong type, out of bounds, inconsistent)."""


@dataclass(frozen=True)
class Area:
    code: str
    label: object  # lazy translation string
    order: int = 50


@dataclass(frozen=True)
class Rule:
    """One rule value with where it comes from.

    ``citation`` is a lazy translation string naming the regulation and article, or
    ``LOCAL_CHOICE`` when the platform chose the value; ``basis`` optionally says what a
    local choice was modelled on. ``used_by`` names the code that reads the value.
    """

    key: str
    default: object
    label: object
    citation: object
    unit: str = ""
    kind: type = int
    area: str = "platform"
    minimum: object = None
    maximum: object = None
    basis: object = None
    aliases: tuple[str, ...] = ()
    used_by: str = ""

    def __post_init__(self):
        if not self.key.isidentifier() or self.key != self.key.lower():
            raise ValueError(f"policy key {self.key!r} must be a lower-case identifier")
        if self.kind not in PARSERS:
            raise ValueError(f"policy rule {self.key}: unsupported kind {self.kind!r}")
        if type(self.default) is not self.kind:
            raise ValueError(f"policy rule {self.key}: default {self.default!r} is not "
                             f"a {self.kind.__name__}")
        self.check(self.default)

    @property
    def config_key(self) -> str:
        return CONFIG_PREFIX + self.key.upper()

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.config_key

    @property
    def is_local_choice(self) -> bool:
        return self.citation == LOCAL_CHOICE

    def parse(self, raw) -> object:
        """The override ``raw`` as this rule's type, within its bounds, or PolicyError."""
        return self.check(PARSERS[self.kind](raw))

    def check(self, value):
        if self.minimum is not None and value < self.minimum:
            raise PolicyError(f"{value} is below the minimum {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise PolicyError(f"{value} is above the maximum {self.maximum}")
        return value

    def raw_override(self, config: Mapping):
        """The override found in ``config`` (POLICY_<KEY> first, then legacy names)."""
        for name in (self.config_key, *self.aliases):
            raw = config.get(name, _MISSING) if config is not None else _MISSING
            if raw is not _MISSING and raw is not None:
                return name, raw
        return None, _MISSING


def _parse_int(raw) -> int:
    if isinstance(raw, bool):
        raise PolicyError(f"{raw!r} is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value():
        return int(raw)
    if isinstance(raw, str):
        text = raw.strip().replace("_", "")
        if text.lstrip("+-").isdigit():
            return int(text)
    raise PolicyError(f"{raw!r} is not a whole number")


def _parse_decimal(raw) -> Decimal:
    if isinstance(raw, bool):
        raise PolicyError(f"{raw!r} is not a number")
    try:
        value = Decimal(str(raw).strip()) if isinstance(raw, (int, float, str, Decimal)) \
            else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise PolicyError(f"{raw!r} is not a number")
    return value


PARSERS: dict[type, Callable[[object], object]] = {int: _parse_int, Decimal: _parse_decimal}

AREAS: dict[str, Area] = {}
RULES: dict[str, Rule] = {}


@dataclass(frozen=True)
class Check:
    """A rule between several values (e.g. a default may not exceed its maximum)."""

    keys: tuple[str, ...]
    holds: Callable[..., bool]
    message: str
    extra: dict = field(default_factory=dict)


CHECKS: list[Check] = []


def area(code: str, label, order: int = 50) -> Area:
    AREAS[code] = Area(code, label, order)
    return AREAS[code]


def register(*rules: Rule) -> None:
    for rule in rules:
        if rule.key in RULES:
            raise ValueError(f"policy rule {rule.key} registered twice")
        if rule.area not in AREAS:
            raise ValueError(f"policy rule {rule.key}: unknown area {rule.area}")
        RULES[rule.key] = rule


def consistency(keys: tuple[str, ...], holds: Callable[..., bool], message: str) -> None:
    CHECKS.append(Check(tuple(keys), holds, message))


def get(key: str) -> Rule:
    try:
        return RULES[key]
    except KeyError:
        raise KeyError(f"no policy rule {key!r}") from None


_flask = None  # imported on first use (this module imports nothing from Flask at load)


def _current_config() -> Mapping | None:
    # This runs for every rule read (a list of 10,000 open tenders reads two rules per
    # tender): an import statement here on every call cost more than the lookup itself.
    global _flask
    if _flask is None:
        import flask

        _flask = flask
    return _flask.current_app.config if _flask.has_app_context() else None


def value_in(config: Mapping | None, key: str):
    """The value of rule ``key`` under ``config`` (None: no app, the default)."""
    rule = get(key)
    name, raw = rule.raw_override(config)
    if raw is _MISSING:
        return rule.default
    try:
        return rule.parse(raw)
    except PolicyError as e:
        raise PolicyError(f"{name} = {raw!r}: {e}") from None


def value(key: str):
    """The value of rule ``key`` in force: the app's override, else the default."""
    return value_in(_current_config(), key)


def overridden(key: str, config: Mapping | None = None) -> bool:
    config = _current_config() if config is None else config
    return get(key).raw_override(config)[1] is not _MISSING


def all_rules() -> list[tuple[Area, list[Rule]]]:
    """Every rule, grouped by area, areas in their order and rules as registered."""
    grouped: dict[str, list[Rule]] = {}
    for rule in RULES.values():
        grouped.setdefault(rule.area, []).append(rule)
    areas = sorted((AREAS[c] for c in grouped), key=lambda a: (a.order, a.code))
    return [(a, grouped[a.code]) for a in areas]


def check_config(config: Mapping) -> None:
    """Every override parses and fits, no POLICY_ key is unknown, the values agree.

    Raises ``market.config.ConfigError`` naming the setting and its environment variable.
    """
    from market.config import ConfigError

    problems = []
    for name in sorted(k for k in config if str(k).startswith(CONFIG_PREFIX)):
        key = name[len(CONFIG_PREFIX):].lower()
        if key not in RULES:
            problems.append(f"{name} (env {ENV_PREFIX}{name}): there is no such policy rule")
    values = {}
    for key, rule in RULES.items():
        name, raw = rule.raw_override(config)
        if raw is _MISSING:
            values[key] = rule.default
            continue
        try:
            values[key] = rule.parse(raw)
        except PolicyError as e:
            problems.append(f"{name} (env {ENV_PREFIX}{name}) = {raw!r}: {e} "
                            f"(expected a {_kind_name(rule)}"
                            f"{_bounds(rule)}; default {rule.default})")
    if not problems:
        for check in CHECKS:
            args = [values[k] for k in check.keys]
            if not check.holds(*args):
                shown = ", ".join(f"{RULES[k].config_key}={v} (env {RULES[k].env_var})"
                                  for k, v in zip(check.keys, args, strict=True))
                problems.append(f"{check.message} ({shown})")
    if problems:
        raise ConfigError("Invalid policy settings:\n  " + "\n  ".join(problems))


def _kind_name(rule: Rule) -> str:
    return "whole number" if rule.kind is int else "number"


def _bounds(rule: Rule) -> str:
    if rule.minimum is not None and rule.maximum is not None:
        return f" from {rule.minimum} to {rule.maximum}"
    if rule.minimum is not None:
        return f" of at least {rule.minimum}"
    if rule.maximum is not None:
        return f" of at most {rule.maximum}"
    return ""
