"""Accounts: creating users, checking passwords, remembering the language."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from market import policy
from market.accounts.models import User
from market.access.permissions import ROLE_AFFILIATION, Role
from market.auditlog.services import record
from market.errors import Conflict, Invalid

_hasher = PasswordHasher()
# Compared against when the username is unknown, so timing does not reveal which exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def configure_hasher(time_cost: int | None = None, memory_cost: int | None = None) -> None:
    """Tests use cheaper argon2 parameters; production keeps the library's defaults."""
    global _hasher, _DUMMY_HASH
    defaults = PasswordHasher()
    _hasher = PasswordHasher(time_cost=time_cost or defaults.time_cost,
                             memory_cost=memory_cost or defaults.memory_cost)
    _DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def display_names(session: Session, user_ids) -> dict[int, str]:
    """user id -> display name (姓名), for pages that show who did something; one query."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def display_names_by_username(session: Session, usernames) -> dict[str, str]:
    """username -> display name (ledger metadata names people by username)."""
    names = {u for u in usernames if u}
    if not names:
        return {}
    return dict(session.execute(select(User.username, User.display_name)
                                .where(User.username.in_(names))).all())


def create_user(session: Session, *, username: str, password: str, display_name: str,
                role: Role, actor=None, email: str | None = None, **affiliation) -> User:
    """Create a user; refuses a taken username, a short password or a missing affiliation."""
    username = username.strip()
    if not username:
        raise Invalid(_l("A username is required."), field="username")
    if find_user(session, username) is not None:
        raise Conflict(_l("This username is already taken."), field="username")
    minimum = policy.value("password_min_length")
    if len(password) < minimum:
        raise Invalid(_l("The password must have at least %(n)s characters.", n=minimum),
                      field="password")
    needed = ROLE_AFFILIATION.get(Role(role))
    if needed and not affiliation.get(needed):
        raise Invalid(_l("This role must act for a department, town or agency."), field=needed)
    user = User(username=username, password_hash=hash_password(password),
                display_name=display_name.strip() or username, role=Role(role), email=email,
                **{k: v for k, v in affiliation.items() if v is not None})
    session.add(user)
    session.flush()
    record(session, actor or user, "user", user.id, "create", None, str(role))
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None."""
    user, ok = check_password(session, username, password)
    return user if ok else None


def check_password(session: Session, username: str, password: str) -> tuple[User | None, bool]:
    """(the user this username names or None, whether the password opens it).

    The user comes back on a failure too, so the failure can be shown on their account
    page; an inactive user never opens."""
    user = find_user(session, username)
    if user is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return None, False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return user, False
    if not user.active:
        return user, False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user, True


def set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = locale
