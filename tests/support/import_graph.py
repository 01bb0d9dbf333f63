"""The import graph of the ``market`` package, read with ``ast`` (nothing is imported).

Every ``import`` statement counts, wherever it stands: at module level, inside a function
(a lazy import is still a dependency; it is how a circle hides), inside ``try``. Only
imports under ``if TYPE_CHECKING:`` are left out: they never run, and they are the sanctioned
way for a model to name the class at the other end of a relationship.

Two graphs:

* the module graph: ``market.tenders.scoring.challenges`` -> ``market.tenders.scoring.award``
* the package graph: each module folded into its room (``PACKAGES``), e.g. ``tenders`` ->
  ``orgs``. ``tenders.scoring`` is a room of its own inside ``tenders``.

Run ``python -m tests.support.import_graph`` for a report of the circles in both, and
``python -m tests.support.import_graph --views-contracts`` for the generated import-linter
contracts of pyproject.toml.
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The rooms (feature packages) and the top-level modules, as nodes of the package graph.
PACKAGES = (
    "access", "accounts", "orgs", "documents", "catalogs", "experts", "tenders", "tenders.scoring",
    "contracts", "grading", "grants", "performance", "incubation", "auditlog", "auditor", "home", "api", "ocds",
    "disclosure", "complaints", "credit", "redflags", "dashboard",
    "policy", "core", "demo",
    "funds", "nav", "db", "clock", "errors", "i18n", "security", "config", "cli", "models",
    "money", "features", "all_models", "backup", "scale",
)

#: Composition roots: they import every room by design (the app factory, the list of
#: features, the CLI, Alembic's model list, the backup of every table). Nothing but another
#: root may import them.
COMPOSITION_ROOTS = ("market", "features", "cli", "all_models", "backup", "scale")


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int
    lazy: bool  # inside a function body


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def discover(package: str = "market", root: Path = ROOT) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


class _Collector(ast.NodeVisitor):
    def __init__(self, name: str, is_package: bool, modules: set[str]):
        self.name = name
        self.package = name if is_package else name.rpartition(".")[0]
        self.modules = modules
        self.depth = 0
        self.edges: list[Edge] = []

    def _resolve(self, target: str) -> str | None:
        """The most specific known module that ``target`` names (or None if outside)."""
        while target:
            if target in self.modules:
                return target
            target = target.rpartition(".")[0]
        return None

    def _add(self, target: str, node: ast.AST) -> None:
        resolved = self._resolve(target)
        if resolved and resolved != self.name:
            self.edges.append(Edge(self.name, resolved, node.lineno, self.depth > 0))

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _function(self, node) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            source = f"{base}.{node.module}" if node.module else base
        else:
            source = node.module or ""
        for alias in node.names:
            # ``from market.x import y`` imports the module market.x.y when there is one.
            if f"{source}.{alias.name}" in self.modules:
                self._add(f"{source}.{alias.name}", node)
            else:
                self._add(source, node)


def module_edges(package: str = "market", root: Path = ROOT) -> list[Edge]:
    found = discover(package, root)
    names = set(found)
    edges: list[Edge] = []
    for name, path in found.items():
        collector = _Collector(name, path.name == "__init__.py", names)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        edges.extend(collector.edges)
    return edges


def package_of(module: str, packages=PACKAGES) -> str:
    """The room a market module belongs to: the longest matching entry of ``packages``."""
    rest = module.removeprefix("market").lstrip(".")
    best = "market"
    for p in packages:
        if (rest == p or rest.startswith(p + ".")) and (best == "market" or len(p) > len(best)):
            best = p
    return best


def package_edges(edges: list[Edge]) -> list[Edge]:
    return [Edge(package_of(e.importer), package_of(e.imported), e.line, e.lazy)
            for e in edges if package_of(e.importer) != package_of(e.imported)]


def graph(edges: list[Edge]) -> dict[str, set[str]]:
    g: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        g[e.importer].add(e.imported)
        g.setdefault(e.imported, set())
    return g


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    for start in sorted(g):
        if start in index:
            continue
        work = [(start, iter(sorted(g[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(g[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return sorted(result)


def describe(component: list[str], edges: list[Edge]) -> str:
    """The edges inside one strongly connected component, with where they are."""
    members = set(component)
    lines = [" <-> ".join(component)]
    for e in sorted(set(edges), key=lambda e: (e.importer, e.imported, e.line)):
        if e.importer in members and e.imported in members:
            lazy = " (lazy)" if e.lazy else ""
            lines.append(f"    {e.importer} -> {e.imported} line {e.line}{lazy}")
    return "\n".join(lines)


def report(package: str = "market") -> str:
    edges = module_edges(package)
    out = ["module cycles:"]
    out += [describe(c, edges) for c in cycles(graph(edges))] or ["    none"]
    pedges = package_edges(edges)
    out.append("package cycles:")
    comps = cycles(graph(pedges))
    if not comps:
        out.append("    none")
    for comp in comps:
        members = set(comp)
        out.append(" <-> ".join(comp))
        for e in sorted(set(edges), key=lambda e: (e.importer, e.imported, e.line)):
            a, b = package_of(e.importer), package_of(e.imported)
            if a != b and a in members and b in members:
                lazy = " (lazy)" if e.lazy else ""
                out.append(f"    {a} -> {b}: {e.importer} -> {e.imported} line {e.line}{lazy}")
    return "\n".join(out)




# --- the import-linter contracts that are generated, not written by hand ----------------

#: Top-level modules that are infrastructure (not rooms, not composition roots).
INFRASTRUCTURE = ("clock", "config", "db", "errors", "funds", "i18n", "models", "money", "nav",
                  "security")


def rooms_with_views(root: Path = ROOT) -> list[str]:
    """Rooms whose pages are their own: ``market.<room>.views`` exists (module or package),
    and the API, whose route modules are its views."""
    found = discover("market", root)
    rooms = [p for p in PACKAGES if f"market.{p}.views" in found]
    return sorted(rooms + ["api"])


def views_forbidden_contracts(root: Path = ROOT) -> list[dict]:
    """One ``forbidden`` contract per room with views: no other room, and no infrastructure
    module, imports them. A room nested in another (``tenders.scoring``) is guarded from
    its parent's other modules one by one (a contract's sources cannot contain its target).
    """
    found = discover("market", root)
    sources_all = [p for p in PACKAGES if p not in COMPOSITION_ROOTS]
    contracts = []
    for room in rooms_with_views(root):
        target = f"market.{room}" if room == "api" else f"market.{room}.views"
        sources = []
        for other in sources_all:
            if other == room or room.startswith(other + ".") or other.startswith(room + "."):
                continue
            sources.append(f"market.{other}")
        for parent in (p for p in PACKAGES if room.startswith(p + ".")):
            prefix = f"market.{parent}."
            children = sorted({m[len(prefix):].split(".")[0] for m in found
                               if m.startswith(prefix)})
            nested = room[len(parent) + 1:].split(".")[0]
            sources += [f"{prefix}{c}" for c in children if c != nested]
        sources = sorted({s for s in sources
                          if not any(s.startswith(o + ".") for o in sources)})
        contracts.append({
            "name": f"No other room imports {target}",
            "type": "forbidden",
            "source_modules": sources,
            "forbidden_modules": [target],
            "allow_indirect_imports": True,
        })
    return contracts


def views_contracts_toml(root: Path = ROOT) -> str:
    """The generated contracts as TOML, to paste into pyproject.toml."""
    def fmt(values: list[str]) -> str:
        lines, line = [], "   "
        for v in values:
            item = f' "{v}",'
            if len(line) + len(item) > 99:
                lines.append(line)
                line = "   "
            line += item
        lines.append(line)
        return "[\n" + "\n".join(lines) + "\n]"

    out = []
    for c in views_forbidden_contracts(root):
        out.append("[[tool.importlinter.contracts]]")
        out.append(f'name = "{c["name"]}"')
        out.append(f'type = "{c["type"]}"')
        out.append(f"source_modules = {fmt(c['source_modules'])}")
        out.append(f'forbidden_modules = ["{c["forbidden_modules"][0]}"]')
        out.append("allow_indirect_imports = true")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1:] == ["--views-contracts"]:
        print(views_contracts_toml())
    else:
        print(report(*sys.argv[1:]))
