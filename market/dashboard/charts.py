"""The dashboard's charts as plain data: each chart a category axis, series of numbers
and its translated words, handed to ``static/js/dashboard.js`` (which draws them with
Apache ECharts) in a ``data-chart`` attribute. The tables beside the charts show the same
figures from the same ``queries`` objects."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import get_locale
from flask_babel import gettext as _

from market.dashboard.queries import Funds, Indicators, Year


def _n(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if isinstance(value, int) else float(value)


def place_name(obj) -> str:
    """A town's or department's name in the page's language."""
    return obj.name_zh if str(get_locale()) == "zh" else obj.name_en


def _chart(key: str, title: str, categories: list, series: list[dict], unit: str = "",
           horizontal: bool = False, whole: bool = False, tall: bool = False) -> dict:
    """``whole``: the values are counts (the axis shows whole numbers only); ``tall``: a
    taller box (many series)."""
    return {"key": key, "title": title, "categories": categories, "series": series,
            "unit": unit, "horizontal": horizontal, "whole": whole,
            "tall": tall or horizontal}


def _series(name: str, data: list, kind: str = "line", *, target: bool = False,
            stack: str | None = None) -> dict:
    return {"name": name, "type": kind, "data": [_n(v) for v in data], "target": target,
            "stack": stack}


def over_time(figures: Indicators) -> list[dict]:
    years = [str(y.year) for y in figures.years]
    t = figures.targets
    count = [y.city.registered for y in figures.years]
    count_series = [_series(_("Registered organizations"), count, "bar", stack="orgs"),
                    _series(_("Filed community organizations"),
                            [y.city.filed for y in figures.years], "bar", stack="orgs")]
    if t.doubling is not None:
        count_series.append(_series(_("Target: %(n)s times the base year",
                                      n=t.growth),
                                    [t.doubling] * len(years), target=True))
    return [
        _chart("per10k", _("Registered organizations per 10,000 registered residents"),
               years, [_series(_("City"), [y.city.per_10k for y in figures.years]),
                       _series(_("Target"), [t.per_10k] * len(years), target=True)]),
        _chart("graded", _("Share of registered organizations holding a grade (%)"), years,
               [_series(_("City"), [y.city.graded_share for y in figures.years]),
                _series(_("Target"), [t.graded_share] * len(years), target=True)], "%"),
        _chart("count", _("Social organizations at the year's end"), years, count_series,
               whole=True),
    ]


def towns_over_time(figures: Indicators) -> dict:
    """Registered organizations per 10,000 residents of every town, year by year."""
    years = [str(y.year) for y in figures.years]
    towns = figures.years[-1].towns if figures.years else []
    series = [_series(place_name(area.town),
                      [y.towns[i].per_10k for y in figures.years])
              for i, area in enumerate(towns)]
    series.append(_series(_("Target"), [figures.targets.per_10k] * len(years), target=True))
    return _chart("towns_per10k", _("Per 10,000 registered residents, each town over the years"),
                  years, series, tall=True)


def per_town(year: Year, figures: Indicators) -> list[dict]:
    names = [place_name(a.town) for a in year.towns]
    t = figures.targets
    n = len(names)
    return [
        _chart("town_per10k", _("Per 10,000 registered residents, by town, %(year)s",
                                year=year.year), names,
               [_series(_("Registered organizations per 10,000 residents"),
                        [a.per_10k for a in year.towns], "bar"),
                _series(_("Target"), [t.per_10k] * n, target=True)]),
        _chart("town_graded", _("Graded share by town, %(year)s (%%)", year=year.year), names,
               [_series(_("Graded share"), [a.graded_share for a in year.towns], "bar"),
                _series(_("Target"), [t.graded_share] * n, target=True)], "%"),
        _chart("town_bases", _("Town-level incubation bases, %(year)s", year=year.year),
               names, [_series(_("Incubation bases"), [a.bases for a in year.towns], "bar"),
                       _series(_("Target"), [t.bases_per_town] * n, target=True)],
               whole=True),
    ]


def funds_chart(funds: Funds) -> dict:
    names = [place_name(d.department) for d in funds.departments]
    return _chart("funds", _("Purchase funds by department, fiscal year %(fy)s (yuan)",
                             fy=funds.fiscal_year), names,
                  [_series(_("Appropriated"), [d.appropriated for d in funds.departments], "bar"),
                   _series(_("Reserved"), [d.reserved for d in funds.departments], "bar"),
                   _series(_("Committed"), [d.committed for d in funds.departments], "bar"),
                   _series(_("Paid"), [d.paid for d in funds.departments], "bar")],
                  _("yuan"), horizontal=True)


def all_charts(figures: Indicators, year: Year | None, funds: Funds) -> dict[str, dict]:
    charts = over_time(figures) + [towns_over_time(figures)] \
        + (per_town(year, figures) if year is not None else [])
    charts.append(funds_chart(funds))
    return {c["key"]: c for c in charts}
