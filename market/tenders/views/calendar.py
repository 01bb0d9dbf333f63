"""The operator's working-day calendar: holidays on weekdays, workdays on weekends."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market.core.inputs import MAX_YEAR, MIN_YEAR, int_arg
from market.access.guards import permission_required
from market.access.permissions import Permission
from market.clock import today_local
from market.core.forms import form_page
from market.db import get_session, unit_of_work
from market.tenders import calendar as working_days
from market.tenders.forms import CalendarDayForm, ConfirmForm
from market.tenders.views.blueprint import bp


@bp.route("/calendar", methods=["GET", "POST"])
@permission_required(Permission.CALENDAR_MANAGE)
def calendar():
    session = get_session()
    year = int_arg("year", today_local().year, low=MIN_YEAR, high=MAX_YEAR)
    form = CalendarDayForm()
    return form_page(
        form, lambda s: working_days.set_day(s, current_user, form.day.data,
                                             form.kind.data == "workday", form.note.data),
        done=_("Calendar updated."), then=lambda row: url_for(".calendar", year=row.day.year),
        render=lambda: render_template(
            "tenders/calendar.html", form=form, year=year,
            days=working_days.days_in(session, year),
            years=sorted(set(working_days.years(session)) | {year}),
            confirm=ConfirmForm(formdata=None)))


@bp.route("/calendar/<int:day_id>/delete", methods=["POST"])
@permission_required(Permission.CALENDAR_MANAGE)
def delete_day(day_id: int):
    session = get_session()
    with unit_of_work(session):
        working_days.remove_day(session, current_user, day_id)
    flash(_("Calendar updated."), "success")
    return redirect(url_for(".calendar"))
