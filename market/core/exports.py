"""Spreadsheet exports (CSV and Excel) that open as data, never as formulas.

Organization names, titles and other text users typed reach exports; a cell beginning with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which spreadsheets skip before
one of those) is taken by Excel and LibreOffice for a formula — ``=HYPERLINK(...)`` becomes
a live link, ``=cmd|...`` worse. Every exporter writes its cells through ``safe_cell``
(``csv_bytes`` and ``xlsx_bytes`` do it for their callers): such text gets a leading
apostrophe and is shown as typed. Only text is touched: numbers stay numbers, negative
ones too, and so does text that is exactly a number ("-1200.50").
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value):
    """``value`` as a spreadsheet should hold it: formula-like text escaped with a leading
    apostrophe; anything that is not text (numbers, dates, None, booleans) unchanged."""
    if not isinstance(value, str) or not value:
        return value
    stripped = value.lstrip(" \n\t\r")
    if not value.startswith(FORMULA_START) and not stripped.startswith(FORMULA_START[:4]):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value  # a number written as text is a number, not a formula
    return "'" + value


def safe_row(row: Iterable) -> list:
    return [safe_cell(v) for v in row]


def csv_bytes(rows: Iterable[Sequence], *, bom: bool = True) -> bytes:
    """Rows as CSV, every cell through ``safe_cell``. With ``bom`` (the default) UTF-8 with a
    byte-order mark, so Excel opens Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(safe_row(row))
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows: Iterable[Sequence], title: str, *, freeze_header: bool = True) -> bytes:
    """Rows as an Excel workbook of one sheet, every cell through ``safe_cell``; text cells
    are stored as text (openpyxl would otherwise store "=..." as a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(safe_row(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    if freeze_header:
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
