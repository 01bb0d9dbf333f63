"""Optional second factor (TOTP) for finance, civil affairs and auditors."""
from __future__ import annotations

import pyotp
from sqlalchemy import select

from market.accounts.models import LoginEvent, LoginEventKind, User
from market.clock import now
from tests.accounts.conftest import client_from, login

CODE_MESSAGE = "请输入身份验证器应用显示的 6 位验证码"


def _user(session, username) -> User:
    user = session.scalar(select(User).where(User.username == username))
    session.refresh(user)
    return user


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).at(now())


def _wrong_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now())
    valid = {totp.generate_otp(s) for s in (step - 1, step, step + 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in valid)


def _enrol(client, session, username="finance", clock=None) -> str:
    assert client.post("/account/two-factor/start").status_code == 302
    secret = _user(session, username).totp_secret
    response = client.post("/account/two-factor/confirm", data={"code": _code(secret)})
    assert response.status_code == 302
    if clock is not None:
        clock.advance(seconds=30)  # the next code belongs to the next time step
    return secret


def test_enrol_with_a_locally_drawn_qr_code_then_confirm(client, demo, session, clock):
    login(client, "finance")
    account = client.get("/account").get_data(as_text=True)
    assert "两步验证" in account and "设置两步验证" in account
    response = client.post("/account/two-factor/start")
    assert response.headers["Location"].endswith("/account/two-factor")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = _user(session, "finance").totp_secret
    assert "<svg" in page and secret in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # nothing fetched
    # Not yet on: an unconfirmed secret changes nothing.
    assert not _user(session, "finance").two_factor_enabled

    bad = client.post("/account/two-factor/confirm", data={"code": "12ab56"})
    assert bad.status_code == 400 and CODE_MESSAGE in bad.get_data(as_text=True)
    wrong = client.post("/account/two-factor/confirm", data={"code": _wrong_code(secret)})
    assert wrong.status_code == 422 and "验证码不正确" in wrong.get_data(as_text=True)
    ok = client.post("/account/two-factor/confirm", data={"code": _code(secret)})
    assert ok.status_code == 302
    assert _user(session, "finance").two_factor_enabled
    assert "自 " in client.get("/account").get_data(as_text=True)


def test_login_asks_for_the_code_after_the_password(app, client, demo, session, clock):
    login(client, "finance")
    secret = _enrol(client, session, clock=clock)
    client.post("/logout")

    response = login(client, "finance")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert client.get("/home").status_code == 302  # the password alone is not a login
    page = client.get("/login/code")
    assert page.status_code == 200 and "两步验证" in page.get_data(as_text=True)

    bad = client.post("/login/code", data={"code": "not-a-code"})
    assert bad.status_code == 400 and CODE_MESSAGE in bad.get_data(as_text=True)
    wrong = client.post("/login/code", data={"code": _wrong_code(secret)})
    assert wrong.status_code == 401 and "验证码不正确" in wrong.get_data(as_text=True)
    assert client.get("/home").status_code == 302

    code = _code(secret)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/home").status_code == 200

    # The same code does not open a second login (it was used).
    other = app.test_client()
    login(other, "finance")
    assert other.post("/login/code", data={"code": code}).status_code == 401
    user = _user(session, "finance")
    kinds = session.scalars(select(LoginEvent.kind).where(LoginEvent.user_id == user.id)).all()
    assert LoginEventKind.CODE_FAILURE in kinds and LoginEventKind.TWO_FACTOR_ON in kinds


def test_the_code_step_without_a_password_step_goes_back_to_login(client, demo):
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_accepted_long_ago_needs_to_be_given_again(client, demo, session, clock,
                                                              monkeypatch):
    login(client, "auditor")
    secret = _enrol(client, session, "auditor", clock=clock)
    client.post("/logout")
    login(client, "auditor")
    import market.accounts.views as views
    real_time = views.time.time
    monkeypatch.setattr(views.time, "time", lambda: real_time() + 6 * 60)
    response = client.post("/login/code", data={"code": _code(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_wrong_codes_are_throttled_like_wrong_passwords(app, demo, session, clock):
    client = client_from(app, "203.0.113.9")
    login(client, "civil")
    secret = _enrol(client, session, "civil", clock=clock)
    client.post("/logout")
    login(client, "civil")
    for _ in range(5):
        assert client.post("/login/code", data={"code": _wrong_code(secret)}).status_code == 401
    response = client.post("/login/code", data={"code": _code(secret)})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_turning_it_off_needs_a_current_code(client, demo, session, clock):
    login(client, "finance")
    secret = _enrol(client, session, clock=clock)
    bad = client.post("/account/two-factor/disable", data={"code": "x"})
    assert bad.status_code == 400 and CODE_MESSAGE in bad.get_data(as_text=True)
    wrong = client.post("/account/two-factor/disable", data={"code": _wrong_code(secret)})
    assert wrong.status_code == 422
    assert _user(session, "finance").two_factor_enabled
    assert client.post("/account/two-factor/disable",
                       data={"code": _code(secret)}).status_code == 302
    assert not _user(session, "finance").two_factor_enabled
    client.post("/logout")
    assert login(client, "finance").headers["Location"].endswith("/home")


def test_only_the_roles_that_may_enrol_see_it(client, demo):
    login(client, "org")
    assert "设置两步验证" not in client.get("/account").get_data(as_text=True)
    assert client.post("/account/two-factor/start").status_code == 403


def test_the_operator_can_reset_a_lost_second_factor(app, client, demo, session, clock):
    login(client, "finance")
    _enrol(client, session, clock=clock)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-two-factor", "finance"])
    assert result.exit_code == 0, result.output
    assert not _user(session, "finance").two_factor_enabled
    assert client.get("/home").status_code == 302  # and every session ended
    assert login(client, "finance").headers["Location"].endswith("/home")
    assert runner.invoke(args=["users", "reset-two-factor", "nobody"]).exit_code != 0


def test_the_operator_can_log_a_user_out_everywhere(app, client, demo):
    login(client, "dept")
    result = app.test_cli_runner().invoke(args=["users", "logout-everywhere", "dept"])
    assert result.exit_code == 0, result.output
    assert client.get("/home").status_code == 302


def test_the_password_again_does_not_buy_fresh_guesses_at_the_code(app, demo, session, clock):
    client = client_from(app, "203.0.113.10")
    login(client, "civil")
    secret = _enrol(client, session, "civil", clock=clock)
    client.post("/logout")
    login(client, "civil")
    for _ in range(4):
        client.post("/login/code", data={"code": _wrong_code(secret)})
    assert login(client, "civil").status_code == 302  # the password is known ...
    assert client.post("/login/code", data={"code": _wrong_code(secret)}).status_code == 401
    response = client.post("/login/code", data={"code": _code(secret)})
    assert response.status_code == 429  # ... but the fifth wrong code still counts
