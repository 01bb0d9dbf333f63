"""Tender, bid, question and calendar forms. Only shape is checked here; the rules are the
services' (their errors come back onto the field they name)."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (BooleanField, DateField, DateTimeLocalField, FieldList, Form, FormField,
                     IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from market import policy
from market.core.forms import MoneyField, YearBounds, whole_number
from market.catalogs.eligibility import category_label
from market.clock import LOCAL_TZ, to_local
from market.grading.labels import GRADE_CHOICES
from market.tenders.labels import PRIORITY_LABELS, PROCEDURE_LABELS
from market.tenders.models import Tender
from market.tenders.rules import PRICE_CRITERION_NAME, CriterionData, TenderData

REQUIRED = _l("This field is required.")
TECHNICAL_ROWS = 6
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CriterionRow(Form):
    name = StringField(_l("Technical criterion"), validators=[Optional(), Length(max=200)])
    weight = StringField(_l("Points"), validators=[Optional()],
                         render_kw={"inputmode": "decimal"})


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """A form's naive local time (Beijing) as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC)


class TenderForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    procedure = SelectField(_l("Procedure"))
    ceiling_price = MoneyField(_l("Ceiling price (yuan)"), validators=[InputRequired(REQUIRED)])
    eligible_categories = MultiCheckboxField(_l("Eligible organization categories"))
    min_grade = SelectField(_l("Minimum grade"), coerce=int, default=0)
    allow_filed = BooleanField(_l("Filed community organizations may bid"))
    accept_basic_pass_report = BooleanField(
        _l("Accept a previous-year annual inspection that was only basically passed"))
    priority_rule = SelectField(_l("3A+ priority"))
    priority_value = StringField(_l("Priority value (% deduction or bonus points)"),
                                 validators=[Optional()], render_kw={"inputmode": "decimal"})
    clarification_deadline = DateTimeLocalField(_l("Clarification deadline (Beijing time)"),
                                                format=DATETIME_FORMAT,
                                                validators=[InputRequired(REQUIRED), YearBounds()])
    bid_deadline = DateTimeLocalField(_l("Bid deadline (Beijing time)"), format=DATETIME_FORMAT,
                                      validators=[InputRequired(REQUIRED), YearBounds()])
    opening_time = DateTimeLocalField(_l("Opening time (Beijing time)"), format=DATETIME_FORMAT,
                                      validators=[InputRequired(REQUIRED), YearBounds()])
    standstill_days = IntegerField(_l("Standstill period (days)"),
                                   validators=[Optional(), whole_number()])
    challenge_window_days = IntegerField(_l("Challenge window (working days)"),
                                         validators=[Optional(), whole_number()])
    price_weight = StringField(_l("Price criterion (points)"), validators=[DataRequired(REQUIRED)],
                               render_kw={"inputmode": "decimal"})
    criteria = FieldList(FormField(CriterionRow), min_entries=TECHNICAL_ROWS,
                         max_entries=TECHNICAL_ROWS)
    final_evaluation_waiver = TextAreaField(
        _l("Pay the final tranche without a final performance evaluation, because"),
        validators=[Optional(), Length(max=2000)])
    reason = TextAreaField(_l("Reason for the change (published)"),
                           validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure.choices = [(k.value, v) for k, v in PROCEDURE_LABELS.items()]
        self.priority_rule.choices = [(k.value, v) for k, v in PRIORITY_LABELS.items()]
        # static/js/app.js raises the minimum grade when "restricted to 3A+" is chosen
        # (the service does the same, market/tenders/rules.py).
        self.priority_rule.render_kw = {"data-restricts-grade": policy.value("priority_grade")}
        cats = item.eligible_categories if item is not None else []
        self.eligible_categories.choices = [(c, category_label(c)) for c in cats]
        floor = item.min_grade if item is not None else 0
        self.min_grade.choices = [(g, label) for g, label in GRADE_CHOICES if g >= floor]

    def fill_from(self, tender: Tender) -> None:
        """Prefill from a stored tender (GET of the edit page)."""
        for name in ("title", "description", "allow_filed", "accept_basic_pass_report",
                     "standstill_days",
                     "challenge_window_days", "min_grade"):
            getattr(self, name).data = getattr(tender, name)
        self.final_evaluation_waiver.data = tender.final_evaluation_waiver or ""
        self.procedure.data = tender.procedure.value
        self.priority_rule.data = tender.priority_rule.value
        self.priority_value.data = f"{tender.priority_value.normalize():f}"
        self.ceiling_price.data = tender.ceiling_price
        self.eligible_categories.data = list(tender.eligible_categories)
        for name in ("clarification_deadline", "bid_deadline", "opening_time"):
            getattr(self, name).data = to_local(getattr(tender, name)).replace(tzinfo=None)
        price = tender.price_criterion
        self.price_weight.data = f"{price.weight.normalize():f}" if price else ""
        technical = [c for c in tender.criteria if not c.is_price]
        for row, c in zip(self.criteria.entries, technical, strict=False):
            row.form.name.data, row.form.weight.data = c.name, f"{c.weight.normalize():f}"

    def fill_from_item(self, item) -> None:
        self.title.data = item.title
        self.description.data = item.description
        self.eligible_categories.data = list(item.eligible_categories)
        self.min_grade.data = item.min_grade
        # a new tender starts at the largest price weight the policy allows (30)
        self.price_weight.data = f"{policy.value('tender_price_weight_max').normalize():f}"

    def tender_data(self) -> TenderData:
        criteria = [CriterionData(PRICE_CRITERION_NAME, self.price_weight.data, True)]
        criteria += [CriterionData(row.form.name.data or "", row.form.weight.data)
                     for row in self.criteria.entries
                     if (row.form.name.data or "").strip() or (row.form.weight.data or "").strip()]
        return TenderData(
            title=self.title.data, description=self.description.data or "",
            procedure=self.procedure.data, ceiling_price=self.ceiling_price.data,
            eligible_categories=self.eligible_categories.data or [],
            min_grade=self.min_grade.data, allow_filed=bool(self.allow_filed.data),
            accept_basic_pass_report=bool(self.accept_basic_pass_report.data),
            priority_rule=self.priority_rule.data, priority_value=self.priority_value.data,
            clarification_deadline=_local(self.clarification_deadline.data),
            bid_deadline=_local(self.bid_deadline.data),
            opening_time=_local(self.opening_time.data),
            standstill_days=self.standstill_days.data,
            challenge_window_days=self.challenge_window_days.data, criteria=criteria,
            final_evaluation_waiver=self.final_evaluation_waiver.data or "")


class BidForm(FlaskForm):
    price = MoneyField(_l("Price (yuan)"), validators=[InputRequired(REQUIRED)])
    proposal = TextAreaField(_l("Proposal"), validators=[DataRequired(REQUIRED)],
                             render_kw={"rows": 8})
    documents = MultipleFileField(_l("Attach documents (PDF, images, Word, Excel)"))
    remove_documents = MultiCheckboxField(_l("Remove attached documents"), coerce=int)


class QuestionForm(FlaskForm):
    question = TextAreaField(_l("Your question"), validators=[DataRequired(REQUIRED),
                                                              Length(max=4000)])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(REQUIRED), Length(max=4000)])
    affects_bids = BooleanField(_l("This answer can affect how bids are prepared: bidders "
                                   "must reconfirm, and the bid deadline moves if it is "
                                   "too close"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason.")),
                                                     Length(max=2000)])


class DocumentForm(FlaskForm):
    document = MultipleFileField(_l("Tender document"))
    reason = TextAreaField(_l("Reason for the change (published)"),
                           validators=[Optional(), Length(max=2000)])


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token."""


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(REQUIRED), YearBounds()])
    kind = SelectField(_l("Kind"))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=100)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("holiday", _l("Holiday (no work on a weekday)")),
                             ("workday", _l("Workday (work on a weekend)"))]
