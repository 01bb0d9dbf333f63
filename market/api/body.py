"""Typed JSON bodies for the /api/v1 write endpoints.

A body is a JSON object; each field is read with the type the endpoint needs, and a body
or field of the wrong shape (an array instead of an object, a number for the proposal, a
list for an id, ``true`` for an amount) is refused with a 400 ``{"error": "bad_input",
"message": ...}`` in the request's language, before any service runs. Amounts are then
read by the one money parser (``market.money.parse_money``, inside the services), so
``1e30``, ``NaN`` and ``"80,00"`` get the same messages as on the pages.

Parsing (depth limit, exact decimals, NUL bytes) is ``market.core.inputs.request_json``.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from market.core.inputs import parse_db_int, request_json
from market.errors import BadInput

_MISSING = object()


class Body:
    """The request's JSON object; read each field with its type."""

    def __init__(self, data: dict):
        self.data = data

    def _get(self, name: str):
        return self.data.get(name, _MISSING)

    def text(self, name: str, default: str | None = "") -> str | None:
        """A string field (missing or null: ``default``)."""
        value = self._get(name)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, str):
            raise BadInput(_("The field “%(name)s” must be text.", name=name), field=name)
        return value

    def boolean(self, name: str, default: bool) -> bool:
        """``true`` or ``false`` (missing or null: ``default``)."""
        value = self._get(name)
        if value is _MISSING or value is None:
            return default
        if not isinstance(value, bool):
            raise BadInput(_("The field “%(name)s” must be true or false.", name=name),
                           field=name)
        return value

    def amount(self, name: str) -> str | int | Decimal:
        """An amount in yuan: a string ("120000.00") or a JSON number (kept exact); the
        service parses it with ``parse_money``. Missing: "" (the parser says what to
        enter)."""
        value = self._get(name)
        if value is _MISSING or value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise BadInput(_("The field “%(name)s” must be an amount in yuan, written as "
                             "text such as \"120000.00\".", name=name), field=name)
        return value

    def number(self, name: str) -> str | None:
        """A number given as a JSON number or as text; returned as text for the service
        to check its range (missing or null: None)."""
        value = self._get(name)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            raise BadInput(_("The field “%(name)s” must be a number.", name=name), field=name)
        return value if isinstance(value, str) else str(value)

    def ids(self, name: str) -> list[int]:
        """A list of ids (missing or null: empty)."""
        value = self._get(name)
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list) or any(
                isinstance(i, bool) or not isinstance(i, int) or parse_db_int(i, low=1) is None
                for i in value):
            raise BadInput(_("The field “%(name)s” must be a list of ids (whole numbers).",
                             name=name), field=name)
        return list(value)


def json_body() -> Body:
    """The body as a :class:`Body` (no body: an empty object). Anything but a JSON object
    is refused."""
    value = request_json()
    if value is None:
        return Body({})
    if not isinstance(value, dict):
        raise BadInput(_("The request body must be a JSON object, e.g. {\"price\": "
                         "\"120000.00\"}."))
    return Body(value)
