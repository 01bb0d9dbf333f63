"""A published round's funded projects as CSV and Excel, for anyone: the grants decided,
with amount granted and paid (numbers in Excel); nothing for a round still in draft."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from market.grants.views import FUNDED
from tests.core.downloads import both, client_for
from tests.factories import user
from tests.grants.conftest import funded_grant, round_data


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_rounds_funded_projects_download(app, demo, session, clock, language):
    published, grant = funded_grant(session)
    client = client_for(app, None, language)
    rows, sheet = both(client, f"/grants/rounds/{published.id}")
    with app.test_request_context(), force_locale(language):
        assert rows[0] == sheet[0] == FUNDED.header()
    assert len(rows) == len(sheet) == 2  # the one grant; the rejected application is not
    assert rows[1][:4] == [grant.application.title, grant.organization.name, "90000.00",
                           f"{grant.paid:.2f}"]
    assert Decimal(str(sheet[1][2])) == Decimal("90000") and grant.paid > 0
    assert f"/grants/rounds/{published.id}?format=csv" in client.get(
        f"/grants/rounds/{published.id}").get_data(as_text=True)


def test_a_draft_round_gives_the_public_no_file(app, demo, session, clock):
    from market.grants import services

    draft = services.create_round(session, user(session, "civil"), round_data(session, clock))
    session.commit()
    response = client_for(app).get(f"/grants/rounds/{draft.id}?format=csv")
    assert response.status_code == 404
    assert "attachment" not in response.headers.get("Content-Disposition", "")
