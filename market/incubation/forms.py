"""Forms of the incubation pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from market.core.forms import MoneyField
from market.incubation.labels import LEVEL_LABELS, SERVICE_LABELS

REQUIRED = _l("This field is required.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BaseForm(FlaskForm):
    name = StringField(_l("Name of the base"), validators=[DataRequired(REQUIRED),
                                                           Length(max=200)])
    level = SelectField(_l("Level"), choices=[(k.value, v) for k, v in LEVEL_LABELS.items()],
                        validators=[DataRequired(REQUIRED)])
    town_id = SelectField(_l("Town (town-level bases)"), coerce=int, default=0)
    operator_id = SelectField(_l("Operating organization"), coerce=int,
                              validators=[DataRequired(REQUIRED)])
    capacity = IntegerField(_l("Capacity (organizations hosted at one time)"), validators=[
        InputRequired(REQUIRED),
        NumberRange(1, 1000, message=_l("Enter a number from 1 to 1000."))])
    services = MultiCheckboxField(_l("Services offered"),
                                  choices=[(k.value, v) for k, v in SERVICE_LABELS.items()],
                                  validators=[DataRequired(_l("Choose at least one service the "
                                                              "base offers."))])
    opened_on = DateField(_l("Opened on"), validators=[InputRequired(REQUIRED)])


class AdmitForm(FlaskForm):
    organization_id = SelectField(_l("Organization"), coerce=int,
                                  validators=[DataRequired(REQUIRED)])
    admitted_on = DateField(_l("Admitted on"), validators=[InputRequired(REQUIRED)])


class GraduateForm(FlaskForm):
    graduated_on = DateField(_l("Graduated on"), validators=[InputRequired(REQUIRED)])


class EvaluationForm(FlaskForm):
    year = IntegerField(_l("Year evaluated"), validators=[
        InputRequired(REQUIRED), NumberRange(2000, 2100, message=_l(
            "Enter a year between 2000 and 2100."))])
    passed = SelectField(_l("Result"), choices=[("pass", _l("Passed")),
                                                ("fail", _l("Not passed"))],
                         validators=[DataRequired(REQUIRED)])
    score = StringField(_l("Score (0–100)"), validators=[DataRequired(REQUIRED)],
                        render_kw={"inputmode": "decimal"})
    evaluator = StringField(_l("Evaluator"), validators=[DataRequired(REQUIRED),
                                                         Length(max=200)])
    report = FileField(_l("Evaluation report (optional)"))


class RewardForm(FlaskForm):
    year = IntegerField(_l("Year rewarded"), validators=[
        InputRequired(REQUIRED), NumberRange(2000, 2100, message=_l(
            "Enter a year between 2000 and 2100."))])
    catalog_item_id = SelectField(_l("Paid from (budget line)"), coerce=int, default=0)
    amount = MoneyField(_l("Amount (yuan)"), validators=[InputRequired(REQUIRED)])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED),
                                                     Length(max=2000)])


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token."""


