"""Every form, fuzzed: each demo role finds the POST forms its pages offer (a bounded crawl
of the full demo), then hypothesis posts them with hostile values — the cases of finding 8
(huge ids, 1e30 amounts, NUL bytes, dates out of range, repeated and unknown fields) plus
Unicode edge cases, HTML and script, SQL metacharacters, template syntax, path traversal
in upload file names, zip bombs and polyglot files.

For every case: no 5xx; a refusal (4xx) changed no row of any table (ledger included); a
write never puts the script it was sent, unescaped, on the page it leads to. Bounded by
FUZZ_EXAMPLES (cases per form, default 10) — FUZZ_EXAMPLES=100 is the long variant.
"""
from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from tests.fuzz.conftest import EXAMPLES, SEED
from tests.fuzz.hostile import (FILE_BODIES, SCRIPT_MARKERS, Form, hostile_upload,
                                hostile_value, post_forms)
from tests.probes.conftest import DEMO_ROLES, login
from tests.probes.crawler import bounds, crawl
from tests.test_bad_input import all_counts

# Forms that end or change the session itself (the fuzzing client must stay logged in),
# and the language switch (its only field is a language code).
SKIP = {"accounts.logout", "accounts.logout_everywhere", "accounts.end_session",
        "accounts.set_language", "accounts.login", "accounts.login_code",
        "accounts.signup", "accounts.two_factor_start", "accounts.two_factor_confirm",
        "accounts.two_factor_disable", "accounts.two_factor_cancel"}
LIMITS = bounds(per_path=3, per_route=6, max_pages=120)


def _endpoint(app, path: str, method: str = "GET") -> str:
    try:
        return app.url_map.bind("localhost").match(urlsplit(path).path, method=method)[0]
    except HTTPException:
        return "(none)"


def discover(app, client) -> dict[str, Form]:
    """The POST forms this client's pages offer, one per endpoint."""
    found: dict[str, Form] = {}

    def collect(page):
        if page.status == 200 and page.is_html:
            for form in post_forms(page.text, page.url):
                endpoint = _endpoint(app, form.action, "POST")
                if endpoint not in SKIP and endpoint != "(none)":
                    found.setdefault(endpoint, form)

    crawl(client, ["/home", "/"], LIMITS, lambda p: _endpoint(app, p), on_page=collect)
    return found


@st.composite
def mutation(draw, forms: list[tuple[str, Form]]):
    endpoint, form = draw(st.sampled_from(forms))
    data = MultiDict(form.fields)
    names = form.names
    if names:
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3,
                                  unique=True)):
            values = draw(st.lists(hostile_value(), min_size=1, max_size=2))
            data.setlist(name, values)
    if draw(st.booleans()) and names:
        data.poplist(draw(st.sampled_from(names)))
    if draw(st.integers(0, 4)) == 0:
        data.add(draw(st.sampled_from(["id", "bid_id", "organization_id", "csrf_token",
                                       "extra\x00", "score-1-1", "conflict"])),
                 draw(hostile_value()))
    files = {}
    for name in form.files:
        if draw(st.booleans()):
            filename, body = draw(hostile_upload())
            files[name] = (filename, body)
    return endpoint, form.action, data, files


def _post(client, action, data: MultiDict, files):
    payload = MultiDict(data)
    for name, (filename, body) in files.items():
        payload.add(name, (io.BytesIO(FILE_BODIES[body]), filename))
    return client.post(action, data=payload,
                       content_type="multipart/form-data" if files else None)


def _scripts(html: str) -> list[str]:
    return [m for m in SCRIPT_MARKERS if m in html]


def _fuzz_role(client, who: str, forms: list[tuple[str, Form]], session, figures) -> None:
    """Post hostile variants of ``forms`` (EXAMPLES per form) as ``who``."""
    @seed(SEED)
    @settings(max_examples=EXAMPLES * len(forms), deadline=None, database=None,
              derandomize=False, suppress_health_check=list(HealthCheck))
    @given(case=mutation(forms))
    def run(case):
        endpoint, action, data, files = case
        before = all_counts(session)
        response = _post(client, action, data, files)
        status = response.status_code
        figures.seen(f"{who} {endpoint}", status)
        label = f"{who} POST {action} {dict(data.lists())!r:.300} files={files and {k: (v[0][:40], v[1]) for k, v in files.items()}}"
        if status >= 500:
            figures.server_errors.append(f"{status} {label}")
            return
        body = response.get_data(as_text=True)
        if 400 <= status < 500:
            if all_counts(session) != before:
                figures.written_on_refusal.append(f"{status} {label}")
        found = _scripts(body)
        if 300 <= status < 400 and response.location:
            target = urlsplit(response.location)
            if target.netloc in ("", "localhost"):
                page = client.get(target.path + (f"?{target.query}" if target.query else ""))
                if page.status_code >= 500:
                    figures.server_errors.append(f"{page.status_code} after {label}")
                found += _scripts(page.get_data(as_text=True))
        if found:
            figures.stored_script.append(f"{found} {label}")

    run()


def test_every_form_survives_hostile_input(fuzz_app, session, showcase, figures, tmp_path):
    app = fuzz_app
    total_forms = 0
    # Every demo role, and the department holding the demo's awarded tender and contract.
    for who in [*DEMO_ROLES, "dept-mzj"]:
        client = login(app, who)
        forms = sorted(discover(app, client).items())
        if not forms:
            continue
        total_forms += len(forms)
        _fuzz_role(client, who, forms, session, figures)
    figures.report()
    assert total_forms >= 30, f"only {total_forms} forms found"
    # Nothing was written outside the upload folder by a traversing file name.
    assert not Path("/tmp/fz-traversal.pdf").exists()
    assert not any(p.name == "fz-traversal.pdf" for p in tmp_path.parent.rglob("*")
                   if "uploads" not in p.parts)
    assert figures.server_errors == [], "\n".join(figures.server_errors[:20])
    assert figures.written_on_refusal == [], "\n".join(figures.written_on_refusal[:20])
    assert figures.stored_script == [], "\n".join(figures.stored_script[:20])
