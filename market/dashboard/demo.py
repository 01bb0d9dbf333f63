"""Demo registered residents (run by ``flask demo seed``, idempotent): every town's figure
for each year from the policy's base year to this one, growing about 1 % a year to the
town's present figure (the one the core demo gives each town)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Town, User
from market.clock import today_local
from market.dashboard import services
from market.dashboard.models import TownPopulation
from market.dashboard.queries import years_shown


def residents(present: int, years_back: int) -> int:
    return round(present / (1.01 ** years_back), -2)


def seed(session: Session) -> None:
    civil = session.scalar(select(User).where(User.username == "civil"))
    if civil is None or session.scalar(select(TownPopulation.id).limit(1)) is not None:
        return
    this_year = today_local().year
    for town in session.scalars(select(Town).where(Town.population.is_not(None))
                                .order_by(Town.id)):
        for year in years_shown():
            services.set_population(session, civil, town.id, year,
                                    int(residents(town.population, this_year - year)))
