"""The policy room: every rule value has a source and a Chinese label, deployments can
override a value (and a bad override stops the app at start), the public page lists all."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale

from market import create_app, policy
from market.config import ConfigError
from market.policy import registry
from market.policy.rules import UNCONFIRMED, UNITS

CJK = re.compile(r"[\u4e00-\u9fff]")
RULES = [rule for _area, rules in policy.all_rules() for rule in rules]


@pytest.fixture
def policy_app(app):
    policy.init_app(app)  # a no-op beyond the check once market/features.py wires it
    return app


@pytest.fixture
def policy_client(policy_app):
    return policy_app.test_client()


def _config(database_url, tmp_path, **extra):
    return {"TESTING": True, "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"), "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://", **extra}


def _start(database_url, tmp_path, **extra):
    """Create the app the way a deployment does, policy checked at start."""
    app = create_app(_config(database_url, tmp_path, **extra))
    try:
        policy.init_app(app)
    finally:
        app.extensions["db_engine"].dispose()
    return app


# --- the registry -----------------------------------------------------------------------

def test_the_registry_holds_the_rules_the_code_decides_by():
    keys = {rule.key for rule in RULES}
    for key in ("priority_price_deduction_default", "priority_price_deduction_max",
                "priority_score_bonus_default", "priority_score_bonus_max",
                "tender_price_weight_min", "tender_price_weight_max",
                "tender_standstill_days_default", "tender_challenge_working_days_default",
                "tender_min_valid_bids_open", "tender_min_valid_bids_negotiation",
                "committee_min_members", "committee_expert_min_thirds", "priority_grade", "grade_validity_years",
                "grading_eligible_after_years", "clearance_grace_years",
                "recusal_cooling_off_years", "grade_threshold_5", "grade_threshold_1",
                "payment_advance_percent", "max_upload_bytes", "login_max_failures",
                "login_failure_window_seconds"):
        assert key in keys, key
    assert len(keys) == len(RULES)


def test_every_rule_has_a_citation_or_is_a_local_choice():
    for rule in RULES:
        if rule.is_local_choice:
            continue
        text = str(rule.citation)
        assert text and text != registry.LOCAL_CHOICE, rule.key
        # a regulation is cited with its article (or the Kunshan item/part) unless the
        # missing article is declared in UNCONFIRMED
        assert re.search(r"art\. \d+|item \d+|part [IVX]+", text) or rule.key in UNCONFIRMED, \
            rule.key
    assert set(UNCONFIRMED) <= {rule.key for rule in RULES}


def _reads(key: str) -> list[str]:
    """How code may name the key: literally, or as the stem of an f-string."""
    names = [f'"{key}"']
    if m := re.fullmatch(r"(.+)_(default|min|max)", key):
        names.append(f'"{m.group(1)}"')
    if m := re.fullmatch(r"payment_(\w+)_(percent|days)", key):
        names.append(f'"{m.group(1)}"')
    return names


def test_every_rule_is_read_where_it_says():
    root = Path(__file__).resolve().parents[2]
    for rule in RULES:
        assert rule.used_by, rule.key
        if not rule.used_by.startswith("market."):
            continue  # planned reader (the policy-targets dashboard)
        for reader in rule.used_by.split("; "):
            parts = reader.split(".")
            for n in range(len(parts), 1, -1):
                path = root.joinpath(*parts[:n]).with_suffix(".py")
                if path.exists():
                    break
            else:
                raise AssertionError(f"{rule.key}: no module for {reader}")
            source = path.read_text(encoding="utf-8")
            assert parts[n] in source if n < len(parts) else True, (rule.key, reader)
            assert any(name in source for name in _reads(rule.key)), (rule.key, reader)


def test_no_module_keeps_its_own_copy_of_a_rule():
    root = Path(__file__).resolve().parents[2] / "market"
    retired = ("SETTINGS_DEFAULTS", "MIN_EXPERTS", "MIN_VALID_BIDS", "GRADE_VALIDITY_YEARS",
               "PRIORITY_GRADE", "MIN_REGISTERED_YEARS", "ELIGIBLE_AFTER_YEARS", "GRACE_YEARS",
               "COOLING_OFF_YEARS", "YEARS_SHOWN_DUE", "MAX_MILESTONES", "MAX_FILES",
               "MAX_PROPOSAL", "MAX_DOCUMENTS", "MAX_TEXT", "MIN_PASSWORD_LENGTH",
               "MAX_UPLOAD_BYTES", "LOGIN_MAX_FAILURES", "LOGIN_FAILURE_WINDOW_SECONDS",
               "PRIORITY_PRICE_DEDUCTION_DEFAULT", "PRIORITY_SCORE_BONUS_DEFAULT",
               "TENDER_PRICE_WEIGHT_MIN", "TENDER_STANDSTILL_DAYS_DEFAULT",
               "TENDER_CHALLENGE_WORKING_DAYS_DEFAULT")
    for path in root.rglob("*.py"):
        if "policy" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for name in retired:
            assert not re.search(rf"\b{name}\b", text), f"{path.relative_to(root)}: {name}"


def test_defaults_without_an_app_context():
    for rule in RULES:
        assert policy.value(rule.key) == rule.default
        assert type(policy.value(rule.key)) is rule.kind
    assert policy.value("grade_validity_years") == 5
    assert policy.value("tender_price_weight_min") == Decimal(10)
    with pytest.raises(KeyError):
        policy.value("no_such_rule")


def test_the_defaults_pass_their_own_checks():
    registry.check_config({})


def test_every_label_citation_area_and_unit_is_translated(app):
    with app.test_request_context(), force_locale("zh"):
        for area, rules in policy.all_rules():
            assert CJK.search(str(area.label)), area.code
            for rule in rules:
                label = str(rule.label)
                assert CJK.search(label) and label != rule.label._args[0], rule.key
                if not rule.is_local_choice:
                    citation = str(rule.citation)
                    assert citation != rule.citation._args[0], rule.key
                if rule.basis is not None:
                    assert str(rule.basis) != rule.basis._args[0], rule.key
        for code, unit in UNITS.items():
            if not isinstance(unit, str):
                assert CJK.search(str(unit)), code


def test_the_chinese_term_appears_once_in_each_label(app):
    """English labels carry the Chinese term at most once; the Chinese ones don't repeat
    themselves in brackets."""
    with app.test_request_context(), force_locale("zh"):
        for rule in RULES:
            english = rule.label._args[0]
            assert len(re.findall(r"[\u4e00-\u9fff]+", english)) <= 1, rule.key
            assert "(" not in str(rule.label), rule.key


# --- overrides ----------------------------------------------------------------------------

def test_config_overrides_the_value(app):
    app.config["POLICY_COMMITTEE_MIN_MEMBERS"] = 7
    app.config["POLICY_TENDER_PRICE_WEIGHT_MAX"] = "25.5"
    app.config["POLICY_GRADE_VALIDITY_YEARS"] = "4"
    with app.app_context():
        assert policy.value("committee_min_members") == 7
        assert policy.value("tender_price_weight_max") == Decimal("25.5")
        assert policy.value("grade_validity_years") == 4
        assert policy.overridden("grade_validity_years")
        assert not policy.overridden("priority_grade")
        assert policy.value("priority_grade") == 3
    # outside the app the defaults hold
    assert policy.value("committee_min_members") == 5


def test_legacy_config_names_still_override(app):
    """The keys market/config.py used to hold keep working for existing deployments."""
    app.config["PRIORITY_SCORE_BONUS_DEFAULT"] = 3
    app.config["LOGIN_MAX_FAILURES"] = 9
    with app.app_context():
        assert policy.value("priority_score_bonus_default") == Decimal(3)
        assert policy.value("login_max_failures") == 9
        app.config["POLICY_LOGIN_MAX_FAILURES"] = 4  # the registry's own name wins
        assert policy.value("login_max_failures") == 4


def test_environment_overrides_the_value(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("MARKET_POLICY_CLEARANCE_GRACE_YEARS", "4")
    monkeypatch.setenv("MARKET_POLICY_PRIORITY_PRICE_DEDUCTION_DEFAULT", "7.5")
    app = _start(database_url, tmp_path)
    with app.app_context():
        assert policy.value("clearance_grace_years") == 4
        assert policy.value("priority_price_deduction_default") == Decimal("7.5")


@pytest.mark.parametrize("setting, raw, expected", [
    ("POLICY_COMMITTEE_MIN_MEMBERS", "three", "not a whole number"),
    ("POLICY_COMMITTEE_MIN_MEMBERS", 2.5, "not a whole number"),
    ("POLICY_COMMITTEE_MIN_MEMBERS", 3, "below the minimum"),
    ("POLICY_COMMITTEE_MIN_MEMBERS", 6, "must be odd"),
    ("POLICY_GRADE_VALIDITY_YEARS", 0, "below the minimum"),
    ("POLICY_TENDER_PRICE_WEIGHT_MIN", "abc", "not a number"),
    ("POLICY_TENDER_PRICE_WEIGHT_MIN", 40, "price weight minimum exceeds its maximum"),
    ("POLICY_PAYMENT_ADVANCE_PERCENT", 50, "add up to 100"),
    ("POLICY_GRADE_THRESHOLD_3", 920, "fall strictly"),
    ("LOGIN_MAX_FAILURES", "many", "not a whole number"),
    ("POLICY_NO_SUCH_RULE", 1, "no such policy rule"),
])
def test_a_bad_override_stops_the_app_at_start(database_url, tmp_path, setting, raw, expected):
    with pytest.raises(ConfigError) as failure:
        _start(database_url, tmp_path, **{setting: raw})
    message = str(failure.value)
    assert expected in message
    assert setting in message
    if setting.startswith("POLICY_"):
        assert f"MARKET_{setting}" in message  # the operator learns what to fix


def test_a_bad_override_set_at_runtime_is_refused_on_read(app):
    app.config["POLICY_COMMITTEE_MIN_MEMBERS"] = "lots"
    with app.app_context(), pytest.raises(policy.PolicyError,
                                          match="POLICY_COMMITTEE_MIN_MEMBERS"):
        policy.value("committee_min_members")


# --- the public page ------------------------------------------------------------------------

def test_the_page_lists_every_rule_in_chinese(policy_app, policy_client):
    response = policy_client.get("/rules")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "现行规则" in html and "本地选择" in html
    with policy_app.test_request_context(), force_locale("zh"):
        for area, rules in policy.all_rules():
            assert str(area.label) in html
            for rule in rules:
                assert f'id="rule-{rule.key}"' in html
                assert str(rule.label) in html, rule.key
                assert rule.env_var in html
                if not rule.is_local_choice:
                    assert str(rule.citation) in html, rule.key
    assert "5 年" in html  # grade validity
    assert "7 个工作日" in html  # challenge period
    assert "3A" in html and "10,485,760 字节" in html
    assert "《社会组织评估管理办法》（民政部令第39号）第二十八条" in html


def test_the_page_lists_every_rule_in_english(policy_app, policy_client):
    policy_client.post("/language/en", data={"next": "/"})
    html = policy_client.get("/rules").get_data(as_text=True)
    assert "Rules in force" in html and "Local choice" in html
    for rule in RULES:
        # lazy strings render as they are (Flask-Babel marks translations safe)
        assert rule.label._args[0] in html, rule.key
        if not rule.is_local_choice:
            assert rule.citation._args[0] in html, rule.key
    assert "7 working days" in html and "5 full years" in html


def test_the_page_shows_an_override_and_its_default(policy_app, policy_client):
    policy_app.config["POLICY_GRADE_VALIDITY_YEARS"] = 4
    html = policy_client.get("/rules").get_data(as_text=True)
    row = html.split('id="rule-grade_validity_years"')[1].split("</tr>")[0]
    assert "4 年" in row and "默认：5 年" in row
    untouched = html.split('id="rule-priority_grade"')[1].split("</tr>")[0]
    assert "默认" not in untouched


def test_the_page_is_public_and_in_the_menu(policy_client):
    html = policy_client.get("/").get_data(as_text=True)
    assert 'href="/rules"' in html


# --- the code reads the registry ------------------------------------------------------------

def test_tender_terms_follow_the_policy(app):
    from market.errors import Invalid
    from market.tenders.rules import clean_criteria

    criteria = [("价格", "35", True), ("服务方案", "65", False)]
    with app.app_context():
        with pytest.raises(Invalid):
            clean_criteria(criteria)  # 35 > the default maximum of 30
        app.config["POLICY_TENDER_PRICE_WEIGHT_MAX"] = 40
        assert [c.weight for c in clean_criteria(criteria)] == [Decimal("35"), Decimal("65")]


def test_the_default_payment_schedule_follows_the_policy(app):
    import datetime as dt

    from market.contracts.services import default_schedule

    start = dt.date(2026, 1, 1)
    with app.app_context():
        rows = default_schedule(start)
        assert [(r.percent, r.due_date) for r in rows] == [
            ("30", dt.date(2026, 1, 31)), ("40", dt.date(2026, 6, 30)),
            ("30", dt.date(2026, 11, 27))]
        assert [r.needs_evaluation for r in rows] == [False, False, True]
        app.config.update(POLICY_PAYMENT_ADVANCE_PERCENT=20, POLICY_PAYMENT_MIDTERM_PERCENT=50)
        assert [r.percent for r in default_schedule(start)] == ["20", "50", "30"]


def test_the_password_length_follows_the_policy(app):
    client = app.test_client()
    form = {"username": "neworg", "display_name": "x", "password": "short", "confirm": "short"}
    response = client.post("/signup", data=form)
    assert response.status_code == 400
    assert "密码至少需要 8 个字符" in response.get_data(as_text=True)
    app.config["POLICY_PASSWORD_MIN_LENGTH"] = 12
    form.update(password="elevenchars", confirm="elevenchars")
    response = client.post("/signup", data=form)
    assert response.status_code == 400
    assert "密码至少需要 12 个字符" in response.get_data(as_text=True)
