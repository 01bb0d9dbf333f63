"""Fava carries the platform's security headers, and nothing on the site — Fava's
``jump``, the error page's "go back" link, a failed form's return, the login's ``next`` —
sends anyone off-site (issue 9, finding 9)."""
from __future__ import annotations

import pytest

from market.security import local_path, same_site_path
from tests.auditor.test_auditor_workspace import approved  # noqa: F401  (fixture)

HEADERS = ["X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
           "Permissions-Policy", "Cross-Origin-Opener-Policy", "Content-Security-Policy"]

OFF_SITE = ["http://evil.example/page", "https://evil.example/", "//evil.example/x",
            "///evil.example/x", "/\\evil.example/x", "\\\\evil.example/x", "/\\/evil.example",
            "http://localhost//evil.example/x", "http://localhost/\\evil.example",
            "http://localhost@evil.example/", "http://evil.example\\@localhost/",
            "/\t/evil.example", " //evil.example", "javascript:alert(1)",
            "http:evil.example", "https:///evil.example", "data:text/html,x",
            "HTTP://EVIL.EXAMPLE/"]


def _platform_headers(client) -> dict:
    response = client.get("/")
    return {h: response.headers[h] for h in HEADERS}


def _bfile(client) -> str:
    return client.get("/audit/fava/").headers["Location"].split("/audit/fava/")[1].split("/")[0]


def test_every_fava_response_has_the_platforms_headers(client, auth, approved):  # noqa: F811
    expected = _platform_headers(client)
    anonymous = client.get("/audit/fava/")
    assert anonymous.status_code == 302
    auth.login("auditor")
    bfile = _bfile(client)
    responses = [anonymous, client.get("/audit/fava/"),
                 client.get(f"/audit/fava/{bfile}/balance_sheet/"),
                 client.get(f"/audit/fava/{bfile}/api/balance_sheet"),
                 client.get(f"/audit/fava/{bfile}/editor/"),  # refused by the gate
                 client.get(f"/audit/fava/{bfile}/no-such-page/")]
    auth.logout()
    auth.login("org")
    responses.append(client.get("/audit/fava/"))  # refused: not an auditor
    for response in responses:
        got = {h: response.headers.get(h) for h in HEADERS}
        assert got == expected, (response.status_code, response.request.path)


def test_favas_jump_never_leaves_the_site(client, auth, approved):  # noqa: F811
    auth.login("auditor")
    for referrer in OFF_SITE:
        response = client.get("/audit/fava/jump?time=year", headers={"Referer": referrer})
        assert response.status_code in (301, 302, 303, 307, 308), referrer
        location = response.headers["Location"]
        assert local_path(location) is not None, (referrer, location)
        assert "evil" not in location.lower(), (referrer, location)


def test_favas_jump_still_returns_to_the_page(client, auth, approved):  # noqa: F811
    auth.login("auditor")
    bfile = _bfile(client)
    page = f"http://localhost/audit/fava/{bfile}/balance_sheet/?time=2027&conversion=at_cost"
    response = client.get("/audit/fava/jump?time=year", headers={"Referer": page})
    location = response.headers["Location"]
    assert location.startswith(f"/audit/fava/{bfile}/balance_sheet/?")
    assert "time=year" in location and "conversion=at_cost" in location


def test_the_error_pages_back_link_stays_on_the_site(client, demo):
    for referrer in OFF_SITE:
        html = client.get("/no-such-page", headers={"Referer": referrer}).get_data(as_text=True)
        assert "evil" not in html.lower(), referrer
        assert "javascript:" not in html and "data:text" not in html, referrer


def test_the_error_pages_back_link_returns_to_our_page(client, demo):
    html = client.get("/no-such-page", headers={
        "Referer": "http://localhost/tenders/?page=2"}).get_data(as_text=True)
    assert 'href="/tenders/?page=2"' in html


def test_the_login_never_sends_anyone_off_site(client, demo):
    for target in OFF_SITE:
        client.post("/logout")
        response = client.post("/login", query_string={"next": target},
                               data={"username": "civil", "password": "demo-pass-2026"})
        assert response.status_code == 302, target
        assert local_path(response.headers["Location"]) is not None, target
        assert "evil" not in response.headers["Location"].lower(), target


def test_a_language_switch_never_sends_anyone_off_site(client, demo):
    for referrer in OFF_SITE:
        response = client.post("/language/en", headers={"Referer": referrer})
        assert "evil" not in response.headers["Location"].lower(), referrer


def test_a_refused_answer_returns_only_to_our_pages(client, auth, demo, session, clock):
    from market.tenders import clarifications
    from tests.factories import new_tender as make_tender, org_member as make_org

    tender = make_tender(session, clock)
    _, asker = make_org(session)
    question = clarifications.ask_question(session, asker, tender.id, "服务范围是否包含周末？")
    session.commit()
    auth.login("dept")
    for referrer in OFF_SITE:
        response = client.post(f"/tenders/questions/{question.id}/answer", data={"answer": ""},
                               headers={"Referer": referrer})
        assert response.status_code == 302  # refused (an empty answer), sent back
        assert local_path(response.headers["Location"]) is not None, referrer
        assert "evil" not in response.headers["Location"].lower(), referrer
    back = f"http://localhost/tenders/{tender.id}?tab=questions"
    response = client.post(f"/tenders/questions/{question.id}/answer", data={"answer": ""},
                           headers={"Referer": back})
    assert response.headers["Location"] == f"/tenders/{tender.id}?tab=questions"


@pytest.mark.parametrize("url", OFF_SITE + ["/\n/evil.example", "/\r/evil.example"])
def test_the_helpers_refuse_everything_off_site(url):
    assert same_site_path(url, "localhost") is None
    assert local_path(url) is None


def test_the_helpers_keep_our_own_paths():
    assert same_site_path("http://localhost/a/b?c=1", "localhost") == "/a/b?c=1"
    assert same_site_path("https://LOCALHOST/a", "localhost") == "/a"
    assert same_site_path("/a?x=%2F%2Fevil", "localhost") == "/a?x=%2F%2Fevil"
    assert local_path("/tenders/3#q") == "/tenders/3#q"
    assert local_path("/") == "/"
