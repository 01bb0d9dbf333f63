from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DecimalField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from market.catalogs.eligibility import org_category_choices
from market.core.forms import MoneyField
from market.catalogs.labels import SERVICE_CATEGORY_LABELS
from market.grading.labels import GRADE_CHOICES

REQUIRED = _l("This field is required.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewCatalogForm(FlaskForm):
    fiscal_year = IntegerField(_l("Fiscal year"), validators=[
        InputRequired(REQUIRED),
        NumberRange(2000, 2100, message=_l("Enter a fiscal year between 2000 and 2100."))])


class ItemForm(FlaskForm):
    service_category = SelectField(_l("Service category"), validators=[DataRequired(REQUIRED)])
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    quantity = DecimalField(_l("Quantity"), places=2, validators=[
        InputRequired(REQUIRED),
        NumberRange(min=Decimal("0.01"), max=Decimal("9999999999.99"),
                    message=_l("The quantity must be a positive number below ten billion."))],
        render_kw={"inputmode": "decimal"})
    unit = StringField(_l("Unit"), validators=[DataRequired(REQUIRED), Length(max=40)])
    budget = MoneyField(_l("Budget (yuan)"), validators=[InputRequired(REQUIRED)])
    eligible_categories = MultiCheckboxField(_l("Eligible organization categories"),
                                             validators=[DataRequired(_l("Choose at least one eligible organization category."))])
    min_grade = SelectField(_l("Minimum grade"), coerce=int, default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_category.choices = [(k.value, v) for k, v in SERVICE_CATEGORY_LABELS.items()]
        self.eligible_categories.choices = org_category_choices()
        self.min_grade.choices = GRADE_CHOICES


class IntentionForm(FlaskForm):
    """采购意向 — the needs in brief and the expected month of purchase."""

    needs = TextAreaField(_l("Needs in brief"), validators=[DataRequired(REQUIRED),
                                                           Length(max=2000)])
    month = StringField(_l("Expected month of purchase (YYYY-MM)"),
                        validators=[DataRequired(REQUIRED), Length(max=7)],
                        render_kw={"placeholder": "2026-05", "inputmode": "numeric"})


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason.")), Length(max=2000)])


class AmendForm(FlaskForm):
    new_budget = MoneyField(_l("New budget (yuan)"), validators=[InputRequired(REQUIRED)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason.")), Length(max=2000)])


class CloseYearForm(FlaskForm):
    fiscal_year = IntegerField(_l("Fiscal year"), validators=[
        InputRequired(REQUIRED),
        NumberRange(2000, 2100, message=_l("Enter a fiscal year between 2000 and 2100."))])


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token."""
