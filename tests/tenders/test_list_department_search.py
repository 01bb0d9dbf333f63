"""The public tender list's department filter: a drop-down for a city's few departments,
a search by name or code for a province's thousands (no page carries two thousand
options)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from market.accounts.models import Department
from market.scale import seed_scale
from market.tenders import queries
from market.tenders.models import Tender

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def seeded(app, session):
    with app.app_context():
        seed_scale(session, "60", seed=5, today=TODAY)
        session.commit()


def _references(html: str, session) -> set[str]:
    refs = set(session.scalars(select(Tender.reference)))
    return {r for r in refs if r in html}


def test_a_few_departments_are_a_drop_down(seeded, client, session):
    html = client.get("/tenders/").get_data(as_text=True)
    assert '<select name="department">' in html and 'name="department_q"' not in html


def test_many_departments_are_a_search_by_name_or_code(seeded, client, session, monkeypatch):
    monkeypatch.setattr(queries, "DEPARTMENT_CHOICES_MAX", 2)
    html = client.get("/tenders/").get_data(as_text=True)
    assert 'name="department_q"' in html and '<select name="department">' not in html
    dept = session.scalar(select(Department).where(Department.code == "S0002"))
    own = set(session.scalars(select(Tender.reference).where(
        Tender.department_id == dept.id, Tender.published_at.is_not(None))))
    assert own
    for query in ("S0002", dept.name_zh, dept.name_en.upper()):
        found = client.get("/tenders/", query_string={"department_q": query})
        assert found.status_code == 200
        shown = _references(found.get_data(as_text=True), session)
        assert shown and shown <= own, query
        assert f'value="{query}"' in found.get_data(as_text=True)
    # LIKE wildcards are searched for as characters
    nothing = client.get("/tenders/", query_string={"department_q": "%"}).get_data(as_text=True)
    assert not _references(nothing, session)
