"""No circles: the import layering of pyproject.toml holds, and nothing imports in a circle.

Two independent readings of the same rule: import-linter (grimp) with the contracts in
pyproject.toml, and this repository's own ``ast`` reading (tests/support/import_graph.py),
which also counts imports inside functions — the way a circle used to hide here.
"""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.support import import_graph

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> Path:
    script = Path(sys.executable).parent / "lint-imports"
    assert script.exists(), "import-linter is missing: pip install -e '.[test]'"
    return script


def test_import_contracts_are_kept():
    result = subprocess.run(
        [str(_lint_imports()), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_circle_between_rooms():
    edges = import_graph.package_edges(import_graph.module_edges())
    circles = import_graph.cycles(import_graph.graph(edges))
    assert circles == [], "\n" + import_graph.report()


def test_no_circle_between_modules():
    edges = import_graph.module_edges()
    circles = import_graph.cycles(import_graph.graph(edges))
    assert circles == [], "\n" + "\n".join(import_graph.describe(c, edges) for c in circles)


def test_only_composition_roots_import_composition_roots():
    roots = set(import_graph.COMPOSITION_ROOTS)
    wrong = sorted({f"{e.importer} -> {e.imported} line {e.line}"
                    for e in import_graph.module_edges()
                    if import_graph.package_of(e.imported) in roots
                    and import_graph.package_of(e.importer) not in roots})
    assert wrong == []


def test_every_room_is_a_node_of_the_graph():
    """A new room (a package under market/) must be named in ``PACKAGES``, else its
    imports would be folded into ``market`` and its circles missed."""
    rooms = {p.name for p in (ROOT / "market").iterdir()
             if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in (ROOT / "market").glob("*.py") if p.stem != "__init__"}
    named = {p.split(".")[0] for p in import_graph.PACKAGES}
    missing = sorted((rooms | modules) - named)
    assert missing == [], "name them in tests/support/import_graph.py PACKAGES"


def test_generated_views_contracts_are_current():
    """The "no other room imports X.views" contracts list every room with pages; after
    adding a room or a module to one, regenerate them:
    ``python -m tests.support.import_graph --views-contracts``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    have = [{"name": c["name"], "type": c["type"], "source_modules": c["source_modules"],
             "forbidden_modules": c["forbidden_modules"],
             "allow_indirect_imports": c.get("allow_indirect_imports", False)}
            for c in contracts if c["name"].startswith("No other room imports ")]
    assert have == import_graph.views_forbidden_contracts()


def test_words_keyed_by_value_cover_every_member():
    """Role and the registry's enums read their words from a labels module keyed by value
    (so the words need not import the enums, which import them): none may be missing."""
    from market.access.labels import ROLE_LABELS
    from market.access.permissions import Role
    from market.orgs import enums
    from market.orgs.labels import LABELS

    assert set(ROLE_LABELS) == {r.value for r in Role}
    labelled = {name for name, cls in vars(enums).items() if isinstance(cls, type)
                and issubclass(cls, enums._Labelled) and cls is not enums._Labelled}
    assert set(LABELS) == labelled
    for name in labelled:
        assert set(LABELS[name]) == {m.value for m in getattr(enums, name)}, name
