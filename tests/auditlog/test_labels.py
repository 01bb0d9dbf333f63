"""Every action the code base writes to the audit log has its words, in both languages;
an unknown code is shown as it is."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from market.auditlog import labels
from market.grants.funding_models import EVALUATED_STAGES
from market.orgs.enums import Decision, Track
from market.orgs.status import STATUS_ACTIONS

ROOT = Path(__file__).resolve().parents[2]

# Calls whose action or object type is not a literal: the values each expression takes,
# read from the code that builds it. A new non-literal call fails the test until it is
# named here (and its values labelled).
DYNAMIC = {
    "action": {"revise", "submit"},  # tenders/bid_services.py: "revise" if a bid exists
    "f'submit_{track.value}'": {f"submit_{t.value}" for t in Track},
    "decision.value": {d.value for d in Decision},
    "f'report_{stage}'": {f"report_{s}" for s in EVALUATED_STAGES},
    "f'assign_{stage}'": {f"assign_{s}" for s in EVALUATED_STAGES},
    "f'evaluate_{stage}'": {f"evaluate_{s}" for s in EVALUATED_STAGES},
}
# orgs/status.py records its STATUS_ACTIONS.
DYNAMIC_BY_FILE = {("market/orgs/status.py", "action"): set(STATUS_ACTIONS)}
# orgs/demo.py replays (object type, action) rows it lists itself.
DYNAMIC_PAIRS = {"market/orgs/demo.py": {
    "organization.import", "annual_report.submit", "annual_report.inspect",
    "departure_audit.record", "organization.change_legal_representative"}}


def _values(node: ast.expr, path: str) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(node.body, path) | _values(node.orelse, path)
    source = ast.unparse(node)
    if (path, source) in DYNAMIC_BY_FILE:
        return DYNAMIC_BY_FILE[(path, source)]
    if source in DYNAMIC:
        return DYNAMIC[source]
    raise AssertionError(f"{path}: audit action {source!r} is not a literal; "
                         "name its values in DYNAMIC")


def recorded_actions() -> set[str]:
    """``type.action`` of every call to ``market.auditlog.services.record`` under market/."""
    found: set[str] = set()
    for file in sorted((ROOT / "market").rglob("*.py")):
        tree = ast.parse(file.read_text("utf-8"))
        names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                 and n.module == "market.auditlog.services" for a in n.names
                 if a.name == "record"}
        path = str(file.relative_to(ROOT))
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id in names):
                continue
            args = dict(enumerate(call.args))
            keywords = {k.arg: k.value for k in call.keywords}
            kind = args.get(2, keywords.get("object_type"))
            action = args.get(4, keywords.get("action"))
            if path in DYNAMIC_PAIRS and not isinstance(kind, ast.Constant):
                found |= DYNAMIC_PAIRS[path]
                continue
            for t in _values(kind, path):
                found |= {f"{t}.{a}" for a in _values(action, path)}
    return found


def test_the_scan_finds_the_calls():
    """The scan itself sees the calls (a broken scan would pass everything)."""
    actions = recorded_actions()
    assert {"tender.publish", "contract.sign", "milestone.pay", "bid.revise",
            "grant.evaluate_final", "application.submit_filed"} <= actions
    assert len(actions) > 100


def test_every_recorded_action_and_object_type_has_words():
    actions = recorded_actions()
    assert sorted(actions - set(labels.ACTIONS)) == []
    assert sorted({a.partition(".")[0] for a in actions} - set(labels.OBJECT_TYPES)) == []
    # and nothing labelled that nothing records (a renamed action leaves a stale label)
    assert sorted(set(labels.ACTIONS) - actions) == []


def test_every_label_is_translated():
    translated = {}
    with (ROOT / "translations/auditlog/zh/LC_MESSAGES/messages.po").open("rb") as f:
        for m in read_po(f, locale="zh"):
            translated[m.id] = m.string
    for table in (labels.ACTIONS, labels.OBJECT_TYPES, labels.STATES):
        for code, words in table.items():
            assert translated.get(words._args[0]), code


def test_words_in_each_language_and_codes_as_they_are(app):
    with app.test_request_context():
        with force_locale("zh"):
            assert labels.action_label("tender", "publish") == "发布招标"
            assert labels.object_label("grant_application") == "资助申请"
            assert labels.state_label("draft") == "草稿"
            assert labels.state_label("500000.00", "catalog_item", "amend_budget") \
                == "500,000.00 元"
        with force_locale("en"):
            assert labels.action_label("tender", "publish") == "Tender published"
        assert labels.action_label("tender", "teleport") == "teleport"
        assert labels.object_label("spaceship") == "spaceship"
        assert labels.state_label("v2") == "v2"
        assert labels.state_label(None) == ""


@pytest.mark.parametrize("code", ["tender.publish", "contract.sign"])
def test_action_choices_are_labelled(app, code):
    with app.test_request_context(), force_locale("zh"):
        choices = dict(labels.action_choices(code.partition(".")[0]))
        assert choices[code] == str(labels.ACTIONS[code])
        assert all(c.startswith(code.partition(".")[0] + ".") for c in choices)
