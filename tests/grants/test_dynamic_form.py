"""The round's extra questions become WTForms fields: each kind is validated, its error
shown beside it, and nothing is written."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from market.grants.models import GrantApplication, GrantRound
from market.grants.forms import application_form as build
from tests.factories import org_member
from tests.grants.conftest import application_form, login
from tests.probes import row_counts


@pytest.mark.parametrize("overrides, zh, status", [
    ({"q1": ""}, "此项为必填项", 400),  # text, required
    ({"q2": "十二"}, "不是有效的小数", 400),  # number: not a number
    ({"q2": "-1"}, "请输入 0 至", 400),  # number: below 0
    ({"q3": "也许"}, "不是有效的选择", 400),  # choice: not one of the round's
    ({"q4": None}, "请附上文件", 400),  # file, required, none attached before
    ({"q4": (io.BytesIO(b"just some words"), "letter.txt")}, "不接受此类文件", 415),
])
def test_each_question_kind_is_validated(client, session, grant_round, overrides, zh,
                                         status):
    org, member = org_member(session, grade=2)
    login(client, member.username)
    before = row_counts(session, GrantApplication)
    response = client.post(f"/grants/rounds/{grant_round.id}/apply",
                           data=application_form(session, **overrides),
                           content_type="multipart/form-data")
    assert response.status_code == status
    assert zh in response.get_data(as_text=True)
    assert row_counts(session, GrantApplication) == before


def test_the_form_class_is_built_from_the_round(app, session, grant_round):
    form_class = build(grant_round)
    assert form_class.question_keys == ("q1", "q2", "q3", "q4")
    with app.test_request_context():
        form = form_class(formdata=None, towns=[(1, "玉山镇")])
        kinds = [f.type for f in form.question_fields()]
        assert kinds == ["TextAreaField", "DecimalField", "SelectField", "FileField"]
        assert [c[0] for c in form.q3.choices] == ["", "覆盖农村", "仅城市"]


def test_a_required_file_kept_from_the_draft_need_not_be_sent_again(client, session,
                                                                     grant_round):
    org, member = org_member(session, grade=2)
    login(client, member.username)
    client.post(f"/grants/rounds/{grant_round.id}/apply",
                data=application_form(session), content_type="multipart/form-data")
    application = session.scalar(select(GrantApplication).where(
        GrantApplication.organization_id == org.id))
    page = client.get(f"/grants/applications/{application.id}/edit").get_data(as_text=True)
    assert "支持函.pdf" in page
    response = client.post(f"/grants/applications/{application.id}/edit",
                           data=application_form(session, q4=None, q1="四名持证社工"),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    session.refresh(application)
    assert application.answers["q1"] == "四名持证社工"
    assert application.answers["q4"]["name"] == "支持函.pdf"
    # an optional question may be left empty
    grant_round_row = session.get(GrantRound, grant_round.id)
    questions = [dict(q) for q in grant_round_row.questions]
    questions[1]["required"] = False
    grant_round_row.questions = questions
    session.commit()
    response = client.post(f"/grants/applications/{application.id}/edit",
                           data=application_form(session, q4=None, q2=""),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    session.refresh(application)
    assert application.answers["q2"] is None
