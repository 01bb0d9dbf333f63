#!/usr/bin/env python3
"""The two commands a newcomer needs.

    python3 dev.py demo    set up from nothing, then run the platform with demo data
                           (SQLite) at http://127.0.0.1:5000
    python3 dev.py test    set up from nothing, then run the whole test suite
                           (extra arguments go to pytest; TEST_DATABASE_URL selects PostgreSQL)

Only the Python standard library is used here: this file creates the virtual environment.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".setup-stamp"


def run(*args, env=None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def setup() -> None:
    """Create .venv and install the project with its test extras when pyproject changes."""
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PY, "-m", "pip", "install", "--quiet", "-e", ".[test]")
        STAMP.write_text(digest)
    run(PY, "-m", "flask", "--app", "wsgi", "i18n", "compile")


def demo() -> None:
    setup()
    env = dict(os.environ)
    flask = [PY, "-m", "flask", "--app", "wsgi"]
    run(*flask, "db", "upgrade", "--set-aside-stale-sqlite", env=env)
    run(*flask, "demo", "seed", env=env)
    port = os.environ.get("PORT", "5000")
    print(f"\nOpen http://127.0.0.1:{port} and log in with one of the demo accounts above.\n",
          flush=True)
    run(*flask, "run", "--host", "127.0.0.1", "--port", port, env=env)


def test(extra: list[str]) -> int:
    setup()
    # In parallel on every core unless told otherwise (-n N, or -n 0 for one process).
    parallel = [] if any(a == "-n" or a.startswith("-n") for a in extra) else ["-n", "auto"]
    result = subprocess.run([str(PY), "-m", "pytest", *parallel, *extra], cwd=ROOT)
    return result.returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "setup"}:
        print(__doc__)
        return 2
    try:
        if argv[0] == "demo":
            demo()
        elif argv[0] == "setup":
            setup()
        else:
            return test(argv[1:])
    except subprocess.CalledProcessError as e:
        return e.returncode or 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
