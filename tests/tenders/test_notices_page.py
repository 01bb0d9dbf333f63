"""The header counts unread notices ("通知 (2)") and links to the notices page, where they
are marked read, one by one or all at once; nobody marks another's notice."""
from __future__ import annotations

import re

from sqlalchemy import select

from market.tenders import notifications
from market.tenders.models import Notification
from tests.factories import PASSWORD, org_member


def _login(app, who):
    client = app.test_client()
    assert client.post("/login", data={"username": who.username, "password": PASSWORD}
                       ).status_code == 302
    return client


def _header(html: str) -> str:
    return re.search(r'<a class="notice-count"[^>]*>(.*?)</a>', html).group(1)


def test_unread_count_and_marking_read(app, demo, session):
    org, member = org_member(session, name="通知测试服务社")
    other_org, other = org_member(session, name="通知测试另一服务社")
    notes = [notifications.notify(session, kind="tender_cancelled", organization_id=org.id,
                                  ref=f"KS-TEST-{i}", reason="预算调整") for i in range(3)]
    foreign = notifications.notify(session, kind="tender_cancelled",
                                   organization_id=other_org.id, ref="KS-OTHER", reason="x")
    session.commit()

    client = _login(app, member)
    assert _header(client.get("/home").get_data(as_text=True)) == "通知 (3)"
    client.post("/language/en")
    assert _header(client.get("/home").get_data(as_text=True)) == "Notices (3)"
    client.post("/language/zh")
    page = client.get("/tenders/notices").get_data(as_text=True)
    assert "KS-TEST-0" in page and "KS-OTHER" not in page and "全部标为已读" in page

    response = client.post(f"/tenders/notices/{notes[0].id}/read", data={"stay": "1"})
    assert response.status_code == 302 and response.location.endswith("/tenders/notices")
    assert _header(client.get("/tenders/notices").get_data(as_text=True)) == "通知 (2)"
    # Another organization's notice is not ours to mark.
    assert client.post(f"/tenders/notices/{foreign.id}/read").status_code == 404
    session.expire_all()
    assert session.get(Notification, foreign.id).read_at is None

    client.post("/tenders/notices/read-all")
    client.post("/language/en")
    html = client.get("/tenders/notices").get_data(as_text=True)
    assert _header(html) == "Notices" and "Mark all as read" not in html
    session.expire_all()
    assert all(n.read_at is not None for n in session.scalars(
        select(Notification).where(Notification.organization_id == org.id)))
    assert session.get(Notification, foreign.id).read_at is None
    assert _header(_login(app, other).get("/home").get_data(as_text=True)) == "通知 (1)"


def test_logged_out_pages_have_no_notice_link(client):
    assert 'class="notice-count"' not in client.get("/").get_data(as_text=True)
    assert client.get("/tenders/notices").status_code in (302, 401)
