"""Route guards. Every view is marked public, login-only or with one permission;
a test walks the URL map and fails on any view left unmarked."""
from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from market.access.permissions import Permission, Role


def _mark(view, kind: str, detail=None):
    view.access = (kind, detail)
    return view


def public(view):
    return _mark(view, "public")


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path))
        return view(*args, **kwargs)

    return _mark(wrapper, "login")


def permission_required(permission: Permission):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path))
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, "permission", permission)

    return decorator


def role_required(*roles: Role):
    """For pages that belong to a role rather than a capability (a role's home)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, "roles", frozenset(roles))

    return decorator


def allowed(view_func, user) -> bool | None:
    """What the guard would answer for ``user`` (None: anonymous and login needed)."""
    kind, detail = getattr(view_func, "access", (None, None))
    if kind == "public":
        return True
    if user is None:
        return None
    if kind == "login":
        return True
    if kind == "permission":
        return user.can(detail)
    if kind == "roles":
        return user.role in detail
    raise LookupError("view has no access mark")
