"""Forms say everything at once, where it belongs (issue 14, part 2): every error of a
submit beside its field, one money rule in every money field, one post per submit, an
explicit confirmation for a decision with legal effect, no declaration nobody chose."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from market.clock import LOCAL_TZ
from market.errors import Checks, Invalid, Problems
from market.tenders import clarifications
from market.tenders.models import Bid, Question, Tender
from tests.factories import demo_item, new_tender, org_member


def _client(app, username, language="en"):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "demo-pass-2026"})
    client.post(f"/language/{language}", data={"next": "/"})
    return client


def field_errors(html: str) -> dict[str, list[str]]:
    """Each field in error (its input's id) → the messages shown inside its own block."""
    found = {}
    for block in re.findall(r'<div class="field has-error[^"]*">(.*?)</div>', html, re.S):
        name = re.search(r'(?:for|id)="([^"]+)"', block).group(1)
        found[name] = re.findall(r'<p class="error" role="alert">(.*?)</p>', block, re.S)
    return found


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


# --- the collector ------------------------------------------------------------------

def test_checks_collect_every_problem_and_one_stays_a_plain_invalid():
    checks = Checks()

    def refuse(field):
        raise Invalid(f"bad {field}", field=field)

    assert checks.run(lambda: 5) == 5
    checks.run(refuse, "a")
    with pytest.raises(Invalid) as one:
        checks.done()
    assert not isinstance(one.value, Problems) and one.value.field == "a"
    checks.run(refuse, "b")
    checks.add(None, "whole form")
    with pytest.raises(Problems) as many:
        checks.done()
    assert many.value.problems == [("a", "bad a"), ("b", "bad b"), (None, "whole form")]
    assert str(many.value.message) == "bad a bad b whole form"


# --- the tender form: everything at once, each beside its field -----------------------

def _tender_form(clock, item, **overrides) -> dict:
    local = clock.now.astimezone(LOCAL_TZ).replace(tzinfo=None)

    def day(n):
        return (local + dt.timedelta(days=n)).strftime("%Y-%m-%dT%H:%M")

    form = {"item": str(item.id), "title": "社区助老服务", "description": "",
            "procedure": "open", "ceiling_price": "80000",
            "eligible_categories": list(item.eligible_categories),
            "min_grade": str(item.min_grade), "priority_rule": "price_deduction",
            "priority_value": "", "clarification_deadline": day(10),
            "bid_deadline": day(20), "opening_time": day(21), "price_weight": "30",
            "criteria-0-name": "服务方案", "criteria-0-weight": "70"}
    form.update(overrides)
    return form


def test_a_tender_form_with_four_errors_shows_all_four_beside_their_fields(
        app, demo, session, clock):
    item = demo_item(session, "WJW", 2)
    before = _count(session, Tender)
    local = clock.now.astimezone(LOCAL_TZ).replace(tzinfo=None)
    response = _client(app, "dept").post(f"/tenders/new?item={item.id}", data=_tender_form(
        clock, item, title="", ceiling_price="80,00", **{"criteria-0-weight": "50"},
        opening_time=(local + dt.timedelta(days=15)).strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    errors = field_errors(html)
    assert errors["title"] == ["This field is required."]
    assert errors["ceiling_price"] == ["Use a comma only between groups of three digits and "
                                       "a point before the fen, e.g. 80,000.00."]
    assert errors["opening_time"] == ["The opening time cannot be before the bid deadline."]
    assert "The criteria weights must add up to 100 (now 80)." in html
    assert "[&#39;" not in html and "['" not in html  # never a raw Python list
    assert _count(session, Tender) == before


def test_the_rules_the_service_checks_are_also_reported_together(app, demo, session, clock):
    """A form WTForms accepts, three rules broken: one 422 with all three, nothing made."""
    item = demo_item(session, "WJW", 2)
    before = _count(session, Tender)
    response = _client(app, "dept").post(f"/tenders/new?item={item.id}", data=_tender_form(
        clock, item, ceiling_price="99,000,000", priority_value="99",
        **{"criteria-0-weight": "60"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = field_errors(html)
    assert "above the budget still available" in errors["ceiling_price"][0]
    assert errors["priority_value"] == ["The price deduction is more than 0 and at most 10 %."]
    assert "The criteria weights must add up to 100 (now 90)." in html
    assert _count(session, Tender) == before


def test_the_tender_ceiling_reads_any_way_of_writing_an_amount(app, demo, session, clock):
    item = demo_item(session, "WJW", 2)
    client = _client(app, "dept")
    for typed in ("80,000", "８００００", "80000.00元"):
        response = client.post(f"/tenders/new?item={item.id}",
                               data=_tender_form(clock, item, ceiling_price=typed))
        assert response.status_code == 302, typed
        tender = session.scalars(select(Tender).order_by(Tender.id.desc())).first()
        assert tender.ceiling_price == Decimal("80000.00")


# --- one money rule in every money field ---------------------------------------------

@pytest.mark.parametrize("typed", ["80,000", "80000", "80000.00", "８００００", "80000元",
                                   "８０，０００．００ 元"])
def test_a_bid_price_is_read_the_same_however_it_is_written(app, demo, session, clock,
                                                            typed):
    tender = new_tender(session, clock)
    _org, member = org_member(session)
    response = _client(app, member.username).post(
        f"/tenders/{tender.id}/bid", data={"price": typed, "proposal": "方案"})
    assert response.status_code == 302
    session.expire_all()
    assert session.scalar(select(Bid.price).where(Bid.tender_id == tender.id)) \
        == Decimal("80000.00")


@pytest.mark.parametrize("typed, en, zh", [
    ("80,00", "Use a comma only between groups of three digits", "逗号"),
    ("八万", "Enter an amount in yuan", "请输入以元为单位的金额"),
    ("1e5", "Write the amount out in digits", "请用数字直接写出金额"),
    ("80000.001", "at most two decimals", "两位小数"),
])
def test_a_bad_amount_gets_a_translated_message_on_its_field(app, demo, session, clock,
                                                             typed, en, zh):
    tender = new_tender(session, clock)
    _org, member = org_member(session)
    for language, message in (("en", en), ("zh", zh)):
        response = _client(app, member.username, language).post(
            f"/tenders/{tender.id}/bid", data={"price": typed, "proposal": "方案"})
        assert response.status_code == 400
        assert message in field_errors(response.get_data(as_text=True))["price"][0]
    session.expire_all()
    assert session.scalar(select(func.count(Bid.id)).where(Bid.tender_id == tender.id)) == 0


def test_every_money_input_is_a_money_field(app):
    """Every form field whose label says yuan reads amounts with the one money parser."""
    import importlib
    import pkgutil

    from flask_babel import force_locale
    from flask_wtf import FlaskForm

    import market
    from market.core.forms import MoneyField

    seen = []
    with app.test_request_context(), force_locale("en"):
        for info in pkgutil.walk_packages(market.__path__, "market."):
            if not info.name.endswith("forms"):
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if not (isinstance(obj, type) and issubclass(obj, FlaskForm)
                        and obj.__module__ == module.__name__):
                    continue
                for name, unbound in vars(obj).items():
                    label = str((getattr(unbound, "args", ()) or ("",))[0])
                    kwargs = getattr(unbound, "kwargs", {})
                    label = str(kwargs.get("label", label))
                    if "(yuan)" in label:
                        seen.append(name)
                        assert unbound.field_class is MoneyField or issubclass(
                            unbound.field_class, MoneyField), (obj.__name__, name)
    assert {"ceiling_price", "price", "budget", "new_budget", "requested"} <= set(seen)


# --- one post per submit ------------------------------------------------------------

def _questions(session, tender) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Question.id)).where(
        Question.tender_id == tender.id))


def test_the_same_question_posted_twice_is_stored_once(app, demo, session, clock):
    tender = new_tender(session, clock)
    _org, asker = org_member(session)
    client = _client(app, asker.username)
    text = {"question": "服务对象是否包括外来务工人员？"}
    assert client.post(f"/tenders/{tender.id}/questions", data=text).status_code == 302
    again = client.post(f"/tenders/{tender.id}/questions", data=text, follow_redirects=True)
    assert "has just asked this same question" in again.get_data(as_text=True)
    assert _questions(session, tender) == 1
    # Another question, or the same one asked again later, is a real question.
    client.post(f"/tenders/{tender.id}/questions", data={"question": "是否需要驻点？"})
    assert _questions(session, tender) == 2
    clock.advance(minutes=clarifications.REPEAT_WINDOW.seconds // 60 + 1)
    assert client.post(f"/tenders/{tender.id}/questions", data=text).status_code == 302
    assert _questions(session, tender) == 3
