"""Hostile or careless input stops at the door, as a 4xx with a translated reason.

What reaches a view is bounded before any query sees it:

* ids in URLs: the app's ``int`` converter (:class:`BoundedIntConverter`) matches only
  numbers a database ``INTEGER`` column holds (at most 2**31 - 1); a larger one is no
  page (404), not an overflow inside the database driver.
* ids, years and page numbers in a query string or a form: :func:`parse_db_int` (None
  when not a whole number in range) and :func:`int_arg` (a list filter it cannot read is
  ignored with a message on pages; a 400 in the API).
* text: PostgreSQL refuses a NUL byte in text and no database stores half of a UTF-16
  surrogate pair, so :func:`refuse_bad_text` (a ``before_request`` hook) answers 400 to
  any such character in the URL, the query string, a form field, an upload's file name
  or a JSON body, before anything is read or written.
* JSON: accepted only under ``/api/`` (a form page never reads JSON: Flask-WTF would fill
  a form from it with lists and numbers where text belongs), at most
  :data:`MAX_JSON_DEPTH` levels deep (deeper nesting is refused before it is parsed), and
  parsed with decimals kept exact (``123.45`` is ``Decimal("123.45")``, never a float).
"""
from __future__ import annotations

import json
import re
from decimal import Decimal

from flask import Flask, flash, g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, ValidationError

from market.errors import BadInput

#: The largest value of a database ``INTEGER`` (PostgreSQL ``integer``): every id column.
DB_INT_MAX = 2**31 - 1
#: Years a person may type for a date, a fiscal year or a cycle (a typo such as 20266
#: is refused, not stored or turned into a date the database cannot hold).
MIN_YEAR, MAX_YEAR = 1900, 2100
#: JSON bodies nest at most this deep (the API's bodies nest two levels).
MAX_JSON_DEPTH = 32

_DIGITS = re.compile(r"[0-9]{1,10}")
# A NUL byte, or half of a UTF-16 surrogate pair (only JSON escapes can make one).
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")

MSG_BAD_CHAR = _l("The request contains a character that cannot be stored (a NUL byte or a "
                  "broken Unicode character). Remove it and try again.")
MSG_JSON_ONLY_API = _l("Only the open API (/api/v1) accepts JSON. Submit the form on the page.")
MSG_JSON_INVALID = _l("The request body is not valid JSON.")
MSG_JSON_DEEP = _l("The JSON body is nested too deeply (at most %(depth)s levels).",
                   depth=MAX_JSON_DEPTH)


class BoundedIntConverter(IntegerConverter):
    """The ``int`` URL converter, bounded to the database's integer range: a larger id
    (``/tenders/9223372036854775808``) matches no route and answers 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        bounded = DB_INT_MAX if max is None or max > DB_INT_MAX else max
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=bounded, signed=signed)

    def to_python(self, value: str):
        if len(value.lstrip("-")) > 10:  # never convert a thousand-digit number
            raise ValidationError()
        return super().to_python(value)


def parse_db_int(value, *, low: int = 0, high: int = DB_INT_MAX) -> int | None:
    """``value`` (text from a query string or a form) as an int in [low, high], else None.

    Only ASCII digits count (no sign, no spaces inside, no full-width digits, no
    exponent); surrounding spaces are allowed.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not _DIGITS.fullmatch(text):
            return None
        number = int(text)
    else:
        return None
    return number if low <= number <= high else None


def int_arg(name: str, default: int | None = None, *, low: int = 0,
            high: int = DB_INT_MAX) -> int | None:
    """The query-string argument ``name`` as an int in [low, high].

    Missing or empty: ``default``. Anything else it cannot read (text, an id beyond the
    database's range, a year out of bounds): in the API a 400 naming the argument; on a
    page the filter is ignored (``default``) and the reader is told so.
    """
    raw = request.args.get(name)
    if raw is None or raw.strip() == "":
        return default
    number = parse_db_int(raw, low=low, high=high)
    if number is not None:
        return number
    if request.path.startswith("/api/"):
        raise BadInput(_("“%(name)s” must be a whole number between %(low)s and %(high)s.",
                         name=name, low=low, high=high), field=name)
    _ignored(name, raw)
    return default


def search_arg(name: str = "q", limit: int = 100) -> str:
    """The query-string argument ``name`` as search text: runs of white space made one
    space, at most ``limit`` characters ("" when absent)."""
    return " ".join((request.args.get(name) or "").split())[:limit]


def choice_arg(name: str, choices) -> str | None:
    """The query-string argument ``name`` when it is one of ``choices`` (an unknown
    category or status: ignored with a message on a page, a 400 in the API)."""
    raw = request.args.get(name)
    if not raw:
        return None
    if raw in choices:
        return raw
    if request.path.startswith("/api/"):
        raise BadInput(_("“%(name)s” must be one of: %(choices)s.", name=name,
                         choices=", ".join(sorted(choices))), field=name)
    _ignored(name, raw)
    return None


def _ignored(name: str, raw: str) -> None:
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    flash(_("The value “%(value)s” of the filter “%(name)s” is not understood and was "
            "ignored.", value=shown, name=name), "warning")


# --- JSON ---------------------------------------------------------------------------------


def json_depth_exceeds(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text ``data`` opens more than ``limit`` arrays/objects at once
    (brackets inside strings do not count). Linear, no recursion, no parsing."""
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


_MISSING = object()


def request_json():
    """The request's JSON body (None when there is no body), parsed once: numbers with a
    fraction or an exponent as :class:`~decimal.Decimal`, ``NaN``/``Infinity`` refused.
    Raises :class:`BadInput` for a body that is not JSON or nests too deeply."""
    cached = g.get("market_json", _MISSING)
    if cached is not _MISSING:
        return cached
    data = request.get_data(cache=True)
    if not data.strip():
        g.market_json = None
        return None
    if json_depth_exceeds(data):
        raise BadInput(MSG_JSON_DEEP)
    try:
        text = data.decode("utf-8-sig")
        value = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadInput(MSG_JSON_INVALID) from None
    g.market_json = value
    return value


def _has_bad_char(value) -> bool:
    """Whether a NUL or a lone surrogate is anywhere in ``value`` (JSON: keys too)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _BAD_CHAR.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def refuse_bad_text() -> None:
    """``before_request``: refuse NUL bytes and lone surrogates anywhere in the request's
    text, JSON outside the API, and JSON nested too deeply — each a 400, nothing read."""
    if _has_bad_char(request.path) or any(_has_bad_char(k) or _has_bad_char(v)
                                          for k, v in request.args.items(multi=True)):
        raise BadInput(MSG_BAD_CHAR)
    if request.is_json or (request.mimetype or "").endswith("+json"):
        if not request.path.startswith("/api/"):
            raise BadInput(MSG_JSON_ONLY_API)
        if _has_bad_char(request_json()):
            raise BadInput(MSG_BAD_CHAR)
        return
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if any(_has_bad_char(k) or _has_bad_char(v) for k, v in request.form.items(multi=True)):
            raise BadInput(MSG_BAD_CHAR)
        if any(_has_bad_char(f.filename or "") for _k, f in request.files.items(multi=True)):
            raise BadInput(MSG_BAD_CHAR)


def init_app(app: Flask) -> None:
    """Install the bounded ``int`` converter (before any route is added) and the hook
    (before any other ``before_request``, so nothing reads what it refuses)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_bad_text)
