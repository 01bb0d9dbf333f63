"""Read-only looks at what the platform stored or shows, to compare before and after a step:
row counts, an item's ledger balances, an object's audit trail, the language of a page's
interface text, a form's CSRF token. Nothing here writes."""
from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import JSON, String, Text, func, inspect, select
from sqlalchemy.orm import Session

# --- row counts ---------------------------------------------------------------------------


def row_counts(session: Session, *models) -> dict[str, int]:
    session.expire_all()
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in models}


def procurement_counts(session: Session) -> dict[str, int]:
    """Row counts of everything a scoring, award, challenge, contract or evaluation step
    writes, ledger rows included."""
    from ledger.models import Evaluation, Transaction
    from market.auditlog.models import AuditEntry
    from market.contracts.models import Contract, Milestone, Submission
    from market.performance.models import PerformanceEvaluation
    from market.tenders.models import Tender
    from market.tenders.scoring.models import Award, BidResult, Challenge, Score

    return row_counts(session, Tender, Award, BidResult, Challenge, Score, Contract, Milestone,
                      Submission, PerformanceEvaluation, AuditEntry, Transaction, Evaluation)


def registry_counts(session: Session, app=None) -> dict[str, int]:
    """Row counts of everything a registry action may write (and, given the app, the
    uploaded files on disk)."""
    from market.accounts.models import User
    from market.auditlog.models import AuditEntry
    from market.documents.models import Document
    from market.orgs.models import AnnualReport, Application, DepartureAudit, Organization

    out = row_counts(session, Organization, Application, AnnualReport, DepartureAudit,
                     Document, AuditEntry, User)
    out["linked_users"] = session.scalar(select(func.count()).select_from(User).where(
        User.organization_id.is_not(None)))
    if app is not None:
        folder = Path(app.config["UPLOAD_FOLDER"])
        out["files"] = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
    return out


# --- the ledger and the audit log ---------------------------------------------------------


def item_balances(session: Session, item, contract=None) -> dict[str, Decimal]:
    """available / committed (to ``contract``) / expense of a catalog item, from the
    ledger's balance rows."""
    from ledger.accounts import available_account, committed_account, expense_account
    from ledger.balances import balance
    from market import funds

    session.expire_all()
    line = funds.budget_line(item)
    out = {"available": balance(session, available_account(line).name),
           "expense": balance(session, expense_account(line).name)}
    if contract is not None:
        out["committed"] = balance(session, committed_account(
            line, funds.contract_unit(contract)).name)
    return out


def trail(session: Session, object_type: str, object_id: int) -> list[tuple]:
    """(action, from_state, to_state, reason) of an object's audit entries, oldest first."""
    from market.auditlog.models import AuditEntry

    session.expire_all()
    return [(e.action, e.from_state, e.to_state, e.reason) for e in session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == object_type,
                                 AuditEntry.object_id == object_id).order_by(AuditEntry.id))]


# --- forms --------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'
                     r'|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "no CSRF token on the page"
    return m.group(1) or m.group(2)


# --- the language of a page ---------------------------------------------------------------
# Visible text (text nodes plus placeholder, title, aria-label and button values) is taken
# from each page; every value stored in the database is removed from it (names, addresses
# and codes are data, not interface). What remains must be wholly Chinese in Chinese — no
# run of two English words — and hold no Chinese character in English.

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ \-'][A-Za-z]{2,})+")
# Language names are shown in their own language by design; product names stay as they are.
ALWAYS = {"English", "简体中文", "beancount", "Fava", "bean-check", "ledger/main.beancount"}
LEDGER_LINK = re.compile(r"\^[A-Za-z0-9][A-Za-z0-9_.\-]*")
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


def data_values(session: Session) -> list[str]:
    """Every stored text value: the platform's tables and the ledger's journal (its
    narrations and account names are written once, hashed, and never translated)."""
    from ledger.models import LedgerBase
    from market.models import Base

    values: set[str] = set()
    mappers = list(Base.registry.mappers)
    mappers += [m for m in LedgerBase.registry.mappers if m not in mappers]
    for mapper in mappers:
        cls = mapper.class_
        columns = [c for c in inspect(cls).columns if isinstance(c.type, (String, Text, JSON))]
        for column in columns:
            for (stored,) in session.execute(select(column)):
                for value in _strings(stored):
                    # Pure-letter ASCII values (enum values, usernames) could hide an
                    # untranslated English word, so only values with Chinese, digits or
                    # symbols count as data.
                    if value and len(value) > 1 and not re.fullmatch(r"[A-Za-z_ ]+", value):
                        values.add(value)
    return sorted(values, key=len, reverse=True)


def _strings(value):
    """The text a column holds: a string, or the strings inside a JSON value (a grant
    round's questions and criteria, an application's answers)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def strip_data(parts: list[str], values: list[str]) -> list[str]:
    out = []
    for part in parts:
        for value in values:
            if value in part:
                part = part.replace(value, " ")
        for word in ALWAYS:
            part = part.replace(word, " ")
        # A beancount link (^incubation-base-1) is an identifier in the ledger, not prose.
        part = LEDGER_LINK.sub(" ", part)
        if part.strip():
            out.append(part.strip())
    return out


def untranslated(app, session: Session, pages, language: str) -> list[tuple[str, str]]:
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
