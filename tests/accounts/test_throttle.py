"""Issue 9 (6): failed logins slow down the (account, address) pair that fails, ask a
question when an account or an address is under attack, and never lock the owner out."""
from __future__ import annotations

import re
import socket
import time
import uuid

import pytest
from sqlalchemy import select

from market.accounts.models import LoginEvent, LoginEventKind, User
from market.db import get_session
from market.demo import seed
from market.security import LoginThrottle
from tests.accounts.conftest import client_from, login

ATTACKER = "203.0.113.5"
OWNER = "198.51.100.7"
QUESTION = re.compile(r"(\d+) 加 (\d+) 等于多少")


def _seed(app):
    with app.app_context():
        seed(get_session())
        get_session().commit()
    return app


def _answer(html: str) -> str:
    m = QUESTION.search(html)
    assert m, "no question on the page"
    return str(int(m.group(1)) + int(m.group(2)))


def test_five_wrong_passwords_from_one_address_do_not_stop_the_owner_elsewhere(app, demo):
    attacker = client_from(app, ATTACKER)
    for _ in range(5):
        assert login(attacker, "finance", "wrong-password").status_code == 401
    assert login(attacker, "finance").status_code == 429  # that pair waits ...
    owner = client_from(app, OWNER)
    assert login(owner, "finance").status_code == 302  # ... the owner does not
    assert owner.get("/home").status_code == 200


def test_the_pair_throttle_answers_429_with_retry_after(app, demo):
    client = client_from(app, ATTACKER)
    for _ in range(5):
        login(client, "civil", "wrong-password")
    response = login(client, "civil")
    assert response.status_code == 429
    assert 25 <= int(response.headers["Retry-After"]) <= 30
    assert "尝试次数过多" in response.get_data(as_text=True)
    # Only that pair: another account from the same address is not held up.
    assert login(client, "finance").status_code == 302


def test_the_delay_grows_with_each_further_failure(make_app):
    app = _seed(make_app(LOGIN_DELAY_BASE_SECONDS=1))
    client = client_from(app, ATTACKER)
    for _ in range(5):
        assert login(client, "civil", "wrong-password").status_code == 401
    assert login(client, "civil", "wrong-password").headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert login(client, "civil", "wrong-password").status_code == 401  # 6th failure
    response = login(client, "civil", "wrong-password")
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"


def test_an_account_attacked_from_many_addresses_asks_a_question_not_a_lock(app, demo):
    for i in range(10):
        assert login(client_from(app, f"192.0.2.{i + 1}"), "auditor", "guess").status_code == 401
    owner = client_from(app, OWNER)
    first = login(owner, "auditor")
    assert first.status_code == 400  # the password is not looked at without the answer
    html = first.get_data(as_text=True)
    assert owner.get("/home").status_code == 302
    # A wrong answer: a new question, still not in.
    wrong = login(owner, "auditor", answer="-1")
    assert wrong.status_code == 400 and "回答不正确" in wrong.get_data(as_text=True)
    html = wrong.get_data(as_text=True)
    saved = owner.get_cookie("session").value
    assert login(owner, "auditor", answer=_answer(html)).status_code == 302
    assert owner.get("/home").status_code == 200
    # The same question cannot be answered twice (a replayed cookie).
    replay = client_from(app, "192.0.2.200")
    replay.set_cookie("session", saved)
    assert login(replay, "auditor", answer=_answer(html)).status_code == 400


def test_an_address_trying_many_accounts_is_asked_too(app, demo):
    sprayer = client_from(app, ATTACKER)
    for i in range(20):
        login(sprayer, f"nobody{i}", "guess")
    colleague = login(sprayer, "dept")  # same office network: asked, not locked out
    assert colleague.status_code == 400 and QUESTION.search(colleague.get_data(as_text=True))
    answered = login(sprayer, "dept", answer=_answer(colleague.get_data(as_text=True)))
    assert answered.status_code == 302
    assert login(client_from(app, OWNER), "org").status_code == 302


def test_garbage_answers_are_a_clear_400(app, demo):
    response = login(client_from(app), "civil", answer="abc")
    assert response.status_code == 400
    assert "请用数字作答" in response.get_data(as_text=True)


def _last_address(session, username):
    user = session.scalar(select(User).where(User.username == username))
    return session.scalar(select(LoginEvent.address).where(LoginEvent.user_id == user.id)
                          .order_by(LoginEvent.id.desc()).limit(1))


def test_x_forwarded_for_is_ignored_without_a_proxy_count(app, demo, session):
    client = client_from(app, ATTACKER)
    for i in range(5):
        client.post("/login", data={"username": "civil", "password": "bad"},
                    headers={"X-Forwarded-For": f"10.9.8.{i}"})
    response = client.post("/login", data={"username": "civil", "password": "bad"},
                           headers={"X-Forwarded-For": OWNER})
    assert response.status_code == 429  # a claimed address is not a new address
    assert _last_address(session, "civil") == ATTACKER


def test_x_forwarded_for_is_honoured_through_one_proxy(make_app, session):
    app = _seed(make_app(PROXY_COUNT=1))
    proxy = client_from(app, "10.0.0.1")  # every request arrives from the proxy
    for _ in range(5):
        proxy.post("/login", data={"username": "civil", "password": "bad"},
                   headers={"X-Forwarded-For": ATTACKER})
    blocked = proxy.post("/login", data={"username": "civil", "password": "demo-pass-2026"},
                         headers={"X-Forwarded-For": ATTACKER})
    assert blocked.status_code == 429
    # The proxy appends the real peer; what the client wrote before it is not believed.
    owner = client_from(app, "10.0.0.1")
    ok = owner.post("/login", data={"username": "civil", "password": "demo-pass-2026"},
                    headers={"X-Forwarded-For": f"{ATTACKER}, {OWNER}"})
    assert ok.status_code == 302
    assert _last_address(session, "civil") == OWNER


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_the_throttle_works_on_the_shared_redis_store():
    import redis

    prefix = f"market-login-test-{uuid.uuid4().hex[:8]}"
    uri = "redis://127.0.0.1:6379"
    # Two workers, one store: what one counts, the other sees.
    worker_a = LoginThrottle(uri, max_failures=3, delay_base=30, prefix=prefix,
                             account_challenge_after=5)
    worker_b = LoginThrottle(uri, max_failures=3, delay_base=30, prefix=prefix,
                             account_challenge_after=5)
    try:
        for worker in (worker_a, worker_b, worker_a):
            assert not worker.check("civil", ATTACKER).retry_after
            worker.failed("civil", ATTACKER)
        verdict = worker_b.check("civil", ATTACKER)
        assert 25 <= verdict.retry_after <= 30
        assert worker_b.check("civil", OWNER).retry_after == 0
        worker_a.failed("civil", "192.0.2.1")
        worker_a.failed("civil", "192.0.2.2")
        assert worker_b.check("civil", OWNER).challenge  # 5 failures on the account
        worker_b.succeeded("civil", ATTACKER)
        assert worker_a.check("civil", ATTACKER).retry_after == 0
        assert worker_a.first_use("n1") and not worker_b.first_use("n1")
    finally:
        client = redis.Redis.from_url(uri)
        for key in client.scan_iter(f"LIMITS:{prefix}*"):
            client.delete(key)


def test_failures_and_logins_are_recorded_with_address_and_agent(app, demo, session):
    login(client_from(app, ATTACKER, "EvilBot/1.0"), "finance", "wrong")
    login(client_from(app, OWNER, "Firefox/140"), "finance")
    user = session.scalar(select(User).where(User.username == "finance"))
    events = session.scalars(select(LoginEvent).where(LoginEvent.user_id == user.id)
                             .order_by(LoginEvent.id)).all()
    assert [(e.kind, e.address, e.user_agent) for e in events] == [
        (LoginEventKind.FAILURE, ATTACKER, "EvilBot/1.0"),
        (LoginEventKind.LOGIN, OWNER, "Firefox/140")]
