"""Fava, beancount's web interface, mounted read-only under /audit/fava for auditors.

Fava's own ``read_only`` only refuses writes; its editor, source and download endpoints
still hand out the whole ledger text, so this gate refuses those paths itself, answers
only GET/HEAD, and lets through nobody but a logged-in auditor. Fava reads an export of
the ledger that is refreshed whenever the journal has moved on.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from flask import Flask, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import Headers

from market.access.permissions import Permission
from market.security import add_secure_headers, same_site_path

os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

PREFIX = "/audit/fava"
# Fava endpoints that reveal the ledger's source text or files, or change things.
REFUSED = re.compile(
    r"^/[^/]+/(editor|import|document|statement|download-journal|extension)(/|$)"
    r"|^/[^/]+/api/(source|source_slice|context|format_source|extract|imports|move|"
    r"upload_import_file|add_document|attach_document|add_entries|document)(/|$)")


class FavaMount:
    """WSGI middleware in front of the platform: routes /audit/fava/* to a gated Fava."""

    def __init__(self, platform: Flask):
        self.platform = platform
        self.inner = platform.wsgi_app
        self._fava = None
        self._exported_seq: int | None = None
        self._lock = threading.Lock()
        base = Path(platform.config["LEDGER_EXPORT_FOLDER"])
        self.folder = base / "fava" / str(os.getpid())

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return self.inner(environ, start_response)
        rest = path[len(PREFIX):] or "/"
        start_response = _guarded(environ, start_response)
        with self.platform.request_context(environ):
            refusal = self._refusal(environ, rest)
            if refusal is not None:
                return refusal(environ, start_response)
            self._refresh()
        platform_environ, environ = environ, dict(environ)
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX
        environ["PATH_INFO"] = rest
        # Fava's ``jump`` redirects to the Referer with new parameters: give it only a page
        # of Fava's own (path and query), never another site.
        back = same_site_path(environ.get("HTTP_REFERER"), _host(environ))
        environ["HTTP_REFERER"] = back if back and back.startswith(PREFIX + "/") else PREFIX + "/"
        return self._with_way_back(environ, platform_environ, start_response)

    def _with_way_back(self, environ, platform_environ, start_response):
        """Run Fava; on its HTML pages put the platform's bar (the way back) at the top of
        the body, and answer its own 403/404 with the platform's translated page."""
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: captured.setdefault("early", []).append(data)

        result = self._app()(environ, capture)
        status, headers = captured["status"], Headers(captured["headers"])
        kind = headers.get("Content-Type", "")
        code = int(status.split()[0])
        refused = code in (403, 404) and "json" not in kind
        is_page = kind.startswith("text/html") and code == 200 \
            and environ.get("REQUEST_METHOD") != "HEAD"
        if not (refused or is_page) and not captured.get("early"):
            start_response(status, headers.to_wsgi_list(), captured["exc_info"])
            return result  # downloads and API answers stream through untouched
        try:
            body = b"".join([*captured.get("early", []), *result])
        finally:
            if hasattr(result, "close"):
                result.close()
        if refused:
            with self.platform.request_context(platform_environ):
                message = (_("You do not have permission to do this.") if code == 403
                           else _("The ledger browser has no such page."))
                body = _refused_page(message).encode()
            headers["Content-Type"] = "text/html; charset=utf-8"
        elif is_page:
            with self.platform.request_context(platform_environ):
                bar = render_template("auditor/_fava_bar.html").encode()
            body = re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + bar, body, count=1)
        headers["Content-Length"] = str(len(body))
        start_response(status, headers.to_wsgi_list(), captured["exc_info"])
        return [body]

    def _refusal(self, environ, rest: str):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=PREFIX + "/"))
        message = None
        if not current_user.can(Permission.LEDGER_READ):
            message = _("You do not have permission to do this.")
        elif environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            message = _("The ledger browser is read-only.")
        elif REFUSED.search(rest):
            message = _("The ledger's source text is not available in the browser; "
                        "download the export instead.")
        if message is None:
            return None
        response = make_response(_refused_page(message), 403)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def _refresh(self) -> None:
        """Re-export when the journal has new entries since the last export."""
        from ledger.chain import read_head
        from ledger.export import export
        from market.db import get_session

        session = get_session()
        head = read_head(session).seq
        if head == self._exported_seq and (self.folder / "main.beancount").exists():
            return
        with self._lock:
            if head != self._exported_seq or not (self.folder / "main.beancount").exists():
                export(session, self.folder)
                self._exported_seq = head

    def _app(self):
        if self._fava is None:
            from fava.application import create_app

            _escape_query_downloads()
            self._fava = create_app([str(self.folder / "main.beancount")], read_only=True,
                                    poll_watcher=True)
        return self._fava


def _refused_page(message: str) -> str:
    """The platform's translated page for a path the ledger browser will not serve."""
    may_read = current_user.is_authenticated and current_user.can(Permission.LEDGER_READ)
    return render_template("auditor/fava_refused.html", message=message,
                           fava_home=PREFIX + "/", may_read_ledger=may_read)


def _host(environ) -> str:
    from werkzeug.wsgi import get_host

    return get_host(environ)


def _guarded(environ, start_response):
    """Fava's responses (and the gate's own) get the platform's security headers, and a
    redirect that would leave the site goes to Fava's front page instead."""
    https = environ.get("wsgi.url_scheme") == "https"
    host = _host(environ)

    def start(status, headers, exc_info=None):
        h = Headers(headers)
        add_secure_headers(h, https=https)
        location = h.get("Location")
        if location is not None and same_site_path(location, host) is None:
            h["Location"] = PREFIX + "/"
        return start_response(status, h.to_wsgi_list(), exc_info)

    return start


def _escape_query_downloads() -> None:
    """Fava's query download (CSV, and Excel when pyexcel is installed) writes narrations,
    payees and names from the ledger — text departments and organizations typed — as is;
    send its cells through the platform's one escape (market.core.exports.safe_cell), so a
    name beginning with "=" opens as text, not as a formula. Numbers stay numbers."""
    from fava.core import query_shell

    from market.core.exports import safe_cell

    if getattr(query_shell, "_market_escaped", False):
        return
    to_csv, to_excel = query_shell.to_csv, query_shell.to_excel

    def rows_of(rows):
        return [tuple(safe_cell(v) for v in row) for row in rows]

    query_shell.to_csv = lambda types, rows: to_csv(types, rows_of(rows))
    query_shell.to_excel = lambda types, rows, *args: to_excel(types, rows_of(rows), *args)
    query_shell._market_escaped = True


def init_app(app: Flask) -> None:
    app.wsgi_app = FavaMount(app)
