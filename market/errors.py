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
