"""The one pattern every registry form follows: validate → one service call → redirect,
or re-render with the message and a 4xx status, the database unchanged."""
from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_babel import get_locale

from market.db import get_session, unit_of_work
from market.errors import DomainError
from market.orgs import queries


def submit(form, call: Callable) -> tuple[bool, int]:
    """(done, status). ``call(session)`` runs in one unit of work when the form validates."""
    if not form.validate_on_submit():
        return False, (400 if request.method == "POST" else 200)
    session = get_session()
    try:
        with unit_of_work(session):
            call(session)
    except DomainError as e:
        show_error(form, e)
        return False, int(e.status)
    return True, 200


def show_error(form, e: DomainError) -> None:
    field = form._fields.get(e.field) if e.field else None
    if field is not None:
        field.errors = [*field.errors, str(e.message)]
    else:
        form.form_errors.append(str(e.message))


def with_towns(form):
    form.set_towns(queries.towns(get_session()), str(get_locale()))
    return form
