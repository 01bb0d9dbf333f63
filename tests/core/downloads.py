"""Helpers for the rooms' download tests: a client in a language, as a user, and the rows
of a CSV or Excel file as it reads back."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.factories import PASSWORD


def client_for(app, username: str | None = None, language: str = "zh"):
    client = app.test_client()
    if username:
        assert client.post("/login", data={"username": username,
                                           "password": PASSWORD}).status_code == 302
    client.post(f"/language/{language}", data={"next": "/"})
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def both(client, url: str) -> tuple[list[list[str]], list[list]]:
    """The list at ``url`` (which has a query string or not) in both formats."""
    join = "&" if "?" in url else "?"
    return (csv_rows(client.get(f"{url}{join}format=csv")),
            xlsx_rows(client.get(f"{url}{join}format=xlsx")))
