"""Static analysis as tests: ruff (pycodestyle errors and warnings, pyflakes, bugbear; the
rules are in pyproject.toml ``[tool.ruff.lint]``) and bandit with no high-severity
finding, over the application (market/) and the ledger (ledger/)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["market", "ledger"]


def _tool(name: str) -> str:
    """The tool from this interpreter's environment (the test extra installs both)."""
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff_finds_nothing():
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", *TARGETS], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_checks_the_configured_rules():
    """The rules the configuration promises are the ones ruff applies (a typo in
    pyproject.toml would silently check less)."""
    result = subprocess.run([_tool("ruff"), "check", "--show-settings", "market/__init__.py"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    enabled = result.stdout.split("linter.rules.enabled = [", 1)[1].split("]", 1)[0]
    for code in ("E711", "F401", "W291", "B006"):  # one rule of each selected family
        assert f"({code})" in enabled, code
    assert "(E501)" not in enabled


def test_bandit_finds_no_high_severity_issue():
    result = subprocess.run([_tool("bandit"), "-q", "-r", *TARGETS, "-lll", "-f", "json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    high = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
            for r in report["results"] if r["issue_severity"] == "HIGH"]
    assert high == [], "\n".join(high)
    assert result.returncode == 0, result.stderr
    assert report["metrics"]["_totals"]["loc"] > 1000  # it really read the code
