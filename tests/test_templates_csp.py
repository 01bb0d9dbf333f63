"""Pages run under a Content-Security-Policy without 'unsafe-inline': no template may
carry an inline script or an inline event handler (it would silently not run)."""
from __future__ import annotations

import re

from market.i18n import ROOT

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)


def test_no_inline_script_handler_or_style():
    problems = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTR):
            for match in pattern.finditer(text):
                problems.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert problems == []
