"""Issue 9 (3): the session key is never a constant anyone can read in the source."""
from __future__ import annotations

import stat

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from market import create_app
from market.access.permissions import Role
from market.accounts.services import create_user
from market.config import ConfigError, instance_secret_key
from market.db import get_session, unit_of_work
from tests.accounts.conftest import login

OLD_CONSTANT = "dev-only-secret-key-change-me"  # the key every checkout shared before


def _serializer(secret: str):
    signer = Flask("forger")
    signer.secret_key = secret
    return SecureCookieSessionInterface().get_signing_serializer(signer)


def _add_user(app, username="keyholder"):
    with app.app_context():
        session = get_session()
        with unit_of_work(session):
            create_user(session, username=username, password="demo-pass-2026",
                        display_name=username, role=Role.AUDITOR)


def test_without_a_key_each_instance_makes_its_own_and_keeps_it(make_app, tmp_path):
    first = make_app(SECRET_KEY=None)
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_key != OLD_CONSTANT and len(first.secret_key) >= 32
    # A restart (a second app on the same instance folder) signs with the same key.
    second = make_app(SECRET_KEY=None)
    assert second.secret_key == first.secret_key
    # Another instance folder, another key.
    other = make_app(SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "other" / "secret_key"))
    assert other.secret_key != first.secret_key


def test_a_session_cookie_signed_with_the_old_constant_is_refused(make_app):
    app = make_app(SECRET_KEY=None)
    _add_user(app)
    client = app.test_client()
    assert login(client, "keyholder").status_code == 302
    real = client.get_cookie("session").value
    payload = _serializer(app.secret_key).loads(real)

    forger = app.test_client()
    forger.set_cookie("session", _serializer(OLD_CONSTANT).dumps(payload))
    response = forger.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

    # The same payload signed with this instance's key does open the session: the refusal
    # above is the key's doing.
    holder = app.test_client()
    holder.set_cookie("session", _serializer(app.secret_key).dumps(payload))
    assert holder.get("/home").status_code == 200


def test_the_published_constant_is_refused_as_a_key(database_url, tmp_path):
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": database_url, "SECRET_KEY": OLD_CONSTANT,
                    "SECRET_KEY_FILE": str(tmp_path / "k")})


def test_production_never_falls_back_to_a_key_file(database_url, tmp_path):
    key_file = tmp_path / "k"
    instance_secret_key(key_file)  # even with a usable key file at hand
    with pytest.raises(ConfigError):
        create_app({"ENV_NAME": "production", "DATABASE_URL": database_url,
                    "SECRET_KEY_FILE": str(key_file)})
    with pytest.raises(ConfigError):
        create_app({"ENV_NAME": "production", "DATABASE_URL": database_url,
                    "SECRET_KEY": "short-key"})


def test_a_key_file_readable_by_others_is_tightened(tmp_path):
    key_file = tmp_path / "secret_key"
    key = instance_secret_key(key_file)
    key_file.chmod(0o644)
    assert instance_secret_key(key_file) == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_an_empty_key_file_is_an_error_not_a_weak_key(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("")
    key_file.chmod(0o600)
    with pytest.raises(ConfigError):
        instance_secret_key(key_file)
