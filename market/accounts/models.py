"""Users, the bodies they act for, their language preference, sessions and login events."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.access.permissions import Permission, Role, role_has
from market.clock import now
from market.models import Base

if TYPE_CHECKING:
    from market.orgs.models import Organization


def enum_column(enum_cls, length: int = 32):
    """Enums stored by value, as portable VARCHARs with no DB-side enum type."""
    return Enum(enum_cls, values_callable=lambda e: [m.value for m in e],
                native_enum=False, length=length, validate_strings=True)


class Department(Base):
    """职能部门 — a government department that buys services."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    is_finance: Mapped[bool] = mapped_column(Boolean, default=False)


class Town(Base):
    """镇（区） — a town or district; filing (备案) is reviewed at this level."""

    __tablename__ = "towns"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)


class EvaluatorAgency(Base):
    """第三方评估机构 — an independent evaluator agency."""

    __tablename__ = "evaluator_agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(UserMixin, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("evaluator_agencies.id"))
    # The organization this user acts for; set when its application is approved (orgs).
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    # Every session and remember-me cookie names the version it was opened under;
    # "log out everywhere" increments it, and every older cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Optional second factor (TOTP, RFC 6238): a secret is pending until a code confirms
    # it (totp_enabled_at); the last accepted time step is kept so a code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column()
    totp_last_counter: Mapped[int | None] = mapped_column(Integer)

    department: Mapped[Department | None] = relationship()
    town: Mapped[Town | None] = relationship()
    agency: Mapped[EvaluatorAgency | None] = relationship()
    organization: Mapped[Organization | None] = relationship(foreign_keys=[organization_id])

    # The login (session) this object was loaded for: not a column, set by
    # market.accounts.sessions when a session is opened or its cookie is honoured.
    login_token = None

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """What the session and the remember-me cookie carry: id, session version, login.

        A cookie stops working when its login is ended (logout) or the user's
        session version moves on (log out everywhere)."""
        return f"{self.id}:{self.session_version}:{self.login_token or ''}"

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None and self.totp_enabled_at is not None

    def can(self, permission: Permission) -> bool:
        return role_has(self.role, permission)


class LoginEventKind(StrEnum):
    LOGIN = "login"  # a session opened; the row stays the session's record
    FAILURE = "failure"  # wrong password
    CODE_FAILURE = "code_failure"  # right password, wrong second-factor code
    LOGOUT = "logout"
    LOGOUT_EVERYWHERE = "logout_everywhere"
    SESSION_ENDED = "session_ended"  # one session ended from the account page
    TWO_FACTOR_ON = "two_factor_on"
    TWO_FACTOR_OFF = "two_factor_off"

    @property
    def label(self) -> str:
        return str(LOGIN_EVENT_LABELS[self])


LOGIN_EVENT_LABELS = {
    LoginEventKind.LOGIN: _l("Logged in"),
    LoginEventKind.FAILURE: _l("Wrong password"),
    LoginEventKind.CODE_FAILURE: _l("Wrong verification code"),
    LoginEventKind.LOGOUT: _l("Logged out"),
    LoginEventKind.LOGOUT_EVERYWHERE: _l("Logged out everywhere"),
    LoginEventKind.SESSION_ENDED: _l("Ended a session"),
    LoginEventKind.TWO_FACTOR_ON: _l("Two-step verification turned on"),
    LoginEventKind.TWO_FACTOR_OFF: _l("Two-step verification turned off"),
}


class LoginEvent(Base):
    """One sign-in, failure or logout of a user, with where it came from.

    A LOGIN row is also the server's record of the session it opened: the cookie carries
    a random token whose hash is ``token_hash``; the session works while the row is not
    ended, has not expired and has the user's current session version.
    """

    __tablename__ = "login_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Wall-clock time, as for sessions (see market.accounts.sessions).
    at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.timezone.utc))
    kind: Mapped[LoginEventKind] = mapped_column(enum_column(LoginEventKind))
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    session_version: Mapped[int | None] = mapped_column(Integer)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column()
    ended_at: Mapped[dt.datetime | None] = mapped_column()
