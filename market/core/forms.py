"""The one way a page handles a form, and the form fields every feature shares.

:func:`form_page` is the whole pattern: on POST validate the form; if it is valid, make one
service call in one unit of work; on success flash and redirect; otherwise re-render the
page with every error where it belongs — WTForms' own errors beside their fields, a
service's :class:`~market.errors.DomainError` beside the field it names, or above the form
(``form.form_errors``, shown by the ``form_errors`` macro) when it names none or a field
the form does not have — and a 4xx status; the database unchanged.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import flash, redirect
from sqlalchemy.orm import Session
from wtforms import Field, RadioField
from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import TextInput

from market.core.inputs import DB_INT_MAX, MAX_YEAR, MIN_YEAR
from market.db import get_session, unit_of_work
from market.errors import DomainError, Invalid, Problems
from market.money import COLUMN_MAX, DEFAULT_MAXIMUM, parse_money, plain_money, quantize

Text = str | Callable[[Any], str]


@dataclass
class Submission:
    """What became of a form: ``done`` with the service's ``result``, or the status to
    re-render with (200 not submitted, 400 invalid, the refusal's own status)."""

    done: bool
    status: int
    result: Any = None
    error: DomainError | None = None


def place_error(form, error: DomainError) -> int:
    """Put a service's refusal beside the field it names, else above the form; its status.

    A :class:`~market.errors.Problems` places every one of its problems the same way, so
    one submit shows everything that must be corrected.
    """
    problems = error.problems if isinstance(error, Problems) else [(error.field,
                                                                     error.message)]
    for name, message in problems:
        place_problem(form, name, message)
    return int(error.status)


def place_problem(form, name: str | None, message) -> None:
    """One message beside the field ``name`` (``a-0-b`` for a row of a list), else above
    the form in plain words; never twice in the same place."""
    field = _find_field(form, name) if name else None
    text = str(message)
    if field is None:
        target = form.form_errors
    elif isinstance(field.errors, dict):  # a FormField: its own form-level messages
        target = field.form.form_errors
    else:
        if not isinstance(field.errors, list):  # () before validation ran
            field.errors = list(field.errors)
        target = field.errors
    if text not in target:
        target.append(text)


def _find_field(form, name: str):
    field = form._fields.get(name)
    if field is not None:
        return field
    for candidate in form:  # a FieldList row: its fields carry the full prefixed name
        if candidate.name == name:
            return candidate
        entries = getattr(candidate, "entries", None)
        for entry in entries or ():
            sub = getattr(entry, "form", None)
            if entry.name == name:
                return entry
            for inner in sub or ():
                if inner.name == name:
                    return inner
    return None


def place_more(form, check: Callable[[], Any]) -> None:
    """Run ``check()`` — a service's pure rules, no writes — on a form that already failed
    validation, and add what it refuses beside the fields that have no error yet: the
    person sees every correction at once, not one more after each submit."""
    try:
        check()
    except DomainError as e:
        problems = e.problems if isinstance(e, Problems) else [(e.field, e.message)]
        for name, message in problems:
            field = _find_field(form, name) if name else None
            if field is not None and not field.errors:
                place_problem(form, name, message)


def submit(form, call: Callable[[Session], Any], *, session: Session | None = None,
           raise_unplaced: bool = False, check: Callable[[], Any] | None = None) -> Submission:
    """Validate ``form`` on POST and run ``call(session)`` in one unit of work.

    A refusal is rolled back and placed on the form (:func:`place_error`) — or, with
    ``raise_unplaced``, one that names no field of the form propagates to the error page.
    ``check``: the service's rules that need no database writes, also run when the form
    itself is invalid (:func:`place_more`).
    """
    if not form.validate_on_submit():
        if check is not None and form.is_submitted():
            place_more(form, check)
        return Submission(False, 400 if form.is_submitted() else 200)
    session = session if session is not None else get_session()
    try:
        with unit_of_work(session):
            result = call(session)
    except DomainError as e:
        session.expire_all()  # the page is re-rendered from what the database holds
        if raise_unplaced and not _placeable(form, e):
            raise
        return Submission(False, place_error(form, e), error=e)
    return Submission(True, 200, result)


def _placeable(form, error: DomainError) -> bool:
    names = [f for f, _ in error.problems] if isinstance(error, Problems) else [error.field]
    return any(n and _find_field(form, n) is not None for n in names)


def form_page(form, call: Callable[[Session], Any], *, render: Callable[[], Any],
              done: Text, then: Text, category: str = "success",
              raise_unplaced: bool = False, session: Session | None = None,
              check: Callable[[], Any] | None = None):
    """The response of a page with one form.

    ``call(session)`` is the one service call; ``done`` the message to flash and ``then``
    the URL to go to after it succeeded (either may be a function of the call's result);
    ``render()`` renders the page — for a GET, an invalid form or a refusal — and is
    returned with the status. ``raise_unplaced``: for a form inside a page that may not
    show it again, a refusal naming none of its fields goes to the error page instead.
    """
    outcome = submit(form, call, session=session, raise_unplaced=raise_unplaced, check=check)
    if outcome.done:
        flash(_text(done, outcome.result), category)
        return redirect(_text(then, outcome.result))
    return render(), outcome.status


def _text(value: Text, result) -> str:
    return str(value(result) if callable(value) else value)


class YearBounds:
    """A date or date-time field's year lies in ``MIN_YEAR``..``MAX_YEAR`` (1900–2100): a
    typo such as 20266 is refused with a message, not stored (nor shifted past year 9999
    by a time-zone conversion)."""

    def __call__(self, form, field):
        if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
            raise ValidationError(str(_l("Enter a date between the years %(a)s and %(b)s.",
                                         a=MIN_YEAR, b=MAX_YEAR)))


def whole_number(low: int = 0, high: int = DB_INT_MAX) -> NumberRange:
    """A bound for an ``IntegerField`` (by default: what a database integer holds)."""
    return NumberRange(low, high, message=_l("Enter a whole number between %(min)s and "
                                             "%(max)s."))


class MoneyField(Field):
    """An amount in yuan typed by a person: ``data`` is a two-place Decimal (or None).

    Parsed by :func:`market.money.parse_money` (so ``80,000``, ``８００００．００`` and
    ``¥80000`` all work and every refusal has the same message as the services'). Use
    ``InputRequired`` rather than ``DataRequired`` with it: a zero amount is falsy.
    A parse error stops the validator chain, so the message shown is the parser's.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, allow_negative: bool = False,
                 allow_zero: bool = False, maximum: Decimal = DEFAULT_MAXIMUM, **kwargs):
        kwargs["render_kw"] = {"inputmode": "decimal", "autocomplete": "off",
                               **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)
        self.allow_negative, self.allow_zero, self.maximum = (allow_negative, allow_zero,
                                                              maximum)

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = self.parse(valuelist[0])
        except Invalid as e:
            self.data = None
            raise ValueError(str(e.message)) from None

    def process_data(self, value):
        """A default or an object's stored amount: shown as it is, checked on submit."""
        if value is None or value == "":
            self.data = None
        elif isinstance(value, str):
            try:
                self.data = parse_money(value, allow_negative=True, allow_zero=True,
                                        maximum=COLUMN_MAX)
            except Invalid as e:
                self.data = None
                raise ValueError(str(e.message)) from None
        else:
            self.data = quantize(value)

    def parse(self, value) -> Decimal:
        return parse_money(value, field=self.name, allow_negative=self.allow_negative,
                           allow_zero=self.allow_zero, maximum=self.maximum)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        return plain_money(self.data) if isinstance(self.data, (Decimal, int)) \
            else str(self.data)


class ExplicitChoiceField(RadioField):
    """A statement the person must make themselves (a conflict-of-interest declaration):
    radio buttons with none preselected; submitting without a choice is refused on the
    field with ``message``, never read as a default answer."""

    def __init__(self, label=None, validators=None, *, message=None, **kwargs):
        kwargs.pop("default", None)
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Choose one of the statements.")
        self.flags.required = True

    def process_data(self, value):
        self.data = None  # never a default: the person's own choice or nothing

    def pre_validate(self, form):
        if self.data is None or self.data == "None":
            raise StopValidation(str(self.message))
        super().pre_validate(form)
