"""Optional second factor: time-based one-time codes (TOTP, RFC 6238) from an
authenticator app. Enrol (a secret, shown as a QR code drawn here, no third party),
confirm with a code, then every login asks for a code after the password; turning it
off needs a current code too. A code is accepted once (its time step is remembered).
"""
from __future__ import annotations

import hmac
import re

import pyotp
import segno
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Session

from market.accounts.models import LoginEventKind, User
from market.accounts.sessions import record_event
from market.auditlog.services import record
from market.clock import now
from market.errors import Conflict, Invalid

ISSUER = "公益服务采购平台"
CODE_RE = re.compile(r"^\d{6}$")
# Codes from the previous and the next 30-second step are accepted too (clock drift).
DRIFT_STEPS = 1


def normalize_code(raw: str | None) -> str | None:
    """'123 456' or ' 123456 ' → '123456'; anything but six digits → None."""
    code = re.sub(r"[\s-]", "", raw or "")
    return code if CODE_RE.match(code) else None


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def matching_step(secret: str, code: str) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side), else None."""
    totp = _totp(secret)
    current = totp.timecode(now())
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def current_code(secret: str) -> str:
    """The code an authenticator shows now (the tests' authenticator)."""
    return _totp(secret).at(now())


def provisioning_uri(user: User) -> str:
    return _totp(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(user: User) -> Markup:
    """The enrolment QR code as inline SVG, drawn on the server."""
    qr = segno.make(provisioning_uri(user), error="m")
    return Markup(qr.svg_inline(scale=4, dark="#000", light="#fff", title=ISSUER))


def _accept(user: User, code: str | None) -> bool:
    """Check a code against the user's secret; a step already used is refused."""
    if not code or not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None or (user.totp_last_counter is not None and step <= user.totp_last_counter):
        return False
    user.totp_last_counter = step
    return True


def start(session: Session, user: User) -> None:
    """A new secret, pending until a code confirms it."""
    if user.two_factor_enabled:
        raise Conflict(_l("Two-step verification is already on."))
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = None
    user.totp_last_counter = None


def confirm(session: Session, user: User, raw_code: str | None) -> None:
    if user.two_factor_enabled:
        raise Conflict(_l("Two-step verification is already on."))
    if not user.totp_secret:
        raise Invalid(_l("Start the set-up first."))
    if not _accept(user, normalize_code(raw_code)):
        raise Invalid(_l("This code is not right. Check the time on your phone and enter "
                         "the code your app shows now."), field="code")
    user.totp_enabled_at = now()
    record_event(session, user, LoginEventKind.TWO_FACTOR_ON)
    record(session, user, "user", user.id, "two_factor_on")


def disable(session: Session, user: User, raw_code: str | None) -> None:
    if not user.two_factor_enabled:
        raise Conflict(_l("Two-step verification is not on."))
    if not _accept(user, normalize_code(raw_code)):
        raise Invalid(_l("This code is not right. Enter the code your app shows now."),
                      field="code")
    clear(session, user)
    record_event(session, user, LoginEventKind.TWO_FACTOR_OFF)
    record(session, user, "user", user.id, "two_factor_off")


def cancel(session: Session, user: User) -> None:
    """Drop a secret that was never confirmed."""
    if not user.two_factor_enabled:
        clear(session, user)


def clear(session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_counter = None


def reset(session: Session, user: User) -> None:
    """The operator's way out for a lost phone (``flask users reset-two-factor``): the
    second factor is off and every session of the user ends."""
    from market.accounts.sessions import logout_everywhere

    clear(session, user)
    record_event(session, user, LoginEventKind.TWO_FACTOR_OFF)
    record(session, None, "user", user.id, "two_factor_reset")
    logout_everywhere(session, user, by_operator=True)


def check_login_code(session: Session, user: User, code: str) -> bool:
    """The second step of a login: True when ``code`` is current and unused."""
    return user.two_factor_enabled and _accept(user, code)
