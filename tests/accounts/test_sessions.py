"""Issue 9 (4): logging out ends the session on the server, everywhere it was copied."""
from __future__ import annotations

import datetime as dt

from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from market.accounts.models import LoginEvent, LoginEventKind, User
from tests.accounts.conftest import client_from, login
from tests.conftest import csrf_token


def _copy(source, cookie_name, target):
    target.set_cookie(cookie_name, source.get_cookie(cookie_name).value)
    return target


def _logged_in(client) -> bool:
    return client.get("/home").status_code == 200


def test_a_session_cookie_copied_before_logout_is_refused_after(app, client, demo):
    assert login(client, "finance").status_code == 302
    thief = _copy(client, "session", app.test_client())
    assert _logged_in(thief)
    client.post("/logout")
    assert not _logged_in(client)
    response = thief.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_remember_me_token_dies_at_logout(app, client, demo):
    assert login(client, "finance", remember="y").status_code == 302
    # The remember-me cookie alone opens a session (a browser restarted) ...
    restarted = _copy(client, "remember_token", app.test_client())
    assert _logged_in(restarted)
    copy = client.get_cookie("remember_token").value
    client.post("/logout")
    assert client.get_cookie("remember_token") is None  # told to forget it
    # ... and after the logout neither a fresh copy nor the restored session works.
    stolen = app.test_client()
    stolen.set_cookie("remember_token", copy)
    assert not _logged_in(stolen)
    assert not _logged_in(restarted)


def test_logout_ends_only_this_device(app, demo):
    desktop, phone = app.test_client(), app.test_client()
    login(desktop, "auditor")
    login(phone, "auditor")
    desktop.post("/logout")
    assert not _logged_in(desktop)
    assert _logged_in(phone)


def test_log_out_everywhere_kills_another_clients_session_and_token(app, session, demo):
    desktop, phone = app.test_client(), app.test_client()
    login(desktop, "auditor")
    login(phone, "auditor", remember="y")
    remember = phone.get_cookie("remember_token").value
    assert _logged_in(phone)
    response = desktop.post("/account/logout-everywhere")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not _logged_in(desktop)
    assert not _logged_in(phone)
    revived = app.test_client()
    revived.set_cookie("remember_token", remember)
    assert not _logged_in(revived)
    user = session.scalar(select(User).where(User.username == "auditor"))
    assert user.session_version == 1
    kinds = session.scalars(select(LoginEvent.kind).where(LoginEvent.user_id == user.id)).all()
    assert LoginEventKind.LOGOUT_EVERYWHERE in kinds
    # A new login works as usual.
    assert login(desktop, "auditor").status_code == 302 and _logged_in(desktop)


def test_one_session_can_be_ended_from_the_account_page(app, session, demo):
    desktop, phone = app.test_client(), app.test_client()
    login(phone, "civil")
    login(desktop, "civil")
    page = desktop.get("/account").get_data(as_text=True)
    assert "活动会话：2 个" in page
    user = session.scalar(select(User).where(User.username == "civil"))
    phone_login = session.scalars(select(LoginEvent).where(
        LoginEvent.user_id == user.id, LoginEvent.kind == LoginEventKind.LOGIN)
        .order_by(LoginEvent.id)).first()
    assert desktop.post(f"/account/sessions/{phone_login.id}/end").status_code == 302
    assert not _logged_in(phone)
    assert _logged_in(desktop)
    assert "活动会话：1 个" in desktop.get("/account").get_data(as_text=True)
    # Someone else's session, or one that is gone: nothing happens, nothing breaks.
    assert desktop.post("/account/sessions/999999/end").status_code == 302
    assert _logged_in(desktop)


def test_the_csrf_token_changes_at_login(csrf_app, demo):
    client = csrf_app.test_client()
    before = csrf_token(client.get("/login").get_data(as_text=True))
    with client.session_transaction() as s:
        raw_before = s["csrf_token"]
    response = client.post("/login", data={"username": "civil", "password": "demo-pass-2026",
                                           "csrf_token": before})
    assert response.status_code == 302
    after = csrf_token(client.get("/home").get_data(as_text=True))
    with client.session_transaction() as s:
        assert s["csrf_token"] != raw_before
    # A token learnt before the login is worthless after it.
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_a_session_idle_too_long_ends_on_the_server(app, client, demo, wall):
    login(client, "civil")
    wall.advance(hours=7)
    assert _logged_in(client)  # activity keeps it alive ...
    wall.advance(hours=7)
    assert _logged_in(client)
    wall.advance(hours=8, minutes=1)  # ... idleness past the lifetime ends it
    assert not _logged_in(client)


def test_a_remembered_login_lasts_the_remember_duration_at_most(app, client, demo, wall):
    login(client, "civil", remember="y")
    token = client.get_cookie("remember_token").value
    wall.advance(days=13)
    later = app.test_client()
    later.set_cookie("remember_token", token)
    assert _logged_in(later)
    wall.advance(days=2)
    much_later = app.test_client()
    much_later.set_cookie("remember_token", token)
    assert not _logged_in(much_later)


def test_a_cookie_from_before_session_versions_is_refused(app, client, demo, session):
    user = session.scalar(select(User).where(User.username == "civil"))
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    client.set_cookie("session", serializer.dumps({"_user_id": str(user.id), "_fresh": True,
                                                   "_permanent": True}))
    assert not _logged_in(client)


def test_lifetimes_are_settings_and_the_remember_cookie_follows_secure(make_app, monkeypatch):
    monkeypatch.setenv("MARKET_PERMANENT_SESSION_LIFETIME", "3600")
    app = make_app(SESSION_COOKIE_SECURE=True)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(hours=1)
    assert app.config["REMEMBER_COOKIE_DURATION"] == dt.timedelta(days=14)
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    from market.demo import seed
    from market.db import get_session
    with app.app_context():
        seed(get_session())
        get_session().commit()
    client = client_from(app)
    response = login(client, "civil", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "Secure" in remember[0] and "HttpOnly" in remember[0]
    assert all("Secure" in c for c in cookies if c.startswith("session="))


def test_business_time_travel_does_not_end_a_session(app, client, demo, travel):
    """The platform clock (moved by tests and demos across months) is not the session's."""
    login(client, "civil")
    travel(2031, 1, 1, 0)
    assert _logged_in(client)
