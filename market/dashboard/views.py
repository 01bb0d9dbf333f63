"""Dashboard pages: the public policy targets with purchase funds (``/dashboard``), and
civil affairs' entry of registered residents per town and year."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.access.guards import permission_required, public
from market.access.permissions import Permission
from market.clock import today_local
from market.core.forms import form_page
from market.core.pagination import page_number
from market.core.inputs import MAX_YEAR, MIN_YEAR, choice_arg, int_arg
from market.core.listing import Column, Listing, local_name
from market.dashboard import charts, queries, services
from market.dashboard.forms import PopulationForm
from market.db import get_session
from market.orgs.queries import towns

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


# The figures of the charts, one listing per table of the page (``?table=``; the city over
# the years by default).
YEARS = Listing("policy-targets-by-year", _l("Over the years"), (
    Column(_l("Year"), lambda y: y.year),
    Column(_l("Registered organizations"), lambda y: y.city.registered),
    Column(_l("Filed community organizations"), lambda y: y.city.filed),
    Column(_l("Registered residents"), lambda y: y.city.residents),
    Column(_l("Per 10,000"), lambda y: y.city.per_10k),
    Column(_l("Graded"), lambda y: y.city.graded),
    Column(_l("Graded share (%)"), lambda y: y.city.graded_share),
    Column(_l("Incubation bases"), lambda y: y.city.bases),
))
TOWNS = Listing("policy-targets-by-town", _l("By town"), (
    Column(_l("Town"), lambda a: local_name(a.town) if a.town else _("City")),
    Column(_l("Registered organizations"), lambda a: a.registered),
    Column(_l("Filed"), lambda a: a.filed),
    Column(_l("Registered residents"), lambda a: a.residents),
    Column(_l("Per 10,000"), lambda a: a.per_10k),
    Column(_l("Graded share (%)"), lambda a: a.graded_share),
    Column(_l("Incubation bases"), lambda a: a.bases),
))
FUNDS = Listing("purchase-funds", _l("Purchase funds"), (
    Column(_l("Department"), lambda d: local_name(d.department)),
    Column(_l("Appropriated"), lambda d: d.appropriated, money=True),
    Column(_l("Reserved"), lambda d: d.reserved, money=True),
    Column(_l("Committed"), lambda d: d.committed, money=True),
    Column(_l("Paid"), lambda d: d.paid, money=True),
))


def _towns_over_years(figures: queries.Indicators) -> tuple[Listing, list]:
    """The per-10,000 figure of each town (rows) in each year shown (columns): its columns
    are the years, so the listing is made for the figures at hand."""
    columns = [Column(_l("Town"), lambda row: local_name(row[0].town))]
    columns += [Column(str(y.year), lambda row, i=i: row[1][i].per_10k)
                for i, y in enumerate(figures.years)]
    last = figures.years[-1].towns
    rows = [(area, [y.towns[n] for y in figures.years]) for n, area in enumerate(last)]
    return Listing("per-10000-by-town",
                   _l("Per 10,000 registered residents, each town over the years"),
                   columns), rows


@bp.route("/")
@public
def index():
    """Policy targets (§2) over time and per town, and purchase funds by department.

    Public, funds included: every figure is a sum of amounts the portal already publishes
    (approved catalogs' budgets, published tenders, contracts, milestone payments), as
    budget disclosure (预算公开) asks; no account or payee is named here."""
    session = get_session()
    figures = queries.indicators(session)
    shown = [y.year for y in figures.years]
    year = int_arg("year", shown[-1], low=shown[0], high=shown[-1])
    fund_years = queries.funds_years(session)
    fy = int_arg("fy", fund_years[0] if fund_years else today_local().year,
                 low=MIN_YEAR, high=MAX_YEAR)
    funds = queries.funds(session, fy)
    town_year = figures.year(year)
    town_years, town_rows = _towns_over_years(figures)
    rows = {"years": lambda: list(reversed(figures.years)),
            "town_years": lambda: town_rows,
            "towns": lambda: [*town_year.towns, town_year.city] if town_year else [],
            "funds": lambda: funds.departments}
    table = choice_arg("table", rows) or "years"
    listing = {"years": YEARS, "town_years": town_years, "towns": TOWNS, "funds": FUNDS}[table]
    if (file := listing.file(rows[table])) is not None:
        return file
    return render_template(
        "dashboard/index.html", figures=figures, town_year=town_year, year=year,
        funds=funds, fund_years=fund_years,
        charts=charts.all_charts(figures, town_year, funds),
        may_enter=current_user.is_authenticated
        and current_user.can(Permission.TARGETS_POPULATION))


@bp.route("/population", methods=["GET", "POST"])
@permission_required(Permission.TARGETS_POPULATION)
def population():
    session = get_session()
    form = PopulationForm()
    form.town_id.choices = [(t.id, t.name_zh) for t in towns(session)]
    if not form.is_submitted():
        form.year.data = today_local().year - 1
    return form_page(
        form, lambda s: services.set_population(s, current_user, form.town_id.data,
                                                form.year.data, form.residents.data),
        done=_("Registered residents recorded."), then=url_for(".population"),
        render=lambda: render_template("dashboard/population.html", form=form,
                                       rows=queries.populations_page(
                                           session, page_number(),
                                           current_app.config["PAGE_SIZE"])))
