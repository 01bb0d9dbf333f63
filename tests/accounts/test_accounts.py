"""Login, throttling, CSRF, the language switch and role home pages."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from market.accounts.models import User
from market.access.permissions import Role
from tests.factories import USER_OF_ROLE
from tests.probes import csrf_token

ROLES = [r.value for r in Role]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_logs_in_and_sees_its_home(app, client, auth, demo, role):
    response = auth.login(USER_OF_ROLE[role])
    assert response.status_code == 302
    page = client.get("/home")
    assert page.status_code == 200
    with app.test_request_context():  # Chinese by default
        label = Role(role).label
    assert label in page.get_data(as_text=True)
    assert "我的工作台" in page.get_data(as_text=True)


def test_password_is_stored_as_argon2(session, demo):
    user = session.scalar(select(User).where(User.username == "civil"))
    assert user.password_hash.startswith("$argon2")


def test_wrong_password_is_refused_with_a_message(client, auth, demo):
    response = auth.login("civil", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_repeated_failures_are_throttled(client, auth, demo):
    for _ in range(5):
        assert auth.login("civil", "nope-nope").status_code == 401
    # Even the right password is refused while the account is throttled.
    response = auth.login("civil")
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)


def test_throttle_counts_only_failures(client, auth, demo):
    for _ in range(4):
        auth.login("civil", "nope-nope")
    assert auth.login("civil").status_code == 302
    auth.logout()
    for _ in range(4):
        assert auth.login("civil", "nope-nope").status_code == 401


def test_forms_need_a_csrf_token(csrf_app, demo):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "civil", "password": "demo-pass-2026"})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": "civil", "password": "demo-pass-2026",
                                           "csrf_token": csrf_token(page)})
    assert response.status_code == 302


def test_language_is_chinese_by_default_and_english_on_request(client, demo):
    assert "登录" in client.get("/login").get_data(as_text=True)
    client.post("/language/en", data={"next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert "Log in" in html and "登录" not in html


def test_language_choice_is_remembered_for_the_user(app, client, auth, demo, session):
    auth.login("civil")
    client.post("/language/en")
    user = session.scalar(select(User).where(User.username == "civil"))
    session.refresh(user)
    assert user.locale == "en"
    # A new browser (no cookie) gets the user's language after login.
    other = app.test_client()
    other.post("/login", data={"username": "civil", "password": "demo-pass-2026"})
    assert "Log out" in other.get("/home").get_data(as_text=True)


def test_unknown_language_is_404(client):
    assert client.post("/language/xx").status_code == 404


def test_open_redirect_after_login_is_refused(client, demo):
    response = client.post("/login?next=https://evil.example/x",
                           data={"username": "civil", "password": "demo-pass-2026"})
    assert response.headers["Location"].endswith("/home")


def test_signup_creates_an_organization_account(client, session, demo):
    response = client.post("/signup", data={
        "username": "newngo", "display_name": "张三", "email": "",
        "password": "long-enough-1", "confirm": "long-enough-1"})
    assert response.status_code == 302
    user = session.scalar(select(User).where(User.username == "newngo"))
    assert user.role == Role.ORGANIZATION


def test_signup_with_taken_username_changes_nothing(client, session, demo):
    before = session.query(User).count()
    response = client.post("/signup", data={
        "username": "civil", "display_name": "x", "password": "long-enough-1",
        "confirm": "long-enough-1"})
    assert response.status_code == 409
    assert "该用户名已被使用" in response.get_data(as_text=True)
    assert session.query(User).count() == before


def test_demo_seed_is_idempotent(session, demo):
    from market.demo import seed

    before = session.query(User).count()
    seed(session)
    session.commit()
    assert session.query(User).count() == before
