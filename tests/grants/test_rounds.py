"""Civil affairs drafts, edits and publishes a round (audit-logged); the public list and
round page show its rules and timetable without login, in both languages."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from market.auditlog.models import AuditEntry
from market.grants.models import GrantRound, RoundStatus
from tests.factories import user
from tests.grants.conftest import civil_item, grant_counts, login, round_data
from tests.probes import untranslated

ROUND_FORM = {
    "title": "试点社区公益创投", "description": "征集社区公益项目", "pool": "300000.00",
    "cap": "100000.00", "min_self_share": "20", "eligible_categories": ["charity"],
    "min_grade": "0", "priority_mode": "reserved_share", "priority_value": "20",
    "startups_without_grade": "y", "opens_at": "2026-12-10T09:00",
    "closes_at": "2026-12-28T17:00", "reviewers_per_application": "3",
    "criteria": "项目设计 | 40\n执行能力 | 30\n预算合理性 | 30",
    "questions": "text | 团队介绍 | | required\nnumber | 志愿者人数 | | optional\n"
                 "choice | 服务范围 | 覆盖农村;仅城市 | required\nfile | 支持函 | | optional",
    "tranche_signing": "50", "tranche_midterm": "30", "tranche_final": "20",
    "reporting_dates": "2027-06-30\n2027-12-15",
}


def _form(session, **overrides):
    data = dict(ROUND_FORM, item_id=str(_item_id(session)))
    data.update(overrides)
    return data


def _item_id(session) -> int:
    from market.catalogs.models import Catalog, CatalogItem

    return session.scalar(select(CatalogItem.id).join(Catalog).where(
        CatalogItem.title == "困境儿童关爱服务", Catalog.fiscal_year == 2026))


def test_civil_affairs_drafts_edits_and_publishes_a_round(client, session, demo, clock):
    civil_item(session)  # 500,000 free on the item
    login(client, "civil")
    assert client.get("/grants/rounds/new").status_code == 200
    response = client.post("/grants/rounds/new", data=_form(session))
    assert response.status_code == 302
    made = session.scalar(select(GrantRound).where(GrantRound.title == "试点社区公益创投"))
    assert made.status == RoundStatus.DRAFT
    assert [q["kind"] for q in made.questions] == ["text", "number", "choice", "file"]
    assert made.questions[2]["options"] == ["覆盖农村", "仅城市"] and not made.questions[1]["required"]
    assert [t["percent"] for t in made.tranches] == [50, 30, 20]
    url = f"/grants/rounds/{made.id}"
    assert "发布活动" in client.get(url).get_data(as_text=True)
    client.post("/logout")
    assert client.get(url).status_code == 404  # a draft is not public
    assert "试点社区公益创投" not in client.get("/grants/").get_data(as_text=True)
    login(client, "civil")
    assert client.post(f"{url}/edit", data=_form(session, cap="90000.00")).status_code == 302
    session.refresh(made)
    assert str(made.cap) == "90000.00"
    assert client.post(f"{url}/publish").status_code == 302
    session.refresh(made)
    assert made.status == RoundStatus.PUBLISHED and made.published_at
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "grant_round", AuditEntry.object_id == made.id)
        .order_by(AuditEntry.id)).all()
    assert actions == ["create", "edit", "publish"]
    assert client.get(f"{url}/edit").status_code == 200  # shown, but saving is refused
    before = grant_counts(session)
    response = client.post(f"{url}/edit", data=_form(session, cap="80000.00"))
    assert response.status_code == 409 and "已发布的活动不能再修改" in response.get_data(as_text=True)
    assert grant_counts(session) == before
    client.post("/logout")
    page = client.get(url).get_data(as_text=True)
    for text in ("试点社区公益创投", "300,000.00", "90,000.00", "2026-12-28 17:00", "项目设计",
                 "2027-06-30", "服务范围", "50 %"):
        assert text in page, text
    assert "试点社区公益创投" in client.get("/grants/").get_data(as_text=True)


@pytest.mark.parametrize("overrides, zh, en", [
    ({"criteria": "项目设计 | 40\n执行能力 | 30"}, "评审标准的权重合计必须为 100",
     "weights of the review criteria must add up to 100"),
    ({"tranche_final": "10"}, "分期拨付比例合计必须为 100%", "tranches must add up to 100 %"),
    ({"pool": "700000.00"}, "资金池超过了该目录项目的可用预算", "The pool exceeds what the catalog"),
    ({"questions": "video | 上传视频 | | required"}, "第 1 行问题", "Question line 1"),
    ({"questions": "choice | 服务范围 | 覆盖农村 | required"}, "至少需要两个选项",
     "a choice needs two or more choices"),
    ({"closes_at": "2026-12-10T09:00"}, "申报截止时间必须晚于开始时间",
     "The application window must close after it opens"),
])
def test_round_refusals_change_nothing(client, session, demo, overrides, zh, en):
    civil_item(session)  # 500,000 free: a pool of 700,000 is too much
    before = grant_counts(session)
    for language, message in (("zh", zh), ("en", en)):
        login(client, "civil", language)
        response = client.post("/grants/rounds/new", data=_form(session, **overrides))
        assert response.status_code in (409, 422), language
        assert message in response.get_data(as_text=True), language
    assert grant_counts(session) == before


def test_only_civil_affairs_manages_rounds(client, session, demo):
    for who in ("dept", "org", "finance", "auditor"):
        login(client, who)
        assert client.get("/grants/rounds/new").status_code == 403, who
        assert client.get("/grants/manage").status_code == 403, who


@pytest.mark.parametrize("language", ["zh", "en"])
def test_round_pages_speak_one_language(app, session, demo, clock, language):
    civil = user(session, "civil")
    from market.grants import services

    draft = services.create_round(session, civil, round_data(session, clock, title="草稿活动"))
    session.commit()
    published = session.scalar(select(GrantRound).where(
        GrantRound.status == RoundStatus.PUBLISHED).order_by(GrantRound.id))
    pages = [(None, "/grants/"), (None, f"/grants/rounds/{published.id}"),
             ("civil", "/grants/manage"), ("civil", "/grants/rounds/new"),
             ("civil", f"/grants/rounds/{draft.id}"),
             ("civil", f"/grants/rounds/{draft.id}/edit"),
             ("org", f"/grants/rounds/{published.id}")]
    assert untranslated(app, session, pages, language) == []
