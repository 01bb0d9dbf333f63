"""The catalog lifecycle through HTTP, with the ledger postings each step makes."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from ledger.balances import balances
from ledger.models import Transaction
from market.auditlog.models import AuditEntry
from market.catalogs.models import Catalog, CatalogItem, CatalogStatus
from tests.catalogs.conftest import ITEM, approve_through_http


def _ledger(session, prefix="Assets:Budget:FY2028"):
    session.expire_all()
    return {k: v for k, v in balances(session, prefix).items() if v}


def _txns(session) -> int:
    """Ledger transactions for this test's catalog (the demo has FY2026 ones of its own)."""
    session.expire_all()
    return sum(1 for (links,) in session.execute(select(Transaction.links))
               if any(link.startswith("catalog-") and int(link[8:]) in _mine(session)
                      for link in links or []))


def _mine(session) -> set[int]:
    return set(session.scalars(select(Catalog.id).where(Catalog.fiscal_year == 2028)))


def test_draft_submit_return_resubmit_approve_amend_lapse(app, client, auth, demo, session):
    # The department drafts its 2028 catalog with two items.
    auth.login("dept")
    response = client.post("/catalogs/new", data={"fiscal_year": "2028"})
    assert response.status_code == 302
    catalog = session.scalar(select(Catalog).where(Catalog.fiscal_year == 2028))
    assert catalog.status == CatalogStatus.DRAFT
    assert client.post(f"/catalogs/{catalog.id}/items", data=ITEM).status_code == 302
    second = dict(ITEM, title="失能老人照护", budget="150000.50", quantity="300")
    assert client.post(f"/catalogs/{catalog.id}/items", data=second).status_code == 302
    assert client.post(f"/catalogs/{catalog.id}/submit").status_code == 302
    assert _txns(session) == 0  # nothing is appropriated before approval

    # Finance returns it with a reason; the department sees the reason and resubmits.
    auth.logout()
    auth.login("finance")
    assert client.post(f"/catalogs/{catalog.id}/return", data={"reason": ""}).status_code == 422
    assert client.post(f"/catalogs/{catalog.id}/return",
                       data={"reason": "请细化服务数量"}).status_code == 302
    auth.logout()
    auth.login("dept")
    assert "请细化服务数量" in client.get(f"/catalogs/{catalog.id}").get_data(as_text=True)
    item = session.scalar(select(CatalogItem).where(CatalogItem.title == "失能老人照护"))
    edited = dict(second, quantity="320")
    assert client.post(f"/catalogs/items/{item.id}/edit", data=edited).status_code == 302
    assert client.post(f"/catalogs/{catalog.id}/submit").status_code == 302
    assert _txns(session) == 0

    # Finance approves: one appropriation per item.
    auth.logout()
    auth.login("finance")
    assert client.post(f"/catalogs/{catalog.id}/approve").status_code == 302
    assert _txns(session) == 2
    ledger = _ledger(session)
    assert sorted(ledger.values()) == [Decimal("150000.50"), Decimal("600000.00")]
    assert all(k.endswith(":Available") for k in ledger)
    # The approved catalog is public.
    auth.logout()
    public = client.get(f"/catalogs/{catalog.id}").get_data(as_text=True)
    assert "社区居家养老服务" in public and "600,000.00" in public

    # Finance raises one item and lowers the other; each is a posting.
    auth.login("finance")
    assert client.post(f"/catalogs/items/{item.id}/amend",
                       data={"new_budget": "200000.50", "reason": "增加服务对象"}).status_code == 302
    assert client.post(f"/catalogs/items/{item.id}/amend",
                       data={"new_budget": "100000.00", "reason": "压减"}).status_code == 302
    assert _txns(session) == 4
    assert sorted(_ledger(session).values()) == [Decimal("100000.00"), Decimal("600000.00")]

    # Year-end close: everything available lapses.
    assert client.post("/catalogs/close-year", data={"fiscal_year": "2028"}).status_code == 302
    assert _txns(session) == 6
    assert _ledger(session) == {}
    lapsed = balances(session, "Equity:Lapsed:FY2028")
    assert sum(lapsed.values()) == Decimal("700000.00")
    # Closing twice is refused and posts nothing.
    assert client.post("/catalogs/close-year", data={"fiscal_year": "2028"}).status_code == 409
    assert _txns(session) == 6

    actions = [a for (a,) in session.execute(
        select(AuditEntry.action).where(AuditEntry.object_type == "catalog",
                                        AuditEntry.object_id == catalog.id).order_by(AuditEntry.id))]
    assert actions == ["create", "add_item", "add_item", "submit", "return", "update_item",
                       "submit", "approve"]


def test_bad_item_changes_nothing_and_says_why(client, auth, demo, session):
    auth.login("dept")
    client.post("/catalogs/new", data={"fiscal_year": "2028"})
    catalog = session.scalar(select(Catalog).where(Catalog.fiscal_year == 2028))
    for bad, message in [({"budget": "12.345"}, "最多两位小数"),
                         ({"budget": "-5"}, "金额必须大于零"),
                         ({"budget": "abc"}, "请输入以元为单位的金额"),
                         ({"eligible_categories": []}, "至少选择一类")]:
        response = client.post(f"/catalogs/{catalog.id}/items", data=dict(ITEM, **bad))
        assert response.status_code in (400, 422), bad
        assert message in response.get_data(as_text=True), bad
    session.expire_all()
    assert session.scalar(select(func.count(CatalogItem.id))
                          .where(CatalogItem.catalog_id == catalog.id)) == 0


def test_other_departments_and_roles_cannot_touch_a_catalog(app, client, auth, demo, session):
    from market.accounts.models import Department, User
    from market.accounts.permissions import Role
    from market.accounts.services import create_user

    auth.login("dept")
    client.post("/catalogs/new", data={"fiscal_year": "2028"})
    catalog = session.scalar(select(Catalog).where(Catalog.fiscal_year == 2028))
    client.post(f"/catalogs/{catalog.id}/items", data=ITEM)
    auth.logout()
    edu = session.scalar(select(Department).where(Department.code == "JYJ"))
    create_user(session, username="edu", password="demo-pass-2026", display_name="教育局",
                role=Role.DEPARTMENT, department_id=edu.id)
    session.commit()
    auth.login("edu")
    assert client.get(f"/catalogs/{catalog.id}").status_code == 404  # a draft is not theirs
    assert client.post(f"/catalogs/{catalog.id}/items", data=ITEM).status_code == 403
    assert client.post(f"/catalogs/{catalog.id}/submit").status_code == 403
    auth.logout()
    auth.login("dept")
    client.post(f"/catalogs/{catalog.id}/submit")
    auth.logout()
    auth.login("dept")
    # The department cannot approve its own catalog.
    assert client.post(f"/catalogs/{catalog.id}/approve").status_code == 403
    session.expire_all()
    assert session.get(Catalog, catalog.id).status == CatalogStatus.SUBMITTED
    assert _txns(session) == 0
    assert session.scalar(select(func.count(User.id))) >= 9


def test_lowering_below_committed_is_refused(app, client, auth, demo, session):
    """Finance may lower a budget only down to what is committed."""
    from ledger import operations
    from ledger.accounts import Unit
    from market import funds

    item = approve_through_http(client, auth, session)
    auth.login("finance")
    from market.clock import today_local

    operations.commit(session, today_local(), funds.budget_line(item), Unit("contract-1"),
                      Decimal("500000.00"))
    session.commit()
    before = _txns(session)
    response = client.post(f"/catalogs/items/{item.id}/amend",
                           data={"new_budget": "400000.00", "reason": "压减"})
    assert response.status_code == 409
    assert "不能低于已承诺" in response.get_data(as_text=True)
    assert _txns(session) == before
    session.expire_all()
    assert session.get(CatalogItem, item.id).budget == Decimal("600000.00")
    # Down to exactly the committed amount is fine.
    assert client.post(f"/catalogs/items/{item.id}/amend",
                       data={"new_budget": "500000.00", "reason": "压减"}).status_code == 302
