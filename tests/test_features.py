"""Explicit registration: each feature's ``init_app`` registers on one app; an app whose
features leave a document owner type without an access policy, or the audit log without
its sealed-bid redaction, refuses to start."""
from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import market
from market import create_app, features, nav
from market.auditlog.services import SEALED_BIDS
from market.catalogs import demo as catalogs_demo
from market.config import ConfigError
from market.core import registry
from market.documents.models import OwnerType
from market.documents.storage import DocumentStore, Upload, prepare_document

ROOT = Path(market.__file__).parent


def _config(database_url, tmp_path):
    return {"TESTING": True, "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"), "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://"}


def _make(database_url, tmp_path, feature_list):
    app = create_app(_config(database_url, tmp_path), features=feature_list)
    app.extensions["db_engine"].dispose()
    return app


def _without(*dropped):
    return [f for f in features.FEATURES if f not in dropped]


# --- the start-up checks ----------------------------------------------------------------

def test_every_feature_is_listed_once_and_has_an_init_app():
    assert len(set(map(id, features.FEATURES))) == len(features.FEATURES)
    for feature in features.FEATURES:
        assert callable(getattr(feature, "init_app", None)), feature.__name__
    listed = {f.__name__ for f in features.FEATURES}
    for info in pkgutil.iter_modules([str(ROOT)]):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"market.{info.name}")
        if hasattr(module, "init_app"):
            assert module.__name__ in listed, f"{module.__name__} is not in FEATURES"


def test_the_full_app_starts_with_every_owner_type_covered(app):
    assert set(registry.of(app, "document_policies", dict)) == set(OwnerType)
    assert SEALED_BIDS in registry.of(app, "audit_redactions", dict)


def test_an_app_without_the_policy_for_an_owner_type_refuses_to_start(database_url, tmp_path):
    from market import orgs

    with pytest.raises(ConfigError, match="owner type 'organization' has no access policy"):
        _make(database_url, tmp_path, _without(orgs))


@pytest.mark.parametrize("owner_type", list(OwnerType))
def test_each_owner_type_needs_its_policy(database_url, tmp_path, owner_type):
    """A feature that forgets one policy (simulated: the policy is taken away again)."""
    forgetful = SimpleNamespace(init_app=lambda app: registry.of(
        app, "document_policies", dict).pop(owner_type))
    with pytest.raises(ConfigError, match=f"owner type '{owner_type.value}'"):
        _make(database_url, tmp_path, [*features.FEATURES, forgetful])


def test_an_app_without_the_sealed_bid_redaction_refuses_to_start(database_url, tmp_path):
    from market import tenders

    def tenders_without_redaction(app):
        tenders.init_app(app)
        registry.of(app, "audit_redactions", dict).pop(SEALED_BIDS)

    feature_list = [SimpleNamespace(init_app=tenders_without_redaction) if f is tenders else f
                    for f in features.FEATURES]
    with pytest.raises(ConfigError, match="redaction 'sealed_bids' is not registered"):
        _make(database_url, tmp_path, feature_list)


def test_an_app_without_tenders_lacks_both_and_says_so(database_url, tmp_path):
    from market import tenders

    with pytest.raises(ConfigError) as refused:
        _make(database_url, tmp_path, _without(tenders))
    message = str(refused.value)
    for owner_type in ("tender", "bid"):
        assert f"owner type '{owner_type}'" in message
    assert "'sealed_bids'" in message


# --- per-app registries -----------------------------------------------------------------

def test_two_apps_with_different_features_do_not_share_nav_items(database_url, tmp_path):
    from market import catalogs

    full = _make(database_url, tmp_path, None)
    bare = _make(database_url, tmp_path, _without(catalogs))
    again = _make(database_url, tmp_path, None)  # the catalogs' modules are imported by now

    def endpoints(app):
        return {item.endpoint for item in nav.items(app)}

    assert {"catalogs.index", "catalogs.mine", "catalogs.review"} <= endpoints(full)
    assert not {e for e in endpoints(bare) if e.startswith("catalogs.")}
    assert endpoints(again) == endpoints(full)
    assert "catalogs" not in bare.blueprints

    # The catalogs' home to-do count (their former panel) is registered on its app only.
    def todo_keys(app):
        with app.app_context():
            return {t.key for t in registry.current("home_todos", dict).get("department", [])}

    assert "catalogs_to_finish" in todo_keys(full)
    assert "catalogs_to_finish" not in todo_keys(bare)
    assert todo_keys(again) == todo_keys(full)

    # The public portal renders every link it has: none to a blueprint the app lacks.
    page = bare.test_client().get("/")
    assert page.status_code == 200
    assert 'href="/catalogs/"' not in page.get_data(as_text=True)
    assert 'href="/catalogs/"' in full.test_client().get("/").get_data(as_text=True)


def test_init_app_of_a_feature_twice_on_one_app_adds_nothing_twice(app):
    from market import policy

    before = nav.items(app)
    policy.init_app(app)
    assert nav.items(app) == before


def test_seeders_are_per_app(database_url, tmp_path):
    from market import catalogs

    bare = _make(database_url, tmp_path, _without(catalogs))
    with bare.app_context():
        assert catalogs_demo.seed not in registry.current("demo_seeders", dict).values()


# --- owner types are declared -----------------------------------------------------------

LITERAL_OWNER = re.compile(r"""owner_type\s*(?:=|==)\s*["']([a-z_]+)["']""")


def test_the_code_names_owner_types_only_through_the_enum():
    found = {}
    for path in ROOT.rglob("*.py"):
        for match in LITERAL_OWNER.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), []).append(str(path.relative_to(ROOT)))
    assert found == {}, "use market.documents.models.OwnerType"


def test_storing_a_document_under_an_undeclared_owner_type_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a valid OwnerType"):
        prepare_document(None, Upload("a.pdf", b"%PDF-1.4\n%%EOF\n"), owner_type="nonsense",
                         owner_id=1, purpose="test", actor=None,
                         store=DocumentStore(tmp_path / "up", 1 << 20))
    assert not (tmp_path / "up").exists()


def test_no_import_fallback_fails_open():
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                 if re.search(r"except\s*\(?\s*(ImportError|ModuleNotFoundError)",
                              p.read_text(encoding="utf-8"))]
    assert offenders == []
