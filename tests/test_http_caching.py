"""HTTP caching (market/core/caching.py): the public gets an ETag on what it reads and a
304 when it already holds it; a change, another language or another visitor gets the
page afresh; a login gets nothing cacheable; downloads keep streaming."""
from __future__ import annotations

import re

from itsdangerous import TimestampSigner

from market.core import caching
from market.tenders import tender_services
from tests.factories import budget_item, new_tender, user

TENDERS = "/tenders/"


def _revalidate(client, url: str, etag: str):
    return client.get(url, headers={"If-None-Match": etag})


def _csrf_tokens(response) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)))


def test_the_same_page_a_minute_later_is_still_304(client, demo, monkeypatch):
    """The CSRF token is signed with the time, so a later render differs in it alone:
    the page is the same, and its tag too."""
    first = client.get(TENDERS)
    later = TimestampSigner.get_timestamp(None) + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)

    rendered_again = client.get(TENDERS)
    assert _csrf_tokens(rendered_again) != _csrf_tokens(first)  # the render did differ
    assert rendered_again.headers["ETag"] == first.headers["ETag"]
    assert _revalidate(client, TENDERS, first.headers["ETag"]).status_code == 304


def test_a_public_page_is_answered_304_while_it_is_unchanged(client, demo):
    first = client.get(TENDERS)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert "Cookie" in first.headers["Vary"]
    # Always revalidated, and kept by the browser only (it holds this visitor's CSRF token).
    assert first.cache_control.no_cache and first.cache_control.private

    again = _revalidate(client, TENDERS, etag)
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    head = client.head(TENDERS, headers={"If-None-Match": etag})
    assert head.status_code == 304


def test_with_a_token_time_limit_a_page_is_confirmed_for_half_of_it(app, client, demo,
                                                                    monkeypatch):
    """A confirmed page's token must still validate: past half the limit, a new page."""
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    start = 1_800_000_000.0  # the start of a half-hour window
    monkeypatch.setattr(caching, "wall_time", lambda: start)
    etag = client.get(TENDERS).headers["ETag"]
    monkeypatch.setattr(caching, "wall_time", lambda: start + 1799)
    assert _revalidate(client, TENDERS, etag).status_code == 304
    monkeypatch.setattr(caching, "wall_time", lambda: start + 1800)
    assert _revalidate(client, TENDERS, etag).status_code == 200


def test_a_new_tender_changes_the_etag(client, demo, session, clock):
    etag = client.get(TENDERS).headers["ETag"]
    tender = new_tender(session, clock, item=budget_item(session))

    fresh = _revalidate(client, TENDERS, etag)
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] != etag
    assert tender.reference in fresh.get_data(as_text=True)


def test_each_language_has_its_own_etag(client, demo):
    zh = client.get(TENDERS).headers["ETag"]
    client.post("/language/en", data={"next": "/"})

    en = _revalidate(client, TENDERS, zh)
    assert en.status_code == 200
    assert en.headers["ETag"] != zh
    assert "Tenders" in en.get_data(as_text=True)
    assert _revalidate(client, TENDERS, en.headers["ETag"]).status_code == 304


def test_another_visitor_never_gets_a_page_with_someone_elses_csrf_token(app, client, demo):
    etag = client.get(TENDERS).headers["ETag"]
    stranger = app.test_client()  # no session: the page it would keep is not its own

    answer = _revalidate(stranger, TENDERS, etag)
    assert answer.status_code == 200
    assert answer.headers["ETag"] != etag


def test_a_flashed_message_is_shown_not_confirmed_away(client, demo):
    etag = client.get(TENDERS).headers["ETag"]
    with client.session_transaction() as s:
        s["_flashes"] = [("info", "A message for this visitor")]

    answer = _revalidate(client, TENDERS, etag)
    assert answer.status_code == 200
    assert "A message for this visitor" in answer.get_data(as_text=True)
    # Shown once: the page without it is the one first held, confirmed again.
    assert _revalidate(client, TENDERS, etag).status_code == 304


def test_a_logged_in_page_gets_no_etag_and_is_not_stored(client, auth, demo):
    anonymous = client.get(TENDERS).headers["ETag"]
    auth.login("dept")

    for url in (TENDERS, "/"):
        response = _revalidate(client, url, anonymous)
        assert response.status_code == 200, url
        assert "ETag" not in response.headers, url
        assert response.cache_control.private and response.cache_control.no_store, url


def test_a_logged_in_download_gets_no_etag(client, auth, demo):
    auth.login("dept")
    response = client.get(f"{TENDERS}?format=xlsx")
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert response.cache_control.no_store


def test_the_public_api_answers_304(client, demo, session, clock):
    new_tender(session, clock, item=budget_item(session))
    first = client.get("/api/v1/tenders")
    assert first.status_code == 200 and first.is_json
    assert first.cache_control.no_cache
    assert _revalidate(client, "/api/v1/tenders", first.headers["ETag"]).status_code == 304


def test_an_ocds_record_answers_304_until_the_process_changes(client, demo, session, clock):
    tender = new_tender(session, clock, item=budget_item(session))
    url = f"/ocds/{tender.reference}/record.json"
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')  # publishedDate is the request's moment: same content
    assert "Last-Modified" not in first.headers
    assert _revalidate(client, url, etag).status_code == 304
    assert _revalidate(client, f"/api/v1/ocds/{tender.reference}/record",
                       etag).status_code == 200  # another resource, another tag

    tender_services.cancel_tender(session, user(session, "dept"), tender.id,
                                  "The service is no longer needed.")
    session.commit()
    changed = _revalidate(client, url, etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "tenderCancellation" in changed.get_data(as_text=True)


def test_the_tender_list_csv_streams_without_an_etag(client, demo, session, clock):
    """A select's rows have no cheap fingerprint (market/core/listing.py): it streams."""
    tender = new_tender(session, clock, item=budget_item(session))
    response = client.get(f"{TENDERS}?format=csv")
    assert response.status_code == 200 and response.is_streamed
    assert "ETag" not in response.headers
    assert tender.reference in response.get_data(as_text=True)


def test_a_computed_csv_streams_with_an_etag_of_its_rows(client, demo):
    url = "/qualified-organizations.csv"
    first = client.get(url)
    assert first.status_code == 200 and first.is_streamed
    etag = first.headers["ETag"]
    body = first.get_data()
    assert body.startswith(b"\xef\xbb\xbf")

    again = _revalidate(client, url, etag)
    assert again.status_code == 304 and again.data == b""
    client.post("/language/en", data={"next": "/"})
    english = _revalidate(client, url, etag)
    assert english.status_code == 200 and english.headers["ETag"] != etag


def test_an_excel_download_answers_304_though_its_bytes_differ(client, demo, session, clock):
    new_tender(session, clock, item=budget_item(session))
    url = f"{TENDERS}?format=xlsx"
    first = client.get(url)
    assert first.status_code == 200
    assert _revalidate(client, url, first.headers["ETag"]).status_code == 304
    new_tender(session, clock)  # on a demo item
    assert _revalidate(client, url, first.headers["ETag"]).status_code == 200


def test_static_files_keep_their_own_validators_for_everyone(client, auth, demo):
    """send_file answers conditionals itself; a login does not make a stylesheet no-store."""
    first = client.get("/static/css/app.css")
    assert first.status_code == 200 and first.headers["ETag"]
    assert _revalidate(client, "/static/css/app.css", first.headers["ETag"]).status_code == 304
    auth.login("dept")
    logged_in = client.get("/static/css/app.css")
    assert logged_in.headers["ETag"] == first.headers["ETag"]
    assert not logged_in.cache_control.no_store
    first.close(), logged_in.close()
