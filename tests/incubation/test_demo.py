"""`flask demo seed` shows the incubation bases: a city-level base with organizations hosted
and one graduated, a passing evaluation and its paid reward; a town-level base whose
failing evaluation has no reward. Twice without harm; the ledger verifies."""
from __future__ import annotations

from sqlalchemy import func, select

from ledger.verify import verify
from market.incubation.demo import CITY_BASE, TOWN_BASE
from market.incubation.models import IncubationBase, Reward, RewardStatus


def test_demo_shows_two_bases_a_paid_reward_and_a_failed_year(app, session):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed"])
        assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.scalar(select(func.count(IncubationBase.id))) == 2
    city = session.scalar(select(IncubationBase).where(IncubationBase.name == CITY_BASE))
    town = session.scalar(select(IncubationBase).where(IncubationBase.name == TOWN_BASE))
    assert city.level.value == "city" and town.level.value == "town" and town.town.code == "BC"
    assert len(city.residents) == 2 and len(city.graduates) == 1 and len(town.residents) == 1
    assert [e.passed for e in city.evaluations] == [True]
    assert [e.passed for e in town.evaluations] == [False]
    assert [(r.status, r.year) for r in city.rewards] == \
        [(RewardStatus.PAID, city.evaluations[0].year)]
    assert town.rewards == []
    assert session.scalar(select(func.count(Reward.id))) == 1
    assert verify(session).ok
    client = app.test_client()
    page = client.get(f"/incubation/{city.id}").get_data(as_text=True)
    assert "50,000.00" in page and "昆山市健康促进会" in page
    assert "不合格" in client.get(f"/incubation/{town.id}").get_data(as_text=True)
