"""The form of the dashboard room: a town's registered residents for a year."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from market.core.inputs import MIN_YEAR
from market.dashboard.services import MAX_RESIDENTS

REQUIRED = _l("This field is required.")


class PopulationForm(FlaskForm):
    town_id = SelectField(_l("Town"), coerce=int, validators=[DataRequired(REQUIRED)])
    year = IntegerField(_l("Year (figure at the year's end)"), validators=[
        InputRequired(REQUIRED),
        NumberRange(MIN_YEAR, 2100, message=_l("Enter a year such as 2025."))])
    residents = IntegerField(_l("Registered residents"), validators=[
        InputRequired(REQUIRED),
        NumberRange(1, MAX_RESIDENTS, message=_l("Enter a whole number of residents, "
                                                 "at least 1."))])
