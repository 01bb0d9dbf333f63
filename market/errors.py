"""Typed domain errors. Each carries its HTTP status and a translated message."""
from __future__ import annotations

from http import HTTPStatus


class DomainError(Exception):
    status: HTTPStatus = HTTPStatus.BAD_REQUEST
    code: str = "invalid"

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message  # a lazy translation string; str() it at render time
        self.field = field


class Invalid(DomainError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "invalid"


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND
    code = "not_found"


class Forbidden(DomainError):
    status = HTTPStatus.FORBIDDEN
    code = "forbidden"


class Conflict(DomainError):
    status = HTTPStatus.CONFLICT
    code = "conflict"


class BadInput(DomainError):
    """A request the platform cannot read (a number out of range, a NUL byte, a JSON body
    of the wrong shape): 400, nothing read or written."""

    status = HTTPStatus.BAD_REQUEST
    code = "bad_input"


class TooManyRequests(DomainError):
    """Too many attempts from one address or browser in the set window: 429, nothing kept."""

    status = HTTPStatus.TOO_MANY_REQUESTS
    code = "too_many_requests"


class Problems(Invalid):
    """Every rule a submission breaks, at once: a list of ``(field, message)`` pairs
    (``field`` None for a problem of the whole form). A form places each beside its field
    (:func:`market.core.forms.place_error`); the API lists them all."""

    code = "invalid"

    def __init__(self, problems):
        self.problems = [(f, m) for f, m in problems]
        super().__init__(_Joined([m for _, m in self.problems]))


class _Joined:
    """Messages shown together where only one message fits (a flash, a JSON error); each
    translated when shown, like a lazy string."""

    def __init__(self, messages) -> None:
        self.messages = messages

    def __str__(self) -> str:
        return " ".join(str(m) for m in self.messages)


class Checks:
    """Collects the refusals of several independent checks so a service reports them all.

    ``value = checks.run(clean_x, raw)`` returns what the check returns, or None after
    recording its :class:`Invalid`; ``checks.done()`` raises :class:`Problems` if any.
    """

    def __init__(self) -> None:
        self.problems: list[tuple[str | None, object]] = []

    def run(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except Problems as e:
            self.problems.extend(e.problems)
        except Invalid as e:
            self.problems.append((e.field, e.message))
        return None

    def add(self, field: str | None, message) -> None:
        self.problems.append((field, message))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def done(self) -> None:
        if len(self.problems) == 1:
            field, message = self.problems[0]
            raise Invalid(message, field=field)
        if self.problems:
            raise Problems(self.problems)
