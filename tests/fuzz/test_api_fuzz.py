"""Every /api/v1 write, fuzzed: each endpoint, called as the role that may call it, gets
hypothesis-made bodies — its own fields with values of every JSON type and hostile text,
any JSON value (arrays, scalars, nesting), and raw bodies no JSON library would write
(deep nesting, NaN, 1e999999, a 5000-digit number, a BOM, NUL and half-surrogate escapes,
invalid UTF-8) — under varying content types; and the list endpoint gets hostile filters.

For every case: no 5xx; a refusal is JSON ``{"error", "message"}`` and changed no row of
any table (ledger included). Bounded by FUZZ_EXAMPLES (cases per endpoint, default 10).
"""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import select

from market.contracts.models import Contract
from market.tenders.models import Question, Tender
from tests.fuzz.conftest import EXAMPLES, SEED
from tests.fuzz.hostile import HUGE_NUMBERS, TEXTS, hostile_value, json_body
from tests.probes.conftest import login
from tests.test_bad_input import all_counts

CONTENT_TYPES = ["application/json", "application/json", "application/json",
                 "application/merge-patch+json", "text/plain", "application/x-www-form-urlencoded",
                 None]


def _encode(body) -> bytes:
    if isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")


def _targets(session):
    open_tender = session.scalar(select(Tender).where(Tender.title == "家庭医生签约健康宣教服务"))
    question = session.scalar(select(Question).order_by(Question.id))
    contract = session.scalar(select(Contract).order_by(Contract.id))
    milestone = f"/api/v1/contracts/{contract.id}/milestones"
    t = f"/api/v1/tenders/{open_tender.id}"
    return [
        ("org", "PUT", f"{t}/my-bid", ["price", "proposal", "remove_document_ids"]),
        ("org", "POST", f"{t}/questions", ["question"]),
        ("org", "POST", f"{t}/my-bid/reconfirm", []),
        ("dept", "POST", f"/api/v1/questions/{question.id}/answer", ["answer"]),
        ("dept-mzj", "POST", f"{milestone}/2/acceptance", ["accept", "reason"]),
        ("evaluator", "POST", f"{milestone}/2/evaluation", ["passed", "score", "report"]),
        ("finance", "POST", f"{milestone}/2/payment", []),
    ]


def _fuzz_endpoint(client, who, method, url, fields, session, figures) -> None:
    """Send EXAMPLES hostile bodies to one endpoint as ``who``."""
    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(body=json_body(fields), content_type=st.sampled_from(CONTENT_TYPES))
    def run(body, content_type):
        before = all_counts(session)
        response = client.open(url, method=method, data=_encode(body),
                               content_type=content_type)
        status = response.status_code
        figures.seen(f"{method} {url}", status)
        label = f"{who} {method} {url} {content_type} {_encode(body)[:200]!r}"
        if status >= 500:
            figures.server_errors.append(f"{status} {label}")
            return
        if 400 <= status < 500:
            answer = response.get_json(silent=True)
            if not (isinstance(answer, dict) and isinstance(answer.get("message"), str)
                    and answer.get("error")):
                figures.server_errors.append(f"{status} without a JSON reason: {label}")
            if all_counts(session) != before:
                figures.written_on_refusal.append(f"{status} {label}")

    run()


def test_every_api_write_survives_hostile_bodies(fuzz_app, session, showcase, figures):
    app = fuzz_app
    for who, method, url, fields in _targets(session):
        client = login(app, who)

        _fuzz_endpoint(client, who, method, url, fields, session, figures)
    _check(figures)


def test_the_tender_list_survives_hostile_filters(fuzz_app, session, showcase, figures):
    client = login(fuzz_app, "org")
    names = ["page", "department", "fy", "category", "status", "eligible", "q", "page\x00"]

    @seed(SEED)
    @settings(max_examples=EXAMPLES * 4, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(args=st.dictionaries(st.sampled_from(names), st.one_of(
        hostile_value(), st.sampled_from(HUGE_NUMBERS + TEXTS[:20])), max_size=4))
    def run(args):
        for url in ("/api/v1/tenders", "/tenders/"):
            response = client.get(url, query_string=args)
            figures.seen(url, response.status_code)
            if response.status_code >= 500:
                figures.server_errors.append(f"{response.status_code} {url} {args!r:.300}")

    run()
    _check(figures)


def _check(figures):
    figures.report()
    assert figures.cases > 0
    assert figures.server_errors == [], "\n".join(figures.server_errors[:20])
    assert figures.written_on_refusal == [], "\n".join(figures.written_on_refusal[:20])

