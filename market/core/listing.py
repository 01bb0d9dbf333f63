"""Downloadable lists (清单下载): every list the public or an auditor sees is also a CSV and
an Excel file, with the page's own filters and access.

A ``Listing`` is the list's name (the file name's stem), its title (the sheet name) and its
columns, each a translated header and a getter from one row of the page's query to one
cell. The view keeps its guard and builds its query as it does for the page, then asks the
listing whether a file was requested (``?format=csv`` or ``?format=xlsx``)::

    TENDERS = Listing("tenders", _l("Tenders"), (
        Column(_l("Reference"), lambda t: t.reference),
        Column(_l("Ceiling price (yuan)"), lambda t: t.ceiling_price, money=True)))

    @bp.route("/")
    @public
    def index():
        stmt = queries.public_tenders(session, filters)
        if (file := TENDERS.file(stmt)) is not None:
            return file
        page = paginate(session, stmt, ...)

The file therefore obeys exactly the page's access (same route, same guard) and filters
(same query, every page of it). ``file`` takes a SQLAlchemy select (its scalars are the
rows, read in batches) or a callable returning the rows (for lists computed in Python).
The template shows the two links with ``{{ downloads() }}`` from ``_macros.html``; they
keep the current filters and drop the page number. A page showing several tables gives
each its listing and the view picks one by an argument: ``{{ downloads(table="funds") }}``
adds ``table=funds`` to the links (the dashboard does this).

CSV streams (UTF-8 with a byte-order mark so Excel reads the Chinese); Excel is built in
write-only mode. Headers are translated in the request's language, cells go through the
formula escaping of ``market.core.exports``, money columns are numbers in Excel with two
decimals. File names carry the list name and the (Beijing) date.

``register(app, listing, endpoint, audience=...)`` records the list in the app's registry
of exportable lists (``exportables(app)``); the tests download every registered list in
both formats as its audience and compare it with the page.
"""
from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
from contextlib import contextmanager
from itertools import islice
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Response, current_app, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy.sql import Select

from market.access.permissions import Permission
from market.clock import to_local, today_local
from market.core import caching, registry
from market.core.exports import safe_row
from market.db import read_sessionmaker
from market.errors import Invalid

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Rows fetched from the database at a time while a file is written.
BATCH = 500
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation string
    value: Callable[[Any], Any]
    money: bool = False


@dataclass(frozen=True)
class Listing:
    name: str  # ASCII, the file name's stem: "tenders" -> tenders-2026-12-02.csv
    title: Any  # lazy translation string: the sheet's name
    columns: Sequence[Column]

    def header(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def row(self, item) -> list:
        return [plain(c.value(item)) for c in self.columns]

    def requested(self) -> str | None:
        """The format asked for in ``?format=``, None for the page; an unknown one is bad
        input (422 with a message)."""
        fmt = request.args.get("format")
        if fmt is None or fmt == "":
            return None
        if fmt not in FORMATS:
            raise Invalid(_("Downloads are offered as CSV or Excel only."))
        return fmt

    def file(self, source: Select | Callable[[], Iterable]) -> Response | None:
        """The list as the requested file, or None when the page itself was asked for."""
        fmt = self.requested()
        return None if fmt is None else self.download(fmt, source)

    def download(self, fmt: str, source: Select | Callable[[], Iterable]) -> Response:
        """The list as a file in ``fmt`` ("csv" or "xlsx"), for a route of its own."""
        filename = f"{self.name}-{today_local().isoformat()}.{fmt}"
        headers = {"Content-Disposition": f"attachment; filename={filename}"}
        # ETags (market/core/caching.py) come from the rows, never from the file: a
        # workbook's zip stamps its own time, and a CSV stream is never read to hash it.
        made_of = (self.name, filename, self.header())
        if fmt == "csv":
            if isinstance(source, Select):
                # No ETag for a select: its rows carry joined records and states that
                # follow from the clock (a tender closes at its deadline), which no cheap
                # count or newest id tracks, and hashing the rows first would read the
                # whole list twice. It streams without a validator.
                return Response(self._csv_stream(source), mimetype=MIMETYPES["csv"],
                                headers=headers)
            rows = [self.row(item) for item in source()]  # computed lists are in memory
            response = Response(self._csv_stream(rows),
                                mimetype=MIMETYPES["csv"], headers=headers)
            return caching.set_etag(response, *made_of, _rows_fingerprint(rows))
        seen = hashlib.sha256()
        with _own_rows(source) as items:
            body = self.xlsx(items, seen=seen)
        response = Response(body, mimetype=MIMETYPES["xlsx"], headers=headers)
        return caching.set_etag(response, *made_of, seen.hexdigest())

    def _csv_stream(self, source: Select | list[list]) -> Iterator[bytes]:
        """CSV written while it is sent: ``source`` is a select, or the rows of a computed
        list already made cells (``row``). The request's session is closed once the view
        returns, so a computed list is read before and a select is read, once sending
        starts, from a session of its own in an app context of its own, in the request's
        language (forced: the language selector would read the request's user)."""
        app, locale = current_app._get_current_object(), str(get_locale())
        make_session = read_sessionmaker()  # chosen now: the request is gone when it runs
        if isinstance(source, Select):
            render = self.row
        else:
            rows = source
            source, render = (lambda: rows), (lambda row: row)

        def generate():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            # The app context is pushed around each batch, never held over a yield: a
            # client that leaves mid-download has this generator closed wherever it is
            # collected, and a context held open would then be popped inside another.
            with app.app_context(), force_locale(locale):
                writer.writerow(self.header())
            yield b"\xef\xbb\xbf" + _drain(buffer)
            with _own_rows(source, make_session) as items:
                pending = iter(items)
                while True:
                    with app.app_context(), force_locale(locale):
                        batch = list(islice(pending, BATCH))
                        for item in batch:
                            writer.writerow(safe_row(render(item)))
                    if not batch:
                        return
                    yield _drain(buffer)

        return generate()

    def xlsx(self, items: Iterable, seen=None) -> bytes:
        """The workbook of ``items``; ``seen`` (a hashlib object) is fed every row's cells
        as written, for an ETag without a second pass."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=_sheet_title(str(self.title)))
        sheet.freeze_panes = "A2"
        sheet.append(self.header())
        money = [c.money for c in self.columns]
        for item in items:
            cells = []
            values = safe_row(self.row(item))
            if seen is not None:
                seen.update(repr(values).encode("utf-8"))
            for is_money, value in zip(money, values, strict=True):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, never a formula
                elif is_money and isinstance(value, (Decimal, int, float)):
                    cell.number_format = MONEY_FORMAT
                cells.append(cell)
            sheet.append(cells)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def plain(value):
    """A cell as both formats hold it: times in Beijing time without a zone (Excel has
    none), enums as their value, None as empty; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # stored as UTC
            value = value.replace(tzinfo=dt.timezone.utc)
        value = to_local(value).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (Decimal, int, float, str, bool)):
        return value
    return str(value)


def local_name(obj) -> str:
    """A bilingual record's name (``name_zh`` / ``name_en``) in the request's language."""
    if obj is None:
        return ""
    from flask_babel import get_locale

    zh = str(get_locale()).startswith("zh")
    return (obj.name_zh if zh else obj.name_en) or obj.name_zh


@contextmanager
def _own_rows(source, make_session=None) -> Iterator[Iterable]:
    """The rows of ``source``: a select's scalars read in batches from a session of its
    own (closed at the end; the replica's on a page that reads it), or what a callable
    returns."""
    if not isinstance(source, Select):
        yield source()
        return
    session = (make_session or read_sessionmaker())()
    try:
        yield session.scalars(source.execution_options(yield_per=BATCH))
    finally:
        session.close()


def _rows_fingerprint(rows: list[list]) -> str:
    return caching.fingerprint(*(safe_row(row) for row in rows))


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


def download_url(fmt: str, **extra) -> str:
    """The current page's URL asking for ``fmt``: same filters, no page number; ``extra``
    arguments (not None) added, such as which of a page's tables (``table=``)."""
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    args.update({k: v for k, v in extra.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args, format=fmt)


# --- the registry of exportable lists -----------------------------------------------------

@dataclass(frozen=True)
class Exportable:
    listing: Listing
    endpoint: str
    #: who sees the page: None for the public, else the permission its guard asks for
    audience: Permission | None = None
    #: the URL's arguments for a list under one object (a catalog's items, an account)
    params: Callable[[Any], dict] | None = field(default=None, compare=False)
    #: how many rows the page lists, read from its template context (default: a Page's
    #: total, else the length of ``rows``)
    count: Callable[[dict], int] | None = field(default=None, compare=False)


def register(app, listing: Listing, endpoint: str, *, audience: Permission | None = None,
             params: Callable[[Any], dict] | None = None,
             count: Callable[[dict], int] | None = None) -> None:
    """Record ``listing``, served by ``endpoint``, as one of the app's exportable lists."""
    entry = Exportable(listing, endpoint, audience, params, count)
    entries = registry.of(app, "exportables", list)
    if all(e.endpoint != endpoint for e in entries):
        entries.append(entry)


def exportables(app) -> list[Exportable]:
    return list(registry.of(app, "exportables", list))
