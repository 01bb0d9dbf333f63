"""Finding 8 of the hostile probe (issue 9): bad input answered 500. Each class of bad input
is now a 4xx with a translated reason (checked in Chinese and in English) that changes
nothing: every table's row count (ledger included) is the same after the refusal.

Each test failed on the code before the fix (market/core/inputs.py, market/api/body.py):
a JSON array body (``list.get``), a number for the proposal (``int.strip``), a list for a
document id (unhashable), a JSON number amount (a float reached ``parse_money``), ids and
page numbers beyond 2**63 (SQLite's driver overflows; PostgreSQL's already beyond 2**31),
an unknown category in the API (enum lookup), NUL bytes and deep JSON all answered 500; a
list for the question text was stored as "['...']", a NUL byte was stored on SQLite.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from ledger.models import LedgerBase
from market.catalogs.models import Catalog, CatalogStatus
from market.models import Base
from tests.factories import bid_of, new_tender, org_member, place_bid
from tests.probes.conftest import login

HUGE_IDS = ["2147483648", "9223372036854775808", "1" + "0" * 40]
ZH, EN = "zh", "en"


def all_counts(session) -> dict[str, int]:
    """Rows of every table of the application and of the ledger."""
    session.expire_all()
    tables = [*Base.metadata.sorted_tables, *LedgerBase.metadata.sorted_tables]
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in tables}


@pytest.fixture
def bidding(app, demo, session, clock):
    """A published tender open for bids and clarification questions; an organization user
    (with a bid on it) and one without."""
    tender = new_tender(session, clock)
    _org, bidder = org_member(session)
    _other, asker = org_member(session)
    session.commit()
    place_bid(session, bidder, tender)
    return tender, bidder, asker


def _client(app, username, language):
    return login(app, username, language)


def _api_message(response) -> str:
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)[:300]
    return body["message"]


# --- a JSON body that is not an object ----------------------------------------------------

NOT_OBJECT = {ZH: "请求正文必须是 JSON 对象", EN: "The request body must be a JSON object"}


@pytest.mark.parametrize("body", ["[1, 2]", "\"text\"", "5", "null x", "{\"price\": "])
@pytest.mark.parametrize("language", [ZH, EN])
def test_a_json_body_that_is_not_an_object_is_refused(app, session, bidding, body, language):
    tender, bidder, _asker = bidding
    client = _client(app, bidder.username, language)
    before = all_counts(session)
    response = client.put(f"/api/v1/tenders/{tender.id}/my-bid", data=body,
                          content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_input"
    message = _api_message(response)
    if body in ("null x", "{\"price\": "):  # not JSON at all
        assert message == {ZH: "请求正文不是有效的 JSON。",
                           EN: "The request body is not valid JSON."}[language]
    else:
        assert message.startswith(NOT_OBJECT[language])
    assert all_counts(session) == before


# --- fields of the wrong type -------------------------------------------------------------

WRONG_TYPES = [
    # (endpoint, body, field, zh, en)
    ("bid", {"price": "250000.00", "proposal": 12345}, "proposal",
     "字段“proposal”必须是文本。", "The field “proposal” must be text."),
    ("bid", {"price": True, "proposal": "方案"}, "price",
     "字段“price”必须是以元为单位的金额", "The field “price” must be an amount in yuan"),
    ("bid", {"price": ["250000.00"], "proposal": "方案"}, "price",
     "字段“price”必须是以元为单位的金额", "The field “price” must be an amount in yuan"),
    ("bid", {"price": "250000.00", "proposal": "方案", "remove_document_ids": [[1]]},
     "remove_document_ids", "字段“remove_document_ids”必须是编号（整数）列表。",
     "The field “remove_document_ids” must be a list of ids (whole numbers)."),
    ("bid", {"price": "250000.00", "proposal": "方案", "remove_document_ids": 7},
     "remove_document_ids", "字段“remove_document_ids”必须是编号（整数）列表。",
     "The field “remove_document_ids” must be a list of ids (whole numbers)."),
    ("question", {"question": ["什么时候开标？"]}, "question",
     "字段“question”必须是文本。", "The field “question” must be text."),
    ("question", {"question": {"text": "x"}}, "question",
     "字段“question”必须是文本。", "The field “question” must be text."),
]


@pytest.mark.parametrize("endpoint, body, field, zh, en", WRONG_TYPES)
def test_fields_of_the_wrong_type_are_refused(app, session, bidding, endpoint, body, field,
                                              zh, en):
    tender, bidder, asker = bidding
    stored = bid_of(session, tender, bidder)
    price_before, proposal_before = stored.price, stored.proposal
    for language, expected in ((ZH, zh), (EN, en)):
        who = bidder if endpoint == "bid" else asker
        client = _client(app, who.username, language)
        before = all_counts(session)
        if endpoint == "bid":
            response = client.put(f"/api/v1/tenders/{tender.id}/my-bid", json=body)
        else:
            response = client.post(f"/api/v1/tenders/{tender.id}/questions", json=body)
        assert response.status_code == 400, response.get_data(as_text=True)[:300]
        assert response.get_json()["error"] == "bad_input"
        assert _api_message(response).startswith(expected)
        assert all_counts(session) == before
    session.expire_all()
    stored = bid_of(session, tender, bidder)
    assert (stored.price, stored.proposal) == (price_before, proposal_before)


# --- amounts such as 1e30 in every money field --------------------------------------------

EXPONENT = {ZH: "请用数字直接写出金额，例如 120000.00。",
            EN: "Write the amount out in digits, e.g. 120000.00."}
TOO_LARGE = {ZH: "金额过大（最多 10,000,000,000,000.00 元）。",
             EN: "The amount is too large (at most 10,000,000,000,000.00 yuan)."}


@pytest.mark.parametrize("language", [ZH, EN])
def test_an_amount_as_a_json_number_is_read_exactly_and_1e30_is_too_large(
        app, session, bidding, language):
    """A JSON number reached the money parser as a float (a TypeError, 500). Numbers are
    now read as exact decimals: 1e30 is refused as too large, "1e30" as exponent form."""
    tender, bidder, _asker = bidding
    client = _client(app, bidder.username, language)
    before = all_counts(session)
    for raw, expected in (("1e30", TOO_LARGE), ("1E+30", TOO_LARGE), ("-1e30", TOO_LARGE),
                          ("\"1e30\"", EXPONENT), ("\"NaN\"", None)):
        response = client.put(f"/api/v1/tenders/{tender.id}/my-bid",
                              data=f'{{"price": {raw}, "proposal": "方案"}}',
                              content_type="application/json")
        assert 400 <= response.status_code < 500, raw
        if expected is not None:
            assert _api_message(response) == expected[language], raw
    # NaN and Infinity are not JSON numbers at all.
    response = client.put(f"/api/v1/tenders/{tender.id}/my-bid",
                          data='{"price": NaN, "proposal": "方案"}',
                          content_type="application/json")
    assert response.status_code == 400
    assert all_counts(session) == before
    # An exact JSON number is an amount like any other.
    response = client.put(f"/api/v1/tenders/{tender.id}/my-bid",
                          data='{"price": 240000.5, "proposal": "方案"}',
                          content_type="application/json")
    assert response.status_code == 200
    session.expire_all()
    assert str(bid_of(session, tender, bidder).price) == "240000.50"


def _money_form_cases(session, tender, bidder):
    draft = session.scalar(select(Catalog).where(Catalog.status == CatalogStatus.DRAFT))
    item = dict(service_category="health", title="社区健康宣教服务", quantity="100", unit="场次",
                eligible_categories=["charity"], min_grade="0")
    return [
        (bidder.username, f"/tenders/{tender.id}/bid", {"price": "1e30", "proposal": "方案"}),
        ("dept", f"/catalogs/{draft.id}/items", dict(item, budget="1e30")),
        ("org", "/my/annual-reports/new", {"year": "2025", "income": "1e30",
                                           "expenditure": "1", "net_assets": "1",
                                           "staff_count": "3"}),
        ("org", "/my/annual-reports/new", {"year": "2025", "income": "1", "expenditure": "1",
                                           "net_assets": "-1e30", "staff_count": "3"}),
    ]


@pytest.mark.parametrize("language", [ZH, EN])
def test_1e30_in_the_money_fields_of_the_forms_is_refused(app, session, bidding, language):
    """The forms' amounts go through the one money parser: these were already refused
    before the fix (a guard that they stay refused); the API case above was the 500."""
    tender, bidder, _asker = bidding
    for username, url, data in _money_form_cases(session, tender, bidder):
        client = _client(app, username, language)
        before = all_counts(session)
        response = client.post(url, data=data)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert EXPONENT[language] in response.get_data(as_text=True), url
        assert all_counts(session) == before


# --- ids and page numbers beyond the database's integer range ------------------------------

NOT_FOUND = {ZH: "您访问的页面或对象不存在。", EN: "The page or object you asked for does not exist."}


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_ids_beyond_the_integer_range_are_not_found(app, session, bidding, huge):
    tender, bidder, _asker = bidding
    for language in (ZH, EN):
        client = _client(app, bidder.username, language)
        before = all_counts(session)
        for url in (f"/tenders/{huge}", f"/organizations/{huge}", f"/contracts/{huge}",
                    f"/catalogs/{huge}", f"/tenders/bids/{huge}"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert NOT_FOUND[language] in response.get_data(as_text=True), url
        for url in (f"/api/v1/tenders/{huge}", f"/api/v1/bids/{huge}",
                    f"/api/v1/contracts/{huge}"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert _api_message(response) == NOT_FOUND[language]
        assert client.post(f"/tenders/{huge}/bid", data={"price": "1", "proposal": "x"}
                           ).status_code == 404
        assert client.put(f"/api/v1/tenders/{huge}/my-bid",
                          json={"price": "1", "proposal": "x"}).status_code == 404
        assert all_counts(session) == before


IGNORED = {ZH: "无法识别筛选条件“{name}”的值“{value}”，已忽略。",
           EN: "The value “{value}” of the filter “{name}” is not understood and was ignored."}


@pytest.mark.parametrize("language", [ZH, EN])
def test_filters_and_page_numbers_beyond_the_range_are_ignored_on_pages(app, session,
                                                                      bidding, language):
    client = _client(app, "dept", language)
    huge = HUGE_IDS[1]
    for url, name in (("/tenders/", "department"), ("/tenders/", "fy"), ("/tenders/", "page"),
                      ("/catalogs/", "department"), ("/organizations/", "town"),
                      ("/organizations/", "page"), ("/contracts/", "page"),
                      ("/qualified-organizations", "town"), ("/qualified-organizations", "grade")):
        response = client.get(url, query_string={name: huge})
        assert response.status_code == 200, (url, name, response.status_code)
        html = response.get_data(as_text=True)
        assert IGNORED[language].format(name=name, value=huge) in html, (url, name)
    # A year beyond the range, or outside 1900–2100, is not a year: ignored too.
    civil = _client(app, "civil", language)
    for year in (huge, "99999", "1899"):
        response = civil.get("/tenders/calendar", query_string={"year": year})
        assert response.status_code == 200
        assert IGNORED[language].format(name="year", value=year) in response.get_data(
            as_text=True)
    # /tenders/new?item=<huge>: no such item, the page to choose one.
    assert client.get(f"/tenders/new?item={huge}").status_code == 200


@pytest.mark.parametrize("language", [ZH, EN])
def test_filters_and_page_numbers_beyond_the_range_are_refused_in_the_api(app, session,
                                                                        bidding, language):
    client = _client(app, None, language)
    for name in ("page", "department", "fy"):
        for value in (HUGE_IDS[1], "abc", "-1"):
            response = client.get("/api/v1/tenders", query_string={name: value})
            assert response.status_code == 400, (name, value)
            assert response.get_json()["error"] == "bad_input"
            message = _api_message(response)
            assert (f"“{name}”必须是" if language == ZH else f"“{name}” must be a whole number") \
                in message, message


# --- an unknown category filter -----------------------------------------------------------

@pytest.mark.parametrize("language", [ZH, EN])
def test_an_unknown_category_or_status_filter(app, session, bidding, language):
    client = _client(app, None, language)
    for name in ("category", "status"):
        response = client.get("/api/v1/tenders", query_string={name: "bogus"})
        assert response.status_code == 400
        message = _api_message(response)
        assert message.startswith(f"“{name}”必须是以下之一：" if language == ZH
                                  else f"“{name}” must be one of: ")
    # Pages ignore an unknown filter with a message and list everything.
    response = client.get("/tenders/", query_string={"category": "health"})
    assert response.status_code == 200
    response = client.get("/api/v1/tenders", query_string={"category": "health"})
    assert response.status_code == 200


# --- a NUL byte (or half a surrogate pair) in any text ------------------------------------

BAD_CHAR = {ZH: "请求中含有无法保存的字符（空字符或损坏的 Unicode 字符）",
            EN: "The request contains a character that cannot be stored (a NUL byte or a "
                "broken Unicode character)"}


@pytest.mark.parametrize("language", [ZH, EN])
def test_a_nul_byte_in_any_text_is_refused(app, session, bidding, language):
    tender, bidder, asker = bidding
    client = _client(app, asker.username, language)
    before = all_counts(session)
    attempts = [
        client.post(f"/tenders/{tender.id}/questions", data={"question": "开标\x00时间？"}),
        client.post(f"/tenders/{tender.id}/bid", data={"price": "1000", "proposal": "a\x00"}),
        client.post(f"/tenders/{tender.id}/questions", data={"question\x00": "x"}),
        client.get("/organizations/", query_string={"q": "慈\x00善"}),
        client.get("/tenders/%00"),
        client.post(f"/api/v1/tenders/{tender.id}/questions",
                    data='{"question": "a\\u0000b"}', content_type="application/json"),
        client.post(f"/api/v1/tenders/{tender.id}/questions",
                    data='{"question": "half a pair \\ud800"}', content_type="application/json"),
        client.post(f"/api/v1/tenders/{tender.id}/questions",
                    data='{"question\\u0000": "x"}', content_type="application/json"),
    ]
    for i, response in enumerate(attempts):
        assert response.status_code == 400, (i, response.status_code)
        text = _api_message(response) if response.is_json else response.get_data(as_text=True)
        assert BAD_CHAR[language] in text, i
    assert all_counts(session) == before


# --- deeply nested JSON, and JSON outside the API ------------------------------------------

@pytest.mark.parametrize("language", [ZH, EN])
def test_deeply_nested_json_is_refused_before_it_is_parsed(app, session, bidding, language):
    tender, bidder, _asker = bidding
    client = _client(app, bidder.username, language)
    before = all_counts(session)
    url = f"/api/v1/tenders/{tender.id}/my-bid"
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                 '{"price": "1", "proposal": "x", "extra": ' + "[" * 32 + "]" * 32 + "}"):
        response = client.put(url, data=body, content_type="application/json")
        assert response.status_code == 400
        assert _api_message(response) == {
            ZH: "JSON 正文嵌套层数过多（最多 32 层）。",
            EN: "The JSON body is nested too deeply (at most 32 levels)."}[language]
    assert all_counts(session) == before
    # 32 levels (the object and 31 inside it) are read; brackets inside strings do not count.
    ok = ('{"price": "240000.00", "proposal": "[[[[{{{{", "extra": ' + "[" * 31 + "]" * 31
          + "}")
    assert client.put(url, data=ok, content_type="application/json").status_code == 200


@pytest.mark.parametrize("language", [ZH, EN])
def test_json_is_refused_outside_the_api(app, session, bidding, language):
    """Flask-WTF fills a form from a JSON body: lists and numbers where text belongs."""
    tender, _bidder, asker = bidding
    client = _client(app, asker.username, language)
    before = all_counts(session)
    response = client.post(f"/tenders/{tender.id}/questions",
                           data=json.dumps({"question": ["开标时间？"]}),
                           content_type="application/json")
    assert response.status_code == 400
    assert {ZH: "只有开放接口（/api/v1）接受 JSON", EN: "Only the open API (/api/v1) accepts JSON"
            }[language] in response.get_data(as_text=True)
    assert all_counts(session) == before


# --- dates out of 1900–2100 ---------------------------------------------------------------

@pytest.mark.parametrize("language", [ZH, EN])
def test_a_date_outside_1900_to_2100_is_refused(app, session, demo, language):
    client = _client(app, "civil", language)
    before = all_counts(session)
    for day in ("1899-12-31", "2101-01-01", "0001-01-01"):
        response = client.post("/tenders/calendar", data={"day": day, "kind": "holiday",
                                                           "note": "x"})
        assert response.status_code == 400, day
        assert {ZH: "请输入 1900 年至 2100 年之间的日期。",
                EN: "Enter a date between the years 1900 and 2100."}[language] \
            in response.get_data(as_text=True)
    assert all_counts(session) == before
    assert client.post("/tenders/calendar", data={"day": "2100-12-31", "kind": "holiday",
                                                   "note": "x"}).status_code == 302



@pytest.mark.parametrize("language", [ZH, EN])
def test_a_grade_cycle_year_outside_2000_to_2100_or_an_endless_notice_is_refused(
        app, session, demo, language):
    """A cycle for the year 20266, or with a notice of 2**31-1 days (its end would lie past
    any date the platform can hold), was stored before."""
    client = _client(app, "civil", language)
    before = all_counts(session)
    for year, days, expected in (
            ("20266", "7", {ZH: "请输入 2000 年至 2100 年之间的年份。",
                            EN: "Enter a year between 2000 and 2100."}),
            ("1999", "7", {ZH: "请输入 2000 年至 2100 年之间的年份。",
                           EN: "Enter a year between 2000 and 2100."}),
            ("2031", "2147483647", {ZH: "公示期最长为 60 天。",
                                    EN: "The notice period is at most 60 days."}),
            ("2031", "9223372036854775808", {ZH: "请填写所有必填项。",
                                             EN: "Please fill in every required field."})):
        response = client.post("/evaluations/cycles", data={"year": year, "notice_days": days})
        assert 400 <= response.status_code < 500, (year, days)
        assert expected[language] in response.get_data(as_text=True), (year, days)
    assert all_counts(session) == before
    ok = client.post("/evaluations/cycles", data={"year": "2100", "notice_days": "60"})
    assert ok.status_code == 302


@pytest.mark.parametrize("language", [ZH, EN])
def test_a_decision_that_is_not_true_or_false_is_refused(app, session, demo, clock, language):
    """``{"accept": "false"}`` was read as ``bool("false")``: the deliverables were
    accepted. Now anything but true or false is refused and the milestone stays where it
    was."""
    from market.contracts import payments
    from market.contracts.models import Milestone
    from tests.factories import budget_item, signed_contract

    contract, bidders = signed_contract(session, clock, budget_item(session))
    contractor = bidders["a"]
    payments.submit_deliverables(session, contractor, contract.id, 1, "交付成果")
    session.commit()
    client = _client(app, "dept", language)
    before = all_counts(session)
    state = session.scalar(select(Milestone.status).where(Milestone.contract_id == contract.id,
                                                          Milestone.number == 1))
    for value in ("false", "no", 0, [], {"x": 1}):
        response = client.post(f"/api/v1/contracts/{contract.id}/milestones/1/acceptance",
                               json={"accept": value, "reason": "不合格"})
        assert response.status_code == 400, value
        assert _api_message(response) == {ZH: "字段“accept”必须是 true 或 false。",
                                          EN: "The field “accept” must be true or false."
                                          }[language]
    assert all_counts(session) == before
    session.expire_all()
    assert session.scalar(select(Milestone.status).where(
        Milestone.contract_id == contract.id, Milestone.number == 1)) == state
    response = client.post(f"/api/v1/contracts/{contract.id}/milestones/1/acceptance",
                           json={"accept": False, "reason": "不合格"})
    assert response.status_code == 200
