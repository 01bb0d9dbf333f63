#!/usr/bin/env python3
"""The two commands a newcomer needs.

    python3 dev.py demo    set up from nothing, then run the platform with demo data
                           (SQLite) at http://127.0.0.1:5000
    python3 dev.py test    set up from nothing, then run the whole test suite
                           (extra arguments go to pytest; TEST_DATABASE_URL selects PostgreSQL)

Only the Python standard library is used here: this file creates the virtual environment.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".setup-stamp"

# Apache ECharts for the policy-targets dashboard: a pinned release from the npm registry,
# checked against the registry's sha512 integrity, served from static/ (git-ignored) with
# its licence. The SHA-256 of each extracted file makes a second setup a no-op.
ECHARTS_VERSION = "5.6.0"
ECHARTS_TARBALL = f"https://registry.npmjs.org/echarts/-/echarts-{ECHARTS_VERSION}.tgz"
ECHARTS_INTEGRITY = ("sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPF"
                     "NkDVopOieyUqYGH8Fa3kA==")
ECHARTS_DIR = ROOT / "static" / "vendor" / "echarts"
ECHARTS_FILES = {  # path in the package -> (name in static/vendor/echarts, sha256)
    "package/dist/echarts.min.js": (
        "echarts.min.js", "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"),
    "package/LICENSE": (
        "LICENSE", "634293835b43a6dd2094fa39182a3d9a6b9ca43b7fdb9ac354e8037af2a3093a"),
    "package/NOTICE": (
        "NOTICE", "fa99ac3af859d0e13166906dc53a73ad34a08898da7e8ae83407275496e9e30c"),
}


def run(*args, env=None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _echarts_present() -> bool:
    return all((ECHARTS_DIR / name).is_file() and _sha256(ECHARTS_DIR / name) == digest
               for name, digest in ECHARTS_FILES.values())


def _echarts_tarball() -> bytes:
    """The pinned tarball: ``npm pack`` when npm is installed (it follows the user's npm
    registry settings), else a plain download from the npm registry."""
    if shutil.which("npm"):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                subprocess.run(["npm", "pack", f"echarts@{ECHARTS_VERSION}", "--silent",
                                "--pack-destination", tmp], check=True, cwd=tmp,
                               stdout=subprocess.DEVNULL)
                return (Path(tmp) / f"echarts-{ECHARTS_VERSION}.tgz").read_bytes()
            except (subprocess.CalledProcessError, OSError) as e:
                print(f"npm pack failed ({e}); downloading instead", flush=True)
    with urllib.request.urlopen(ECHARTS_TARBALL, timeout=120) as response:
        return response.read()


def vendor_echarts() -> None:
    """Put ECharts' dist/echarts.min.js, LICENSE and NOTICE in static/vendor/echarts/,
    unless they are there with the pinned hashes."""
    if _echarts_present():
        return
    print(f"+ fetch echarts {ECHARTS_VERSION} from the npm registry", flush=True)
    data = _echarts_tarball()
    algorithm, expected = ECHARTS_INTEGRITY.split("-", 1)
    got = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if got != expected:
        raise SystemExit(f"echarts-{ECHARTS_VERSION}.tgz: integrity {algorithm}-{got} is not "
                         f"the pinned {ECHARTS_INTEGRITY}; refusing to use it")
    ECHARTS_DIR.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member, (name, digest) in ECHARTS_FILES.items():
            content = tar.extractfile(member).read()
            if hashlib.sha256(content).hexdigest() != digest:
                raise SystemExit(f"echarts {member}: unexpected content")
            (ECHARTS_DIR / name).write_bytes(content)


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
    vendor_echarts()


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
