"""Hostile input, fuzzed (hypothesis): the full demo (tests/probes' ``showcase``), the bounds,
the figures.

``FUZZ_EXAMPLES`` (default 10) is the number of generated cases per test and per target
in CI; run the long variant by hand, e.g. ``FUZZ_EXAMPLES=300``. ``FUZZ_SEED`` fixes the
generator (default: a fixed seed, so CI runs the same cases each time). Each test writes
its figures (cases run, answers by status, 5xx found) to ``test-artifacts/fuzz/`` and
records them as a "probe" property (printed at the end of the run).
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.probes.conftest import showcase  # noqa: F401  (the fixture, shared)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("FUZZ_SEED", "20261202"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "fuzz"


@dataclass
class Figures:
    """What one fuzz test tried and found."""

    name: str
    cases: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # 5xx: must stay empty
    written_on_refusal: list[str] = field(default_factory=list)
    stored_script: list[str] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)

    def seen(self, target: str, status: int) -> None:
        self.cases += 1
        self.statuses[status] += 1
        self.targets.add(target)

    def summary(self) -> dict:
        return {"test": self.name, "cases": self.cases, "targets": len(self.targets),
                "examples_per_target": EXAMPLES, "seed": SEED,
                "statuses": dict(sorted(self.statuses.items())),
                "5xx": len(self.server_errors), "written_on_refusal":
                    len(self.written_on_refusal), "stored_script": len(self.stored_script),
                "target_names": sorted(self.targets),
                "first_problems": (self.server_errors + self.written_on_refusal
                                   + self.stored_script)[:30]}


@pytest.fixture
def figures(request, record_property):
    """A Figures for this test: the test calls ``figures.report()`` before its assertions
    (the figures are then printed in the "probes" summary); the JSON file is written when
    the test ends, failed or not."""
    figs = Figures(request.node.name)

    def report():
        s = figs.summary()
        record_property("probe", f"{s['cases']} cases over {s['targets']} targets, statuses "
                                 f"{s['statuses']}, 5xx {s['5xx']}, written on refusal "
                                 f"{s['written_on_refusal']}, stored script {s['stored_script']}")

    figs.report = report
    yield figs
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in figs.name)
    (ARTIFACTS / f"{safe}.json").write_text(
        json.dumps(figs.summary(), ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture
def fuzz_app(app):
    """The app answering a crash with its 500 page (as in production) instead of raising
    it into the test, so every case is counted."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app
