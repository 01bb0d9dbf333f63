"""The authorization matrix: every route and API endpoint (and the Fava mount) × every
demo role, the public, and users of another department, organization, town and evaluator
agency.

URL arguments are real ids from the seeded demo: each object type's own id and an id of
another department's, organization's or town's object (a draft tender of this department
and of another, a sealed bid of the reader's organization and of another, a filing of the
reader's town and of another, …). The expected outcome comes from the permission table
(``market/accounts/permissions.py``, read through each route's guard) and, for objects, from
their ownership as the access helpers document it (``OBJECT_RULES``).

- GET: allowed means an answer other than 401/403/404 and below 500; refused means 403 or
  404 (a redirect to the login page for the public), and none of the object's identifying
  strings in the body.
- POST/PUT/DELETE (with a valid CSRF token): for every reader the guard refuses, and for
  the object-level cases of ``OBJECT_POSTS``, refused — and no row of any table was added
  or removed (every state change writes the audit log, so a change would show there too).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from market.access.guards import allowed
from market.accounts.models import Department, LoginEvent, Town, User
from market.catalogs.models import Catalog, CatalogStatus
from market.contracts.models import Contract
from market.documents.models import Document
from market.grants.models import ApplicationStatus, GrantApplication, GrantRound, RoundStatus
from market.models import Base
from market.orgs import access as orgs_access
from market.orgs.models import AnnualReport, Application, Organization
from market.tenders.models import Bid, Question, Tender
from tests.conftest import csrf_token
from tests.probes.conftest import DEMO_PASSWORD, login, SEALED_FILENAME, SEALED_PROPOSAL

# Who reads: a key, and the username (None: the public).
SUBJECTS = {
    "public": None, "civil": "civil", "town": "town", "finance": "finance", "dept": "dept",
    "org": "org", "evaluator": "evaluator", "expert": "expert", "auditor": "auditor",
    "other-dept": "dept-mzj", "other-org": "org-cishan", "other-town": "town-zs",
    "other-agency": "evaluator-ks",
}


@dataclass(frozen=True)
class Obj:
    label: str
    id: int
    ident: tuple[str, ...] = ()  # strings that identify it; never in a refusal
    town: str | None = None  # the town code of a registry object


def _fmt(price: Decimal) -> tuple[str, str]:
    return format(price, ".2f"), format(price, ",.2f")


def objects(session, world) -> dict[str, list[Obj]]:
    """The ids to put in each URL argument, by argument name."""
    def one(stmt):
        return session.scalar(stmt)

    def dept_id(code):
        return one(select(Department.id).where(Department.code == code))

    def tender(title):
        t = one(select(Tender).where(Tender.title == title))
        return t

    t_open, t_draft = world["tender"], world["draft"]
    t_sfj = one(select(Tender).where(Tender.department_id == dept_id("SFJ")))
    t_award = tender("社区治理创新项目（第一批）")
    org_user = one(select(User).where(User.username == "org"))
    own_bid = one(select(Bid).where(Bid.tender_id == t_open.id,
                                    Bid.organization_id == org_user.organization_id))
    opened_bid = one(select(Bid).where(Bid.tender_id == t_award.id).order_by(Bid.id))
    prior = one(select(Document).where(Document.purpose == "prior_approval"))
    cat_draft = one(select(Catalog).where(Catalog.status == CatalogStatus.DRAFT))
    cat_mzj = one(select(Catalog).where(Catalog.department_id == dept_id("MZJ")))
    contract = one(select(Contract))

    def application(username):
        return one(select(Application).join(User, User.id == Application.applicant_id)
                   .where(User.username == username))

    pending = application("applicant1")
    q_wjw = one(select(Question).where(Question.tender_id != t_award.id).order_by(Question.id))
    civil_event = one(select(LoginEvent.id).join(User, User.id == LoginEvent.user_id)
                      .where(User.username == "civil").order_by(LoginEvent.id))
    report = one(select(AnnualReport).order_by(AnnualReport.id))
    grant_round = one(select(GrantRound).where(GrantRound.status == RoundStatus.PUBLISHED)
                      .order_by(GrantRound.id))
    grant_own = one(select(GrantApplication).where(
        GrantApplication.organization_id == org_user.organization_id,
        GrantApplication.status == ApplicationStatus.DRAFT))
    grant_other = one(select(GrantApplication).where(
        GrantApplication.organization_id != org_user.organization_id,
        GrantApplication.status == ApplicationStatus.SUBMITTED).order_by(GrantApplication.id))

    def town_of(org_id):
        return one(select(Town.code).join(Organization, Organization.town_id == Town.id)
                   .where(Organization.id == org_id))

    def t(label, x):
        return Obj(label, x.id, (x.title, x.reference))

    return {
        "tender_id": [t("T_OPEN", t_open), t("T_DRAFT", t_draft), t("T_SFJ", t_sfj),
                      t("T_AWARD", t_award)],
        "bid_id": [Obj("BID_OWN", own_bid.id, (*_fmt(own_bid.price), own_bid.proposal)),
                   Obj("BID_PROBE", world["bid"].id, ("123457.89", "123,457.89",
                                                      SEALED_PROPOSAL, SEALED_FILENAME)),
                   Obj("BID_OPENED", opened_bid.id)],
        "doc_id": [Obj("DOC_BID", world["document_id"], (SEALED_FILENAME,)),
                   Obj("DOC_PRIOR", prior.id, (prior.original_name,))],
        "catalog_id": [Obj("CAT_DRAFT", cat_draft.id, tuple(i.title for i in cat_draft.items)),
                       Obj("CAT_MZJ", cat_mzj.id)],
        "item_id": [Obj("ITEM_DRAFT", cat_draft.items[0].id, (cat_draft.items[0].title,)),
                    Obj("ITEM_MZJ", cat_mzj.items[0].id)],
        "contract_id": [Obj("CONTRACT", contract.id)],
        "number": [Obj("M2", 2)],
        "org_id": [Obj("ORG_ACTIVE", org_user.organization_id,
                       town=town_of(org_user.organization_id)),
                   Obj("ORG_PENDING", pending.organization_id,
                       (pending.organization.name,), town=town_of(pending.organization_id))],
        "application_id": [Obj(f"APP_{u}", application(u).id,
                               (application(u).organization.name,))
                           for u in ("applicant4", "applicant5", "applicant1")],
        "report_id": [Obj("REPORT", report.id, town=town_of(report.organization_id))],
        "seq": [Obj("TXN", 1)],
        "question_id": [Obj("Q_WJW", q_wjw.id)],
        "round_id": [Obj("ROUND_OPEN", grant_round.id)],
        "grant_application_id": [Obj("GRANT_OWN_DRAFT", grant_own.id, (grant_own.title,)),
                                 Obj("GRANT_OTHER_SUBMITTED", grant_other.id,
                                     (grant_other.title,))],
        "event_id": [Obj("EVENT_CIVIL", civil_event)],
    }


# --- who may read which object (where the guard lets the reader in) ---------------------

TENDER_OWNER = {"T_OPEN": "dept", "T_DRAFT": "dept", "T_AWARD": "other-dept", "T_SFJ": None}
PUBLISHED = {"T_OPEN", "T_AWARD"}
DEPTS = {"dept", "other-dept"}


def sees_tender(who, label):
    return label in PUBLISHED or who == "auditor" or TENDER_OWNER[label] == who


def _tender_page(who, o):
    return sees_tender(who, o.label)


def _tender_results(who, o):  # award page, receipts: only an awarded tender has them
    if not sees_tender(who, o.label):
        return False
    return True if o.label == "T_AWARD" else None


def _manage(who, o):  # the owning department only; what it may do depends on the state
    return None if TENDER_OWNER[o.label] == who else False


def _edit(who, o):
    if TENDER_OWNER[o.label] != who:
        return False
    return True if o.label == "T_DRAFT" else None


def _committee(who, o):
    if TENDER_OWNER[o.label] != who:
        return False
    return True if o.label == "T_AWARD" else None


def _bidding(who, o):
    if o.label not in PUBLISHED:
        return False
    return True if o.label == "T_OPEN" else None


def _my_bid(who, o):  # 404 too where the reader's organization has no bid
    if o.label not in PUBLISHED:
        return False
    return True if o.label == "T_OPEN" and who == "org" else None


def _scoring(who, o):  # the demo expert is assigned to the awarded tender only
    return o.label == "T_AWARD"


def _bid(who, o):
    if o.label == "BID_OPENED":
        return True
    return o.label == "BID_OWN" and who == "org"


def _document(who, o):
    return o.label == "DOC_PRIOR" and who in ("civil", "auditor")


def _catalog(who, o):
    return o.label == "CAT_MZJ" or who in ("dept", "auditor")


def _catalog_item(who, o):
    if o.label == "ITEM_DRAFT":
        return who == "dept"
    return False if who == "dept" else None


def _public_org(who, o):
    return o.label == "ORG_ACTIVE"


def _application(who, o):
    if who == "town":
        return o.label == "APP_applicant4"  # a filing in 玉山镇
    if who == "other-town":
        return o.label == "APP_applicant5"  # a filing in 周市镇
    return True


# Once a town officer reads only its own town's registry (issue9-fixes, c14a8a9: the
# access helper ``sees_organization`` appears), other towns' records are not found.
TOWN_SCOPED_REGISTRY = hasattr(orgs_access, "sees_organization")
READER_TOWN = {"town": "YS", "other-town": "ZS"}


def _registry_record(who, o):
    if TOWN_SCOPED_REGISTRY and who in READER_TOWN:
        return o.town == READER_TOWN[who]
    return True


def _own_application(who, o):
    return False  # none of the readers applied


def _always(who, o):
    return True


def _grant_application(who, o):
    """An organization reads its own applications; civil affairs and auditors (who
    supervise the decisions) those submitted."""
    if who == "org":
        return o.label == "GRANT_OWN_DRAFT"
    if who in ("civil", "auditor"):
        return o.label == "GRANT_OTHER_SUBMITTED"
    return False


def _grant_draft(who, o):
    return who == "org" and o.label == "GRANT_OWN_DRAFT"


OBJECT_RULES = {
    "tenders.detail": _tender_page, "api.tender_detail": _tender_page,
    "api.tender_questions": _tender_page, "tenders.bids": _tender_page,
    "api.tender_bids": _tender_page,
    "scoring.award_page": _tender_results, "api.award_result": _tender_results,
    "scoring.award_notice": _tender_results,
    "tenders.receipts_csv": _tender_results,
    "tenders.edit": _edit, "scoring.committee": _committee, "contracts.sign": _manage,
    "tenders.bid": _bidding, "api.my_bid": _my_bid, "scoring.scoring": _scoring,
    "tenders.bid_detail": _bid, "api.bid_detail": _bid,
    "documents.download": _document,
    "catalogs.detail": _catalog, "catalogs.edit_item": _catalog_item,
    "contracts.detail": _always, "api.contract": _always,
    "orgs.public_profile": _public_org, "orgs.registry_detail": _registry_record,
    "orgs.application": _application, "orgs.correct": _own_application,
    "orgs.annual_report": _registry_record, "auditor.transaction": _always,
    "grants.round_page": _always, "grants.apply": _always, "grants.edit_round": _always,
    "grants.application": _grant_application, "grants.edit_application": _grant_draft,
}

# Object-level refusals of state changes: the guard lets the reader in, the object is not
# theirs. (endpoint, URL arguments by object label, readers)
OBJECT_POSTS = [
    ("grants.submit", {"grant_application_id": "GRANT_OWN_DRAFT"}, ["other-org"]),
    ("grants.withdraw", {"grant_application_id": "GRANT_OWN_DRAFT"}, ["other-org"]),
    ("grants.withdraw", {"grant_application_id": "GRANT_OTHER_SUBMITTED"}, ["org"]),
    ("grants.edit_application", {"grant_application_id": "GRANT_OTHER_SUBMITTED"},
     ["org", "other-org"]),
    ("tenders.publish", {"tender_id": "T_DRAFT"}, ["other-dept"]),
    ("tenders.edit", {"tender_id": "T_DRAFT"}, ["other-dept"]),
    ("tenders.cancel", {"tender_id": "T_DRAFT"}, ["other-dept"]),
    ("tenders.add_document", {"tender_id": "T_DRAFT"}, ["other-dept"]),
    ("tenders.open_", {"tender_id": "T_OPEN"}, ["other-dept"]),
    ("tenders.cancel", {"tender_id": "T_AWARD"}, ["dept"]),
    ("tenders.publish", {"tender_id": "T_SFJ"}, ["dept", "other-dept"]),
    ("tenders.answer", {"question_id": "Q_WJW"}, ["other-dept"]),
    ("api.tender_answer", {"question_id": "Q_WJW"}, ["other-dept"]),
    ("scoring.assign_expert", {"tender_id": "T_AWARD"}, ["dept"]),
    ("scoring.award", {"tender_id": "T_AWARD"}, ["dept"]),
    ("contracts.sign", {"tender_id": "T_AWARD"}, ["dept"]),
    ("catalogs.submit", {"catalog_id": "CAT_DRAFT"}, ["other-dept"]),
    ("catalogs.add_item", {"catalog_id": "CAT_DRAFT"}, ["other-dept"]),
    ("catalogs.edit_item", {"item_id": "ITEM_DRAFT"}, ["other-dept"]),
    ("catalogs.delete_item", {"item_id": "ITEM_DRAFT"}, ["other-dept"]),
    ("contracts.accept", {"contract_id": "CONTRACT", "number": "M2"}, ["dept"]),
    ("contracts.reject", {"contract_id": "CONTRACT", "number": "M2"}, ["dept"]),
    ("contracts.terminate", {"contract_id": "CONTRACT"}, ["dept"]),
    ("api.accept_milestone", {"contract_id": "CONTRACT", "number": "M2"}, ["dept"]),
    ("performance.request_evaluation", {"contract_id": "CONTRACT", "number": "M2"}, ["dept"]),
    ("contracts.deliver", {"contract_id": "CONTRACT", "number": "M2"}, ["other-org"]),
    ("accounts.end_session", {"event_id": "EVENT_CIVIL"},
     [k for k in SUBJECTS if k not in ("public", "civil")]),
]
# Pages without URL arguments that answer only with more: the second login step (after a
# password), an account's history (?name=…).
NEEDS_MORE = {"accounts.login_code", "auditor.account", "redflags.review"}  # need a query argument
SKIP_POST = {"accounts.set_language", "accounts.login", "accounts.signup",
             "accounts.login_code", "accounts.logout"}


@dataclass
class Case:
    method: str
    endpoint: str
    url: str
    label: str
    expect: bool | None  # True allowed, False refused, None: only "no 5xx, no 403 if let in"
    ident: tuple[str, ...]


def _variants(rule, objs):
    """(url, the main object, labels) for each filling of the rule's arguments: every
    object of the main argument, the first of any other (None: no arguments)."""
    names = sorted(rule.arguments)
    if not names:
        yield rule.build({}, append_unknown=False)[1], None, ()
        return
    main = next((n for n in names if n not in ("number", "code")), names[0])
    for o in objs.get(main) or [Obj(f"{main}?", 1)]:
        values, labels = {main: o.id}, [o.label]
        for n in names:
            if n == main:
                continue
            if n == "code":
                values[n] = "en"
                continue
            other = (objs.get(n) or [Obj(f"{n}?", 1)])[0]
            values[n], labels = other.id, labels + [other.label]
        yield rule.build(values, append_unknown=False)[1], o, tuple(labels)


def cases(app, objs, who: str, user) -> list[Case]:
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        guard = allowed(view, user)
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for url, main, labels in _variants(rule, objs):
            ident = main.ident if main else ()
            for method in methods:
                if method == "GET":
                    if guard is True:
                        rule_fn = OBJECT_RULES.get(rule.endpoint)
                        expect = rule_fn(who, main) if rule_fn and main else None
                        if main is None and rule.endpoint not in NEEDS_MORE:
                            expect = True  # a page without arguments answers
                    else:
                        expect = False
                    out.append(Case("GET", rule.endpoint, url, "/".join(labels), expect, ident))
                elif guard is not True and rule.endpoint not in SKIP_POST:
                    out.append(Case(method, rule.endpoint, url, "/".join(labels), False, ident))
    # Fava, mounted in front of the URL map: auditors read it; it takes no writes.
    out.append(Case("GET", "fava", "/audit/fava/", "", who == "auditor", ()))
    out.append(Case("POST", "fava", "/audit/fava/", "", False, ()))
    for endpoint, args, readers in OBJECT_POSTS:
        if who not in readers:
            continue
        assert allowed(app.view_functions[endpoint], user), (endpoint, who)
        values, ident = {}, []
        for name, label in args.items():
            o = next(o for o in objs[name] if o.label == label)
            values[name] = o.id
            ident += o.ident
        with app.test_request_context():
            from flask import url_for
            url = url_for(endpoint, **values)
        method = "PUT" if endpoint == "api.my_bid" else "POST"
        out.append(Case(method, endpoint, url, "/".join(args.values()), False, tuple(ident)))
    return out


def fingerprint(session) -> tuple:
    """The row count of every table (the platform's and the ledger's), in one query."""
    from ledger.models import LedgerBase

    tables = sorted(set(Base.metadata.tables) | set(LedgerBase.metadata.tables))
    sql = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables)
    counts = session.execute(text(sql)).one()
    session.rollback()
    return tuple(zip(tables, counts))


def _client(app, username):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = csrf_token(page)
    if username:
        r = client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                        "csrf_token": token})
        assert r.status_code == 302, username
        token = csrf_token(client.get("/home").get_data(as_text=True))
    return client, token


# Another user's session is answered as an ended one (no oracle for session ids): a
# redirect back to one's own account page, with nothing changed.
REFUSED_BY_REDIRECT = {"accounts.end_session": "/account"}


def _refused(who, response, endpoint) -> bool:
    if response.status_code in (403, 404):
        return True
    if endpoint in REFUSED_BY_REDIRECT and who != "public":
        return (response.status_code == 302
                and response.headers["Location"].endswith(REFUSED_BY_REDIRECT[endpoint]))
    if who == "public":
        return (response.status_code == 302 and "/login" in response.headers["Location"]) \
            or response.status_code == 401
    return False


def check(app, session, objs, who) -> tuple[list[Case], list[str]]:
    username = SUBJECTS[who]
    user = session.scalar(select(User).where(User.username == username)) if username else None
    app.config["WTF_CSRF_ENABLED"] = True
    client, token = _client(app, username)
    failures = []
    all_cases = cases(app, objs, who, user)
    for case in all_cases:
        where = f"{case.method} {case.url} [{case.endpoint} {case.label}] as {who}"
        if case.method == "GET":
            response = client.get(case.url)
        else:
            before = fingerprint(session)
            response = client.open(case.url, method=case.method,
                                   data={"csrf_token": token},
                                   headers={"X-CSRFToken": token})
            after = fingerprint(session)
            if before != after:
                changed = [f"{t} {a}->{b}" for (t, a), (_, b) in zip(before, after) if a != b]
                failures.append(f"{where}: rows changed: {changed}")
        status = response.status_code
        body = response.get_data().decode("utf-8", "replace")
        response.close()
        if status >= 500:
            failures.append(f"{where}: {status}")
        elif case.expect is False:
            if not _refused(who, response, case.endpoint):
                failures.append(f"{where}: expected a refusal, got {status}")
            leaked = [s for s in case.ident if s and s in body]
            if leaked:
                failures.append(f"{where}: refusal shows {leaked}")
        elif case.expect is True:
            if status in (401, 403, 404) or (status == 302 and "/login" in
                                              response.headers.get("Location", "")):
                failures.append(f"{where}: expected to be let in, got {status}")
        elif status == 403 and allowed(app.view_functions[case.endpoint], user) is True \
                and case.endpoint not in OBJECT_RULES:
            failures.append(f"{where}: the guard lets it in, got 403")
    return all_cases, failures


@pytest.mark.parametrize("who", list(SUBJECTS))
def test_authorization_matrix(app, session, world, who, record_property):
    login(app, "civil")  # a live session of civil's: no one else may end it
    objs = objects(session, world)
    all_cases, failures = check(app, session, objs, who)
    kinds = Counter((c.method == "GET", c.expect) for c in all_cases)
    record_property("probe", f"{len(all_cases)} route × reader cases: GET allowed "
                             f"{kinds[True, True]}, GET refused {kinds[True, False]}, GET "
                             f"guard-only {kinds[True, None]}, writes refused {kinds[False, False]}")
    assert failures == [], "\n".join(failures[:80])
