"""The account page: recent logins and failures, sessions, 2FA status — in zh and en."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from market.accounts.models import LoginEvent, LoginEventKind, User
from tests.accounts.conftest import client_from, login


def test_the_activity_page_shows_logins_and_failures_in_chinese_and_english(app, demo):
    login(client_from(app, "203.0.113.5", "EvilBot/1.0"), "finance", "wrong-password")
    login(client_from(app, "198.51.100.9", "Someone Else/2.0"), "civil", "wrong-password")
    owner = client_from(app, "198.51.100.7", "Firefox/140.0")
    login(owner, "finance")

    zh = owner.get("/account").get_data(as_text=True)
    for text in ("我的账户", "近期活动", "密码错误", "登录", "203.0.113.5", "EvilBot/1.0",
                 "198.51.100.7", "Firefox/140.0", "活动会话：1 个", "会话版本：0",
                 "在所有设备上退出", "两步验证", "本设备"):
        assert text in zh, text
    assert "198.51.100.9" not in zh and "Someone Else" not in zh  # only one's own

    owner.post("/language/en", data={"next": "/account"})
    en = owner.get("/account").get_data(as_text=True)
    for text in ("My account", "Recent activity", "Wrong password", "Logged in",
                 "EvilBot/1.0", "Active sessions: 1", "Session generation: 0",
                 "Log out everywhere", "Two-step verification", "This device"):
        assert text in en, text
    assert "密码错误" not in en


def test_the_activity_page_is_paginated_and_takes_any_page_number(app, client, demo, session):
    user = session.scalar(select(User).where(User.username == "town"))
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    session.add_all(LoginEvent(user_id=user.id, kind=LoginEventKind.FAILURE,
                               at=start + dt.timedelta(minutes=i), address=f"192.0.2.{i}")
                    for i in range(30))
    session.commit()
    login(client, "town")
    first = client.get("/account").get_data(as_text=True)
    assert first.count("<td>192.0.2.") == 19  # the page holds 20: the login and 19 failures
    assert "192.0.2.29" in first and "第 1 页，共 2 页" in first
    second = client.get("/account?page=2").get_data(as_text=True)
    assert second.count("<td>192.0.2.") == 11 and "192.0.2.0<" in second
    for page in ("abc", "-3", "99999", "1e9"):
        assert client.get(f"/account?page={page}").status_code == 200


def test_the_account_page_needs_a_login(client, demo):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_header_links_to_the_account_page(client, demo):
    login(client, "expert")
    assert 'href="/account"' in client.get("/home").get_data(as_text=True)
