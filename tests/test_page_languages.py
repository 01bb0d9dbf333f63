"""Switching the language changes every visible string on the registry and catalog pages.

Visible text (text nodes plus placeholder, title, aria-label and button values) is
taken from each page; every value stored in the database is removed from it (names,
addresses and codes are data, not interface). What remains must be wholly Chinese in
Chinese — no run of two English words — and hold no Chinese character in English.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import String, Text, inspect, select

from market.models import Base

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ \-'][A-Za-z]{2,})+")
# Language names are shown in their own language by design; product names stay as they are.
ALWAYS = {"English", "简体中文", "beancount", "Fava", "bean-check", "ledger/main.beancount"}
VISIBLE_ATTRS = {"placeholder", "title", "aria-label", "alt"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in VISIBLE_ATTRS or (name == "value" and tag == "input"
                                                    and ("type", "submit") in attrs)):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def data_values(session) -> list[str]:
    values: set[str] = set()
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        columns = [c for c in inspect(cls).columns if isinstance(c.type, (String, Text))]
        for column in columns:
            for (value,) in session.execute(select(column)):
                # Pure-letter ASCII values (enum values, usernames) could hide an untranslated
                # English word, so only values with Chinese, digits or symbols count as data.
                if value and len(value) > 1 and not re.fullmatch(r"[A-Za-z_ ]+", value):
                    values.add(value)
    return sorted(values, key=len, reverse=True)


def strip_data(parts: list[str], values: list[str]) -> list[str]:
    out = []
    for part in parts:
        for value in values:
            if value in part:
                part = part.replace(value, " ")
        for word in ALWAYS:
            part = part.replace(word, " ")
        if part.strip():
            out.append(part.strip())
    return out


PAGES = [
    (None, "/"), (None, "/login"), (None, "/signup"), (None, "/organizations/"),
    (None, "/organizations/{org}"), (None, "/catalogs/"), (None, "/catalogs/{catalog}"),
    ("civil", "/home"), ("civil", "/registry/"), ("civil", "/registry/organizations/{org}"),
    ("civil", "/registry/applications/"), ("civil", "/registry/applications/{application}"),
    ("civil", "/registry/annual-reports/"), ("civil", "/registry/annual-reports/{report}"),
    ("civil", "/registry/organizations/{org}/departure-audits/new"), ("civil", "/audit-log/"),
    ("town", "/home"), ("town", "/registry/applications/"),
    ("org", "/home"), ("org", "/my/organization"), ("org", "/my/annual-reports/new"),
    ("org", "/my/departure-audits/new"),
    ("newcomer", "/my/apply/registration"), ("newcomer", "/my/apply/filing"),
    ("dept", "/catalogs/mine"), ("dept", "/catalogs/new"), ("finance", "/catalogs/review"),
    ("auditor", "/audit/"),
    (None, "/grades/notices"), ("civil", "/evaluations/agencies"), ("civil", "/evaluations/cycles"),
    ("evaluator", "/evaluations/work"), ("org", "/my/standing"),
    (None, "/qualified-organizations"), ("civil", "/clearance/"),
    ("civil", "/performance-evaluations/"), ("dept", "/performance-evaluations/"),
    ("evaluator", "/performance-evaluations/"),
]


@pytest.fixture
def ids(session, demo):
    from market.catalogs.models import Catalog, CatalogStatus
    from market.orgs.enums import OrgStatus
    from market.orgs.models import AnnualReport, Application, Organization

    from market.accounts.permissions import Role
    from market.accounts.services import create_user

    create_user(session, username="newcomer", password="demo-pass-2026", display_name="新用户",
                role=Role.ORGANIZATION)
    session.commit()
    org = session.scalar(select(Organization.id).where(Organization.status == OrgStatus.ACTIVE)
                         .order_by(Organization.id))
    return {
        "org": org,
        "application": session.scalar(select(Application.id).order_by(Application.id.desc())),
        "report": session.scalar(select(AnnualReport.id).order_by(AnnualReport.id)),
        "catalog": session.scalar(select(Catalog.id).where(Catalog.status == CatalogStatus.APPROVED)),
    }


def untranslated(app, session, pages, language: str) -> list[tuple[str, str]]:
    """(url, text) for every piece of interface text on ``pages`` [(username|None, url)]
    that is not in ``language``; each page must answer 200."""
    values = data_values(session)
    problems = []
    clients = {}
    for who, url in pages:
        client = clients.get(who)
        if client is None:
            client = clients[who] = app.test_client()
            client.post(f"/language/{language}", data={"next": "/"})
            if who:
                assert client.post("/login", data={"username": who,
                                                   "password": "demo-pass-2026"}).status_code == 302
                client.post(f"/language/{language}", data={"next": "/"})
                # The welcome was flashed in the user's stored language, before the switch.
                client.get("/")
        response = client.get(url)
        assert response.status_code == 200, f"{url} as {who}: {response.status_code}"
        for text in strip_data(visible_text(response.get_data(as_text=True)), values):
            if language == "zh" and ENGLISH_RUN.search(text):
                problems.append((url, text))
            if language == "en" and CJK.search(text):
                problems.append((url, text))
    return problems


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_untranslated_string_on_the_pages(app, session, ids, language):
    problems = untranslated(app, session, [(who, path.format(**ids)) for who, path in PAGES],
                            language)
    assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)
