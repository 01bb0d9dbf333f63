"""Money: the one place a yuan amount is read from people and written for people.

Every amount is a :class:`~decimal.Decimal` with exactly two places (元.角分), stored in a
``Numeric(18, 2)`` column (see :class:`ledger.types.Money`). :func:`parse_money` is the only
way user input becomes an amount; it raises :class:`market.errors.Invalid` with a translated
message naming the field. :func:`format_money` is the only way an amount becomes text
(``80,000.00 元``). A ``float`` is never money: both refuse one with ``TypeError``, because a
float near an amount is a bug, not user input.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from market.errors import Invalid

CENT = Decimal("0.01")
#: The largest amount a ``Numeric(18, 2)`` column holds: 10^16 - 0.01 yuan.
COLUMN_MAX = Decimal("9999999999999999.99")
#: The default ceiling for one amount entered by a person: ten trillion yuan.
DEFAULT_MAXIMUM = Decimal("1e13")
#: Longer input is not an amount (and is not worth parsing).
_MAX_INPUT = 64

# Full-width forms (８００００．００, ，, －, ￥) as typed by Chinese input methods, and the
# ideographic full stop and minus signs, to ASCII. Deliberately not NFKC: that would also
# read superscripts and circled digits (10² → "102") as plain digits.
_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {
    0xFFE5: "¥", 0x3002: ".", 0xFF61: ".", 0x2212: "-", 0xFE63: "-"}
_SPACES = re.compile(r"[ \t\r\n\u00a0\u2007\u2009\u202f\u3000]+")
# After that: an optional sign, an optional ¥, ASCII digits grouped in threes by "," or
# " " (one kind per amount) or not grouped, an optional fraction, an optional 元 (or
# "yuan", as format_money writes it in English). The fraction is captured whole so "more
# than two decimals" gets its own message.
_AMOUNT = re.compile(r"""
    (?P<sign>[-+]?) \ ? (?:¥\ ?)? (?P<sign2>[-+]?)
    (?P<int> [0-9]{1,3}(?:,[0-9]{3})+ | [0-9]{1,3}(?:\ [0-9]{3})+ | [0-9]* )
    (?: \. (?P<frac>[0-9]*) )?
    \ ? (?:元|[Yy]uan)?
    """, re.VERBOSE)
_GROUPED_BADLY = re.compile(r"[-+]? ?¥? ?[-+]?[0-9][0-9, ]*[0-9](?:\.[0-9]*)? ?(?:元|[Yy]uan)?")
_EXPONENT = re.compile(r"[-+]? ?¥? ?[-+]?[0-9][0-9,. ]*e[-+]?[0-9]+ ?(?:元|yuan)?",
                       re.IGNORECASE)
_NOT_FINITE = re.compile(r"[-+]? ?¥? ?[-+]?(s?nan|inf|infinity) ?(?:元|yuan)?", re.IGNORECASE)

MSG_ENTER = _l("Enter an amount in yuan, e.g. 120000.00.")
MSG_DECIMALS = _l("Amounts have at most two decimals (fen).")
MSG_EXPONENT = _l("Write the amount out in digits, e.g. 120000.00.")
MSG_GROUPING = _l("Use a comma only between groups of three digits and a point before the fen, "
                  "e.g. 80,000.00.")
MSG_POSITIVE = _l("The amount must be greater than zero.")
MSG_NOT_ZERO = _l("The amount cannot be zero.")
MSG_NEGATIVE = _l("This amount cannot be negative.")


def _too_large(maximum: Decimal):
    shown = format_money(maximum, unit=False)
    return _l("The amount is too large (at most %(max)s yuan).", max=shown)


def _check_type(value) -> None:
    if isinstance(value, float):
        raise TypeError("a float is never money: pass a str, int or Decimal")
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise TypeError(f"money must be str, int or Decimal, got {type(value).__name__}")


def _normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII; every run of spaces to one space."""
    return _SPACES.sub(" ", text.translate(_ASCII)).strip()


def _from_text(text: str, field: str | None) -> Decimal:
    if len(text) > _MAX_INPUT:
        raise Invalid(MSG_ENTER, field=field)
    text = _normalize(text)
    if not text:
        raise Invalid(MSG_ENTER, field=field)
    if _EXPONENT.fullmatch(text):
        raise Invalid(MSG_EXPONENT, field=field)
    if _NOT_FINITE.fullmatch(text):
        raise Invalid(MSG_ENTER, field=field)
    m = _AMOUNT.fullmatch(text)
    if m is None or (m["sign"] and m["sign2"]):
        # Separators that are not groups of three (80,00 or 8,0000) would be read
        # differently by different people: say how to write the amount instead.
        if m is None and _GROUPED_BADLY.fullmatch(text):
            raise Invalid(MSG_GROUPING, field=field)
        raise Invalid(MSG_ENTER, field=field)
    digits, frac = m["int"].replace(",", "").replace(" ", ""), m["frac"]
    if not digits and not frac:
        raise Invalid(MSG_ENTER, field=field)
    if frac and len(frac) > 2:
        raise Invalid(MSG_DECIMALS, field=field)
    negative = "-" in (m["sign"] + m["sign2"])
    amount = Decimal(f"{digits or '0'}.{frac or '0'}")
    return -amount if negative else amount


def parse_money(value, *, field: str | None = None, allow_negative: bool = False,
                allow_zero: bool = False, maximum: Decimal = DEFAULT_MAXIMUM) -> Decimal:
    """A person's amount in yuan as a Decimal with two places, or :class:`Invalid`.

    Accepts ``80000``, ``80,000``, ``80 000``, ``80000.5``, ``¥80,000.00``, ``80000元``,
    ``80,000.00 yuan`` (what :func:`format_money` writes, in either language),
    full-width ``８００００．００`` and ``８０，０００``, and int or Decimal values. Refuses
    (each with its own message, on ``field``): empty or non-numeric text, NaN and
    infinities, exponent forms (``1e30``), separators that are not groups of three, more
    than two decimals, negative amounts (unless ``allow_negative``), zero (unless
    ``allow_zero``) and amounts beyond ``maximum`` (never beyond a ``Numeric(18, 2)``
    column). A ``float`` raises ``TypeError``: it is a bug, not input.
    """
    if value is None:
        raise Invalid(MSG_ENTER, field=field)
    _check_type(value)
    if isinstance(value, str):
        amount = _from_text(value, field)
    else:
        amount = Decimal(value)
        if not amount.is_finite():
            raise Invalid(MSG_ENTER, field=field)
        try:
            exact = amount == amount.quantize(CENT)
        except InvalidOperation:  # too many digits to have two places: far beyond any limit
            exact = True
        if not exact:
            raise Invalid(MSG_DECIMALS, field=field)
    limit = min(Decimal(maximum), COLUMN_MAX)
    if abs(amount) > limit:
        raise Invalid(_too_large(limit), field=field)
    if amount.is_zero():
        if not allow_zero:
            raise Invalid(MSG_NOT_ZERO if allow_negative else MSG_POSITIVE, field=field)
        return Decimal("0.00")
    if amount < 0 and not allow_negative:
        raise Invalid(MSG_NEGATIVE if allow_zero else MSG_POSITIVE, field=field)
    return amount.quantize(CENT)


def quantize(value, rounding: str = ROUND_HALF_UP) -> Decimal:
    """A computed amount (a share, a deduction) rounded to the fen, half up by default."""
    _check_type(value)
    if isinstance(value, str):
        value = Decimal(value)
    return Decimal(value).quantize(CENT, rounding=rounding)


def to_cents(value) -> int:
    """An exact amount as a whole number of fen (refuses anything finer than a fen)."""
    _check_type(value)
    amount = Decimal(value)
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValueError(f"not an amount to the fen: {value}")
    return int(amount.scaleb(2))


def from_cents(cents: int) -> Decimal:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise TypeError(f"fen must be an int, got {type(cents).__name__}")
    return Decimal(cents).scaleb(-2).quantize(CENT)


def format_money(value, *, unit: bool = True) -> str:
    """``80,000.00 元`` (``80,000.00 yuan`` in English); ``""`` for None.

    Thousands separators and two places, half-up to the fen; ``unit=False`` for table
    cells whose header already says "(yuan)".
    """
    if value is None:
        return ""
    _check_type(value)
    if isinstance(value, str):
        raise TypeError("format an amount, not text: parse it with parse_money first")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value}")
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{abs(rounded) if rounded.is_zero() else rounded:,.2f}"  # never "-0.00"
    if not unit:
        return text
    return text + " " + gettext("yuan")


def plain_money(value) -> str | None:
    """The machine form, ``123456.78`` (two places, no separators); None for None.

    For JSON, CSV and the value of a form field a person edits.
    """
    if value is None:
        return None
    _check_type(value)
    if isinstance(value, str):
        raise TypeError("format an amount, not text: parse it with parse_money first")
    rounded = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{abs(rounded) if rounded.is_zero() else rounded:.2f}"


def money(value, unit: bool = True) -> str:
    """The Jinja filter: ``{{ item.budget|money }}``, ``{{ price|money(False) }}``."""
    if value is None or _is_undefined(value):
        return ""
    return format_money(value, unit=unit)


def _is_undefined(value) -> bool:
    from jinja2 import Undefined

    return isinstance(value, Undefined)
