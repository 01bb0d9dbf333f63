"""market.money: parsing and formatting yuan; MoneyField; the one form-page helper."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask, get_flashed_messages, render_template_string
from flask_babel import Babel, force_locale
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jinja2 import Undefined
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired

from market import money as m
from market.core.forms import MoneyField, form_page, place_error, submit
from market.errors import Conflict, Invalid, NotFound
from market.i18n import translation_dirs
from market.money import (CENT, COLUMN_MAX, DEFAULT_MAXIMUM, format_money, from_cents,
                          parse_money, plain_money, quantize, to_cents)

D = Decimal
LIMIT = int(DEFAULT_MAXIMUM * 100)

# Amounts to the fen within the default limit, and within a Numeric(18, 2) column.
cents = st.integers(min_value=-LIMIT, max_value=LIMIT)
amounts = cents.map(lambda c: D(c).scaleb(-2))
positive = st.integers(min_value=1, max_value=LIMIT).map(lambda c: D(c).scaleb(-2))
column_amounts = st.integers(min_value=-int(COLUMN_MAX * 100),
                             max_value=int(COLUMN_MAX * 100)).map(lambda c: D(c).scaleb(-2))

WIDE = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def parse_any(value, **kw):
    return parse_money(value, allow_negative=True, allow_zero=True, **kw)


def message_of(value, **kw) -> str:
    with pytest.raises(Invalid) as caught:
        parse_money(value, **kw)
    assert caught.value.field == kw.get("field")
    return str(caught.value.message)


# --- parse: examples ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "80000", "80,000", "80000.00", "80,000.00", "80 000", "80 000.00", "８００００．００",
    "８０，０００", "８０，０００．００", "80000元", "80000 元", "80,000.00 元", "¥80000",
    "￥80,000", "¥ 80,000.00", "￥８００００元", " 80000 ", "\u300080000\u3000", "80000.",
    "80000.0", "80000。00", "+80000", "80\u00a0000", "80,000.00 yuan",
])
def test_accepts_the_ways_people_write_eighty_thousand(text):
    assert parse_money(text) == D("80000.00")
    assert parse_money(text).as_tuple().exponent == -2


@pytest.mark.parametrize("text, expected", [
    ("0.5", "0.50"), (".5", "0.50"), ("1,234,567.89", "1234567.89"), ("0.01", "0.01"),
    ("-1,000", "-1000.00"), ("-¥1,000.50", "-1000.50"), ("¥-1,000.50", "-1000.50"),
    ("－１，０００", "-1000.00"), ("\u22121000", "-1000.00"), ("-0", "0.00"), ("0", "0.00"),
    ("10000000000000", "10000000000000.00"),
])
def test_examples(text, expected):
    result = parse_any(text)
    assert result == D(expected) and str(result) == expected


def test_decimal_and_int_input():
    assert str(parse_money(D("80000"))) == "80000.00"
    assert str(parse_money(D("80000.5"))) == "80000.50"
    assert str(parse_money(D("1.000"))) == "1.00"  # a Decimal's value, not its spelling
    assert str(parse_money(D("1E+2"))) == "100.00"
    assert str(parse_money(80000)) == "80000.00"
    assert str(parse_money(D("-0.00"), allow_zero=True)) == "0.00"


@pytest.mark.parametrize("value", [1.5, 80000.0, float("nan"), float("inf"), True, False,
                                   [1], {"a": 1}, object(), b"80000"])
def test_floats_and_other_types_are_bugs(value):
    with pytest.raises(TypeError):
        parse_money(value)


@pytest.mark.parametrize("text", ["", "   ", "abc", "¥", "元", ".", "-", "80000元元", "¥¥80",
                                  "--5", "+-5", "-¥-5", "5-", "80,000,00", "1.2.3", "12a",
                                  "١٢٣", "10²", "①", "0x10", "1_000", "80000 RMB",
                                  "8" * 65, "(100)", "1/2"])
def test_refuses_what_is_not_an_amount(text):
    assert message_of(text, field="budget") in (str(m.MSG_ENTER), str(m.MSG_GROUPING))


def test_none_is_not_an_amount():
    assert message_of(None, field="price") == str(m.MSG_ENTER)


@pytest.mark.parametrize("text", ["nan", "NaN", "-nan", "sNaN", "inf", "-Infinity",
                                  "Infinity元", "¥inf"])
def test_refuses_nan_and_infinity(text):
    assert message_of(text) == str(m.MSG_ENTER)


@pytest.mark.parametrize("value", [D("NaN"), D("sNaN"), D("Infinity"), D("-Infinity")])
def test_refuses_nan_and_infinity_decimals(value):
    assert message_of(value, field="fee") == str(m.MSG_ENTER)


@pytest.mark.parametrize("text", ["1e30", "1E5", "1.5e2", "-1e-2", "１ｅ５", "1e+3元", "¥1e3"])
def test_refuses_exponent_forms(text):
    assert message_of(text) == str(m.MSG_EXPONENT)


@pytest.mark.parametrize("value", ["1.234", "1.000", "80,000.001", "0.001", "８．０００",
                                   D("0.001"), D("1.005")])
def test_refuses_more_than_two_decimals(value):
    assert message_of(value, field="amount") == str(m.MSG_DECIMALS)


@pytest.mark.parametrize("text", ["80,00", "8,0000", "80 00", "1,23,456", "1234,567",
                                  "80, 000", "80,000 000"])
def test_refuses_thousands_separators_not_every_three_digits(text):
    assert message_of(text) == str(m.MSG_GROUPING)


def test_zero_and_negative_rules():
    assert message_of("0") == str(m.MSG_POSITIVE)
    assert message_of("0.00", allow_negative=True) == str(m.MSG_NOT_ZERO)
    assert message_of("-5") == str(m.MSG_POSITIVE)
    assert message_of("-5", allow_zero=True) == str(m.MSG_NEGATIVE)
    assert parse_money("0", allow_zero=True) == 0
    assert parse_money("-5", allow_negative=True) == D("-5.00")


def test_maximum():
    assert parse_money("10,000,000,000,000") == DEFAULT_MAXIMUM
    assert "too large" in message_of("10,000,000,000,000.01")
    assert "10,000,000,000,000.00" in message_of("10000000000000.01")
    assert "too large" in message_of("-10000000000000.01", allow_negative=True)
    assert parse_money("500", maximum=D("500")) == 500
    assert "500.00" in message_of("500.01", maximum=D("500"))
    assert "too large" in message_of(D("1e30"))
    assert "too large" in message_of(10 ** 40)
    assert "too large" in message_of("9" * 40)


def test_never_beyond_a_numeric_18_2_column():
    assert parse_money(COLUMN_MAX, maximum=D("1e20")) == COLUMN_MAX
    assert parse_money("9,999,999,999,999,999.99", maximum=D("1e20")) == COLUMN_MAX
    assert "9,999,999,999,999,999.99" in message_of("10000000000000000", maximum=D("1e20"))
    assert COLUMN_MAX == D(10) ** 16 - CENT


# --- parse: properties -------------------------------------------------------------------

@given(amounts)
def test_round_trip_through_every_spelling(amount):
    spellings = [f"{amount:f}", f"{amount:.2f}", f"{amount:,.2f}", format_money(amount),
                 format_money(amount, unit=False), f"{amount:,.2f}".replace(",", " "),
                 f"{amount:,.2f}".translate(WIDE), f"{amount:.2f}元"]
    if amount >= 0:
        spellings += [f"¥{amount:,.2f}", f"￥{amount:.2f}"]
    for text in spellings:
        assert parse_any(text) == amount, text
        assert parse_any(text).as_tuple().exponent == -2


@given(amounts)
def test_format_then_parse_is_identity(amount):
    assert parse_any(format_money(amount)) == amount


@given(amounts)
def test_decimals_and_ints_pass_unchanged(amount):
    assert parse_any(amount) == amount
    if amount == amount.to_integral_value():
        assert parse_any(int(amount)) == amount


@given(positive)
def test_positive_amounts_pass_the_default_rules(amount):
    assert parse_money(amount) == amount
    assert parse_money(f"{amount:,.2f}") == amount
    with pytest.raises(Invalid):
        parse_money(-amount)


@given(column_amounts, st.integers(min_value=0, max_value=10 ** 16))
def test_the_maximum_is_a_hard_line(amount, maximum):
    limit = min(D(maximum), COLUMN_MAX)
    if abs(amount) <= limit:
        assert parse_any(f"{amount:.2f}", maximum=maximum) == amount
    else:
        with pytest.raises(Invalid):
            parse_any(f"{amount:.2f}", maximum=maximum)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3,
                   min_value=-10 ** 6, max_value=10 ** 6))
def test_a_third_decimal_is_refused(value):
    assume(value != value.quantize(CENT))
    with pytest.raises(Invalid) as caught:
        parse_any(value)
    assert caught.value.message == m.MSG_DECIMALS
    with pytest.raises(Invalid):
        parse_any(f"{value:f}")


@given(st.floats())
def test_every_float_is_refused(value):
    with pytest.raises(TypeError):
        parse_any(value)
    with pytest.raises(TypeError):
        format_money(value)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80) | st.text(alphabet="0123456789,. -+¥￥元eE０１２３４５６７８９，．",
                                      max_size=30))
def test_any_text_is_an_amount_or_a_clear_refusal(text):
    try:
        result = parse_any(text)
    except Invalid as e:
        assert str(e.message) and e.field is None
    else:
        assert result.as_tuple().exponent == -2 and abs(result) <= DEFAULT_MAXIMUM


# --- format ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (D("80000"), "80,000.00"), (D("0"), "0.00"), (D("-0.00"), "0.00"), (1234567, "1,234,567.00"),
    (D("-1234.5"), "-1,234.50"), (D("0.005"), "0.01"), (D("0.015"), "0.02"),
    (D("-0.004"), "0.00"), (COLUMN_MAX, "9,999,999,999,999,999.99"),
])
def test_format_money(value, text):
    assert format_money(value, unit=False) == text


def test_format_money_none_and_refusals():
    assert format_money(None) == ""
    for bad in (1.5, "80000", True):
        with pytest.raises(TypeError):
            format_money(bad)
    with pytest.raises(ValueError):
        format_money(D("NaN"))


def test_plain_money_is_the_machine_form():
    assert plain_money(D("80000")) == "80000.00" and plain_money(1234567) == "1234567.00"
    assert plain_money(D("-0.001")) == "0.00" and plain_money(None) is None
    for bad in (1.5, "80000"):
        with pytest.raises(TypeError):
            plain_money(bad)


@given(amounts)
def test_plain_money_round_trip(amount):
    assert parse_any(plain_money(amount)) == amount
    assert "," not in plain_money(amount)


@pytest.fixture
def babel_app():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False, BABEL_DEFAULT_LOCALE="en",
                      BABEL_TRANSLATION_DIRECTORIES=";".join(translation_dirs()))
    Babel(app)
    app.add_template_filter(m.money, "money")
    return app


def test_format_money_unit_is_translated(babel_app):
    with babel_app.test_request_context():
        assert format_money(D("80000")) == "80,000.00 yuan"
        assert parse_money(format_money(D("80000"))) == 80000
        with force_locale("zh"):
            assert format_money(D("80000")) == "80,000.00 元"
            assert parse_money(format_money(D("80000"))) == 80000


def test_jinja_filter(babel_app):
    with babel_app.test_request_context(), force_locale("zh"):
        html = render_template_string(
            "{{ a|money }}|{{ a|money(False) }}|{{ none|money }}|{{ missing|money }}",
            a=D("1234.5"), none=None)
        assert html == "1,234.50 元|1,234.50||"
    assert m.money(Undefined()) == ""


# --- helpers -----------------------------------------------------------------------------

@given(column_amounts)
def test_cents_round_trip(amount):
    assert from_cents(to_cents(amount)) == amount
    assert to_cents(amount) == int(amount * 100)


def test_cents_refusals_and_quantize():
    with pytest.raises(ValueError):
        to_cents(D("0.001"))
    with pytest.raises(TypeError):
        to_cents(0.5)
    with pytest.raises(TypeError):
        from_cents(D("1"))
    assert quantize(D("0.005")) == D("0.01")
    assert quantize(D("2.675")) == D("2.68")
    from decimal import ROUND_DOWN
    assert quantize(D("0.019"), ROUND_DOWN) == D("0.01")
    with pytest.raises(TypeError):
        quantize(0.1)


# --- MoneyField --------------------------------------------------------------------------

class PriceForm(FlaskForm):
    price = MoneyField("Price", [InputRequired("Required.")])
    net = MoneyField("Net", [DataRequired("Required.")], allow_negative=True)
    fee = MoneyField("Fee", allow_zero=True, maximum=D("1000"))


def _form(app, **data):
    with app.test_request_context(method="POST", data=data):
        form = PriceForm()
        form.validate()
        return form


def test_money_field_parses_like_the_services(babel_app):
    form = _form(babel_app, price="８０，０００．００", net="-1,000", fee="0")
    assert form.errors == {}
    assert (form.price.data, form.net.data, form.fee.data) == (D("80000.00"), D("-1000.00"),
                                                                D("0.00"))


def test_money_field_errors_are_the_parsers(babel_app):
    form = _form(babel_app, price="80,00", net="1e5", fee="1000.01")
    assert form.price.errors == [str(m.MSG_GROUPING)]
    assert form.net.errors == [str(m.MSG_EXPONENT)]  # DataRequired did not replace it
    assert "1,000.00" in form.fee.errors[0]
    form = _form(babel_app, price="", net="0", fee="")
    assert form.price.errors == ["Required."]
    assert form.net.errors == [str(m.MSG_NOT_ZERO)]
    assert form.fee.errors == [] and form.fee.data is None
    form = _form(babel_app, price="1.234", net="5", fee="")
    assert form.price.errors == [str(m.MSG_DECIMALS)] and form.price.data is None
    assert 'value="1.234"' in form.price()  # shown back as typed
    assert 'inputmode="decimal"' in form.price()


def test_money_field_shows_stored_amounts(babel_app):
    class Obj:
        price, net, fee = D("80000"), D("-5"), None

    with babel_app.test_request_context():
        form = PriceForm(formdata=None, obj=Obj())
        assert 'value="80000.00"' in form.price() and 'value="-5.00"' in form.net()
        assert 'value=""' in form.fee()


# --- form_page ---------------------------------------------------------------------------

class FakeSession:
    def __init__(self):
        self.log = []

    def commit(self):
        self.log.append("commit")

    def rollback(self):
        self.log.append("rollback")

    def expire_all(self):
        self.log.append("expire_all")


class NameForm(FlaskForm):
    name = StringField("Name", [DataRequired("Required.")])
    price = MoneyField("Price", [InputRequired("Required.")])


def _page(app, method, call, data=None):
    session = FakeSession()
    with app.test_request_context(method=method, data=data or {}):
        form = NameForm()
        response = form_page(
            form, call, session=session,
            render=lambda: f"page:{sorted(form.errors.items(), key=str)}",
            done=lambda result: f"Saved {result}.", then=lambda result: f"/things/{result}")
        return response, form, session, get_flashed_messages(with_categories=True)


def test_form_page_get_renders_without_calling(babel_app):
    (body, status), _f, session, _ = _page(babel_app, "GET", lambda s: 1 / 0)
    assert status == 200 and body == "page:[]" and session.log == []


def test_form_page_invalid_post_is_400_and_the_service_is_not_called(babel_app):
    (_b, status), form, session, _ = _page(babel_app, "POST", lambda s: 1 / 0,
                                           {"name": "", "price": "80,00"})
    assert status == 400 and session.log == []
    assert form.name.errors == ["Required."] and form.price.errors == [str(m.MSG_GROUPING)]


def test_form_page_success_flashes_and_redirects(babel_app):
    seen = []

    def call(s):
        seen.append(s)
        return 7

    response, _f, session, flashes = _page(babel_app, "POST", call,
                                           {"name": "x", "price": "¥1,000"})
    assert response.status_code == 302 and response.location == "/things/7"
    assert flashes == [("success", "Saved 7.")] and session.log == ["commit"]
    assert seen == [session]


@pytest.mark.parametrize("error, where", [
    (Invalid("Too dear.", field="price"), "price"),
    (Conflict("Already done."), None),
    (Invalid("No such field here.", field="colour"), None),
    (NotFound("Gone."), None),
])
def test_form_page_places_a_refusal_and_rolls_back(babel_app, error, where):
    def call(s):
        raise error

    (body, status), form, session, flashes = _page(babel_app, "POST", call,
                                                   {"name": "x", "price": "5"})
    assert status == int(error.status) and flashes == []
    assert session.log == ["rollback", "expire_all"]
    if where:
        assert form[where].errors == [str(error.message)] and form.form_errors == []
    else:
        assert form.form_errors == [str(error.message)]
        assert form.name.errors == [] and form.price.errors == []
    assert str(error.message) in body


@pytest.mark.parametrize("error, raised", [
    (Invalid("Too dear.", field="price"), False),
    (Invalid("No such field here.", field="colour"), True),
    (Conflict("Not editable."), True),
])
def test_form_page_can_leave_unplaced_refusals_to_the_error_page(babel_app, error, raised):
    session = FakeSession()

    def call(s):
        raise error

    with babel_app.test_request_context(method="POST", data={"name": "x", "price": "5"}):
        form = NameForm()
        if raised:
            with pytest.raises(type(error)):
                form_page(form, call, session=session, render=lambda: "page", done="Done.",
                          then="/", raise_unplaced=True)
        else:
            assert form_page(form, call, session=session, render=lambda: "page", done="Done.",
                             then="/", raise_unplaced=True) == ("page", 422)
            assert form.price.errors == ["Too dear."]
    assert session.log == ["rollback", "expire_all"]


def test_submit_and_place_error_are_the_parts(babel_app):
    with babel_app.test_request_context(method="POST", data={"name": "x", "price": "5"}):
        form = NameForm()
        outcome = submit(form, lambda s: "ok", session=FakeSession())
        assert outcome.done and outcome.result == "ok" and outcome.status == 200
        assert place_error(form, Invalid("Bad.", field="name")) == 422
        assert form.name.errors == ["Bad."]
