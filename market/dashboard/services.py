"""The only door for writes in the dashboard room: civil affairs enters a town's registered
residents (户籍人口) for a year. A second entry for the same town and year replaces the
figure; the audit log keeps the value it replaced."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.access.permissions import Permission
from market.accounts.models import Town
from market.auditlog.services import record
from market.clock import now, today_local
from market.core.inputs import MIN_YEAR
from market.dashboard.models import TownPopulation
from market.errors import Forbidden, Invalid, NotFound

MAX_RESIDENTS = 50_000_000  # more than any Chinese city district holds


def set_population(session: Session, actor, town_id: int, year: int,
                   residents: int) -> TownPopulation:
    """Record ``residents`` registered residents of ``town_id`` at the end of ``year``."""
    if actor is None or not actor.can(Permission.TARGETS_POPULATION):
        raise Forbidden(_l("Only civil affairs enters the population figures."))
    town = session.get(Town, town_id) if town_id else None
    if town is None:
        raise NotFound(_l("No such town."), field="town_id")
    this_year = today_local().year
    if year is None or not MIN_YEAR <= year <= this_year:
        raise Invalid(_l("Enter a year from %(low)s to this year (%(high)s).",
                         low=MIN_YEAR, high=this_year), field="year")
    if residents is None or not 1 <= residents <= MAX_RESIDENTS:
        raise Invalid(_l("Enter the number of registered residents, from 1 to %(high)s.",
                         high=format(MAX_RESIDENTS, ",")), field="residents")
    row = session.scalar(select(TownPopulation).where(
        TownPopulation.town_id == town.id, TownPopulation.year == year).with_for_update())
    before = None
    if row is None:
        row = TownPopulation(town_id=town.id, year=year, residents=residents)
        session.add(row)
    else:
        before = str(row.residents)
        row.residents = residents
    row.recorded_at, row.recorded_by_id = now(), actor.id
    session.flush()
    record(session, actor, "town_population", row.id, "set", before, str(residents),
           f"{town.code} {year}")
    return row
