"""Flask-Babel set-up: Simplified Chinese by default, English on request (remembered).

Catalogs live under translations/<part>/<locale>/LC_MESSAGES/messages.po — one part per
feature — and are compiled at setup (``flask i18n compile``), never committed as .mo.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel
from flask_login import current_user

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANG_COOKIE = "lang"

babel = Babel()


def translation_dirs() -> list[str]:
    return sorted(str(p) for p in TRANSLATIONS.iterdir() if p.is_dir()) if TRANSLATIONS.exists() else []


def translation_memory(locale: str = "zh") -> dict[str, str]:
    """Every translated msgid of every part (for messages that move between parts)."""
    memory: dict[str, str] = {}
    for po_path in TRANSLATIONS.glob(f"*/{locale}/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as f:
            for message in read_po(f, locale=locale):
                if message.id and message.string:
                    memory.setdefault(message.id, message.string)
    return memory


def compile_catalogs(force: bool = False) -> int:
    """Compile every .po into .mo beside it; returns how many were (re)written."""
    written = 0
    for po_path in TRANSLATIONS.glob("*/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as f:
            write_mo(f, catalog)
        written += 1
    return written


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", ";".join(translation_dirs()))
    babel.init_app(app, locale_selector=select_locale)


# Which source paths feed which catalog part (one part per feature, so features can be
# translated independently). Paths are relative to the project root.
CATALOG_PARTS: dict[str, list[str]] = {
    "core": ["market/__init__.py", "market/errors.py", "market/access", "market/accounts",
             "market/home", "market/nav.py",
             "market/core", "market/demo", "market/money.py",
             "templates/base.html", "templates/_macros.html", "templates/accounts",
             "templates/home", "templates/errors"],
    "auditlog": ["market/auditlog", "templates/auditlog"],
    "policy": ["market/policy", "templates/policy"],
    "orgs": ["market/orgs", "market/documents", "templates/orgs"],
    "catalogs": ["market/catalogs", "market/funds.py", "templates/catalogs"],
    "tenders": ["market/tenders", "market/api", "templates/tenders"],
    "scoring": ["market/tenders/scoring", "templates/scoring"],
    "experts": ["market/experts", "templates/experts"],
    "grants": ["market/grants", "templates/grants"],
    "contracts": ["market/contracts", "templates/contracts", "market/api/contracts.py"],
    "grading": ["market/grading", "templates/grading"],
    "performance": ["market/performance", "templates/performance"],
    "auditor": ["market/auditor", "templates/auditor"],
    "incubation": ["market/incubation", "templates/incubation"],
    "ocds": ["market/ocds", "templates/ocds"],
    "disclosure": ["market/disclosure", "templates/disclosure"],
    "complaints": ["market/complaints", "templates/complaints"],
    "credit": ["market/credit", "templates/credit"],
    "redflags": ["market/redflags", "templates/redflags"],
    "dashboard": ["market/dashboard", "templates/dashboard"],
}


def owning_part(source: str) -> str | None:
    """The part whose path is the longest prefix of ``source`` (an absolute path)."""
    best, length = None, -1
    for part, paths in CATALOG_PARTS.items():
        for rel in paths:
            base = str(ROOT / rel)
            if (source == base or source.startswith(base + "/")) and len(base) > length:
                best, length = part, len(base)
    return best


KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "_n": (1, 2)}


def extract_messages(paths: list[str]) -> dict[str, list[str]]:
    """msgid -> source files, for the given files and folders."""
    from babel.messages.extract import extract_from_dir, extract_from_file

    found: dict[str, list[str]] = {}
    method_map = [("**.py", "python"), ("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.do"}}
    for rel in paths:
        path = ROOT / rel
        if not path.exists():
            continue
        if path.is_dir():
            items = ((str(path / f), msg) for f, _l, msg, _c, _ctx in
                     extract_from_dir(str(path), method_map, options, KEYWORDS))
        else:
            method = "python" if path.suffix == ".py" else "jinja2"
            items = ((str(path), msg) for _l, msg, _c, _ctx in
                     extract_from_file(method, str(path), KEYWORDS))
        for source, msg in items:
            msgid = msg[0] if isinstance(msg, tuple) else msg
            if msgid:
                found.setdefault(msgid, []).append(source)
    return found


def update_part(part: str, locale: str = "zh",
                memory: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """Bring a part's .po in line with its sources; returns (count, untranslated ids).

    ``memory`` (msgid -> translation) fills messages that moved here from another part."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    po_path = TRANSLATIONS / part / locale / "LC_MESSAGES" / "messages.po"
    old = None
    if po_path.exists():
        with po_path.open("rb") as f:
            old = read_po(f, locale=locale)
    catalog = Catalog(locale=locale, project="gongyi-market", charset="utf-8")
    # A source belongs to the part with the most specific path for it (a file or a
    # sub-folder another part names is translated there, not via a folder here).
    found = extract_messages(CATALOG_PARTS[part])
    for msgid in sorted(m for m, sources in found.items()
                        if any(owning_part(s) == part for s in sources)):
        previous = old.get(msgid) if old else None
        string = previous.string if previous and previous.string else ""
        catalog.add(msgid, string or (memory or {}).get(msgid, ""))
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False, sort_output=True, no_location=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    return len([m for m in catalog if m.id]), missing
