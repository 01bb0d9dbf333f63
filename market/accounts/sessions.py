"""Server-side control of sessions: logout ends a login everywhere its cookies went.

The session cookie and the remember-me cookie carry ``User.get_id()``:
``"<user id>:<session version>:<login token>"``. The token is random per login; its
SHA-256 is kept on the login's ``LoginEvent`` row. A cookie is honoured only while

- its login row is not ended (logout ends it: every copy of the cookie dies),
- its session version is the user's current one (log out everywhere moves it on),
- the login has not expired: idle for ``PERMANENT_SESSION_LIFETIME`` (a remembered
  login: older than ``REMEMBER_COOKIE_DURATION``), checked here on the server, not
  only by the cookie's own expiry.

Sessions live in wall-clock time (``wall_now``), like the cookie's signature age and the
login throttle — not on the platform's injectable clock, which tests and demos move
across months of business time without meaning to log anyone out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import Flask, current_app, g, has_request_context, request, session
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from market.accounts.models import LoginEvent, LoginEventKind, User
from market.auditlog.services import record

def wall_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


MAX_AGENT = 255
MAX_ADDRESS = 64


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def client_address() -> str:
    """The client's address: the peer, or X-Forwarded-For only through PROXY_COUNT proxies
    (ProxyFix, set up in market.security, has already rewritten REMOTE_ADDR)."""
    return (request.remote_addr or "-")[:MAX_ADDRESS]


def client_agent() -> str:
    return (request.headers.get("User-Agent") or "")[:MAX_AGENT]


def record_event(db: Session, user: User, kind: LoginEventKind, **fields) -> LoginEvent:
    web = has_request_context()
    fields.setdefault("at", wall_now())
    fields.setdefault("address", client_address() if web else None)
    fields.setdefault("user_agent", client_agent() if web else "flask users (command line)")
    event = LoginEvent(user_id=user.id, kind=kind, **fields)
    db.add(event)
    return event


def open_login(db: Session, user: User, *, remember: bool) -> LoginEvent:
    """Record a login and give ``user`` the token its cookies will carry."""
    token = secrets.token_urlsafe(24)
    at = wall_now()
    event = record_event(db, user, LoginEventKind.LOGIN, at=at, token_hash=hash_token(token),
                         session_version=user.session_version, remember=remember,
                         last_seen_at=at)
    user.login_token = token
    return event


def _lifetimes() -> tuple[dt.timedelta, dt.timedelta]:
    config = current_app.config
    return config["PERMANENT_SESSION_LIFETIME"], config["REMEMBER_COOKIE_DURATION"]


def is_live(event: LoginEvent, user: User, at: dt.datetime | None = None) -> bool:
    """Whether this login still opens a session now."""
    at = at or wall_now()
    idle, remembered = _lifetimes()
    if event.ended_at is not None or event.session_version != user.session_version:
        return False
    if event.remember:
        return at - event.at < remembered
    return at - (event.last_seen_at or event.at) < idle


def parse_id(value: str) -> tuple[int, int, str] | None:
    parts = str(value).split(":")
    if len(parts) != 3 or not parts[2]:
        return None
    try:
        return int(parts[0]), int(parts[1]), parts[2]
    except ValueError:
        return None


def load_user(db: Session, value: str) -> User | None:
    """Flask-Login's user loader: the user a cookie names, if its login is still live."""
    parsed = parse_id(value)
    if parsed is None:  # a cookie from before session versions, or garbage
        return None
    user_id, version, token = parsed
    row = db.execute(
        select(User, LoginEvent).join(LoginEvent, LoginEvent.user_id == User.id)
        .where(User.id == user_id, LoginEvent.token_hash == hash_token(token),
               LoginEvent.kind == LoginEventKind.LOGIN)
    ).first()
    if row is None:
        return None
    user, event = row
    if not user.active or user.session_version != version or not is_live(event, user):
        return None
    user.login_token = token
    g.login_event = event
    return user


def current_login(user: User) -> LoginEvent | None:
    """The login row of the session serving this request."""
    event = g.get("login_event")
    if event is not None and event.user_id == user.id:
        return event
    return None


def touch(db: Session, user: User) -> None:
    """Keep an active session alive: note when it was last seen (every few minutes)."""
    event = current_login(user)
    if event is None:
        return
    at = wall_now()
    every = dt.timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"])
    if event.last_seen_at is None or at - event.last_seen_at >= every:
        db.execute(update(LoginEvent).where(LoginEvent.id == event.id).values(last_seen_at=at))
        db.commit()
        event.last_seen_at = at
        # Re-sign the session cookie too, so its own idle limit counts from now.
        session.modified = True


def end_login(db: Session, user: User, event: LoginEvent | None,
              kind: LoginEventKind = LoginEventKind.LOGOUT) -> None:
    """End one login: its session cookie and remember-me cookie stop working."""
    if event is not None and event.ended_at is None:
        db.execute(update(LoginEvent).where(LoginEvent.id == event.id)
                   .values(ended_at=wall_now()))
    record_event(db, user, kind)


def logout_everywhere(db: Session, user: User, *, by_operator: bool = False) -> None:
    """End every session and remember-me cookie of ``user``, on every device (by the user
    from the account page, or by the operator from the command line)."""
    user.session_version = (user.session_version or 0) + 1
    db.execute(update(LoginEvent)
               .where(LoginEvent.user_id == user.id, LoginEvent.kind == LoginEventKind.LOGIN,
                      LoginEvent.ended_at.is_(None))
               .values(ended_at=wall_now()))
    record_event(db, user, LoginEventKind.LOGOUT_EVERYWHERE)
    record(db, None if by_operator else user, "user", user.id, "logout_everywhere")


def live_logins(db: Session, user: User, limit: int = 50) -> list[LoginEvent]:
    """The user's sessions that still work, newest first."""
    rows = db.scalars(
        select(LoginEvent)
        .where(LoginEvent.user_id == user.id, LoginEvent.kind == LoginEventKind.LOGIN,
               LoginEvent.ended_at.is_(None),
               LoginEvent.session_version == user.session_version)
        .order_by(LoginEvent.id.desc()).limit(limit))
    at = wall_now()
    return [e for e in rows if is_live(e, user, at)]


def init_app(app: Flask, login_manager) -> None:
    from market.db import get_session

    @login_manager.user_loader
    def _load_user(value: str):
        return load_user(get_session(), value)

    @app.before_request
    def _touch_session():
        if request.endpoint == "static":
            return
        from flask_login import current_user

        if current_user.is_authenticated:
            touch(get_session(), current_user._get_current_object())
