"""A small breadth-first crawler over the Flask test client.

It follows every same-site ``<a href>`` and every GET form (submitted with its default
values), in document order, so a crawl is deterministic. It is bounded: each distinct
path (without its query) is fetched at most ``per_path`` times, and at most ``max_pages``
pages are fetched in all. Nothing but GET is ever sent, so a crawl changes nothing.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

# Paths never fetched: static assets (not pages) and Fava's own pages, which are a
# third-party application mounted under the auditor's workspace (its entry is fetched once,
# its links are not followed).
SKIP_PREFIXES = ("/static/",)
NO_FOLLOW_PREFIXES = ("/audit/fava/",)

LONG = os.environ.get("PROBES_LONG", "") not in ("", "0")


@dataclass(frozen=True)
class Bounds:
    per_path: int  # fetches of one path (without its query)
    per_route: int  # fetches of one route (URL rule), e.g. /organizations/<id>
    max_pages: int  # fetches in all


def bounds(per_path: int, per_route: int, max_pages: int) -> Bounds:
    """The CI bounds, or generous ones when PROBES_LONG is set (the long variant)."""
    if LONG:
        return Bounds(per_path * 10, per_route * 100, max_pages * 20)
    return Bounds(per_path, per_route, max_pages)


class _Links(HTMLParser):
    """Every link target and GET-form URL of a page, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []
        self._form: dict | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.targets.append(a["href"])
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = {"action": a.get("action", ""), "fields": [], "get": method == "get"}
        elif self._form is None:
            return
        elif tag == "input":
            name, kind = a.get("name"), (a.get("type") or "text").lower()
            if not name or "disabled" in a or kind in ("submit", "button", "image", "reset",
                                                        "file"):
                if kind == "submit" and name and not self._form.get("submitted"):
                    self._form["fields"].append((name, a.get("value", "")))
                    self._form["submitted"] = True
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((name, a.get("value", "on" if kind == "checkbox"
                                                     else "")))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            if not self._form.get("submitted"):
                self._form["fields"].append((a["name"], a.get("value", "")))
                self._form["submitted"] = True
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._select[1].append(value if value is not None else "\0text")
            if "selected" in a:
                self._select[2].append(self._select[1][-1])
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self._textarea = (a["name"], [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._select is not None and self._select[1] and self._select[1][-1] == "\0text":
            self._select[1][-1] = data.strip()
            if self._select[2] and self._select[2][-1] == "\0text":
                self._select[2][-1] = data.strip()

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            chosen = selected[:1] or options[:1]
            self._form["fields"] += [(name, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form["fields"].append((name, "".join(parts).lstrip("\n")))
            self._textarea = None
        elif tag == "form" and self._form is not None:
            if self._form["get"]:
                action = self._form["action"] or "\0self"
                query = urlencode(self._form["fields"])
                self.targets.append(f"{action}?{query}" if query else action)
            self._form = None


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.targets


@dataclass
class Page:
    url: str  # path with query
    status: int
    content_type: str
    body: bytes
    referrer: str | None
    location: str | None = None

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    skipped: int = 0  # links not fetched because of the bounds

    @property
    def paths(self) -> set[str]:
        return {urlsplit(p.url).path for p in self.pages}


def _same_site(url: str) -> str | None:
    """The local path+query of ``url``, or None for another site / not a page link."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return None  # mailto:, javascript:, data:
    if parts.netloc not in ("", "localhost", "localhost:80"):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts: list[str], limits: Bounds, route_of: Callable[[str], str],
          on_page: Callable[[Page], None] | None = None) -> Crawl:
    """Fetch ``starts`` and everything reachable from them, breadth first.

    ``route_of(path)`` names the route a path belongs to (for the per-route bound).
    """
    result = Crawl()
    per_route: dict[str, int] = {}
    queue: deque[tuple[str, str | None]] = deque((s, None) for s in starts)
    seen: set[str] = set()
    per: dict[str, int] = {}
    while queue:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        if path.startswith(SKIP_PREFIXES):
            continue
        route = route_of(path)
        if (per.get(path, 0) >= limits.per_path or per_route.get(route, 0) >= limits.per_route
                or len(result.pages) >= limits.max_pages):
            result.skipped += 1
            continue
        per[path] = per.get(path, 0) + 1
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(url)
        page = Page(url, response.status_code, response.content_type or "",
                    response.get_data(), referrer, response.headers.get("Location"))
        response.close()
        result.pages.append(page)
        if on_page is not None:
            on_page(page)
        if 300 <= page.status < 400 and page.location:
            target = _same_site(urljoin(f"http://localhost{url}", page.location))
            if target:
                queue.append((target, url))
            continue
        if not page.is_html or path.startswith(NO_FOLLOW_PREFIXES):
            continue
        for href in links(page.text):
            href = url.split("?")[0] + href[len("\0self"):] if href.startswith("\0self") \
                else href
            target = _same_site(urldefrag(urljoin(f"http://localhost{url}", href))[0])
            if target and target not in seen:
                queue.append((target, url))
    return result
