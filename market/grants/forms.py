"""Forms of venture philanthropy: the round (with its small form builder), and the
application form, built for each round from the round's questions (``application_form``)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateTimeLocalField, DecimalField, FieldList, Form,
                     FormField, IntegerField, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import (AnyOf, InputRequired, Length, NumberRange, Optional,
                                StopValidation)
from wtforms.widgets import CheckboxInput, ListWidget

from market.catalogs.eligibility import org_category_choices
from market.clock import LOCAL_TZ
from market.core.forms import ExplicitChoiceField, MoneyField, whole_number
from market.documents.storage import upload_from
from market.grading.labels import GRADE_CHOICES
from market.grants import services
from market.experts.labels import specialty_choices
from market.grants.labels import PRIORITY_MODE, SCREENING_REASON
from market.grants.review import CriterionScore
from market.grants.models import GrantApplication, GrantRound, QuestionKind

REQUIRED = _l("This field is required.")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
BUDGET_ROWS = 6


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A form's naive local time (Beijing) as an aware UTC datetime."""
    return None if value is None else value.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC)


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(LOCAL_TZ).replace(tzinfo=None)


class RoundForm(FlaskForm):
    title = StringField(_l("Title of the round"), validators=[InputRequired(REQUIRED),
                                                             Length(max=200)])
    description = TextAreaField(_l("Purpose and rules"), validators=[Optional(),
                                                                     Length(max=5000)])
    item_id = SelectField(_l("Funded from catalog item"), coerce=int)
    pool = MoneyField(_l("Pool (yuan)"), validators=[InputRequired(REQUIRED)])
    cap = MoneyField(_l("Cap per project (yuan)"), validators=[InputRequired(REQUIRED)])
    min_self_share = DecimalField(_l("Minimum self-raised share of the project budget (%)"),
                                  places=2, validators=[InputRequired(REQUIRED)])
    eligible_categories = MultiCheckboxField(_l("Eligible categories"))
    min_grade = SelectField(_l("Minimum grade"), coerce=int, default=0)
    priority_mode = SelectField(_l("Priority for 3A+ organizations"))
    priority_value = DecimalField(_l("Priority value (points, or % of the pool)"), places=2,
                                  validators=[InputRequired(REQUIRED)])
    startups_without_grade = BooleanField(_l("Start-up organizations (registered less than "
                                             "three years) may apply without a grade"))
    allow_multiple = BooleanField(_l("An organization may submit more than one application"))
    opens_at = DateTimeLocalField(_l("Applications open (Beijing time)"),
                                  format=DATETIME_FORMAT, validators=[InputRequired(REQUIRED)])
    closes_at = DateTimeLocalField(_l("Applications close (Beijing time)"),
                                   format=DATETIME_FORMAT, validators=[InputRequired(REQUIRED)])
    reviewers_per_application = IntegerField(_l("Reviewers per application"),
                                             validators=[InputRequired(REQUIRED),
                                                         whole_number(1, 15)])
    criteria = TextAreaField(_l("Review criteria, one a line: “criterion | weight” "
                                "(weights add up to 100)"),
                             validators=[InputRequired(REQUIRED), Length(max=5000)])
    questions = TextAreaField(_l("Extra questions, one a line: “kind | question | choices "
                                 "separated by ; | required or optional”; kinds: text, "
                                 "number, choice, file"),
                              validators=[Optional(), Length(max=10000)])
    tranche_signing = IntegerField(_l("Tranche on signing (%)"),
                                   validators=[InputRequired(REQUIRED), whole_number(0, 100)])
    tranche_midterm = IntegerField(_l("Tranche after a passing mid-term evaluation (%)"),
                                   validators=[InputRequired(REQUIRED), whole_number(0, 100)])
    tranche_final = IntegerField(_l("Tranche after a passing final evaluation (%)"),
                                 validators=[InputRequired(REQUIRED), whole_number(0, 100)])
    reporting_dates = TextAreaField(_l("Reporting dates (such as 2027-06-30, one a line)"),
                                    validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_id.choices = [(i.id, f"{i.catalog.fiscal_year} · {i.code} · {i.title}")
                                for i in items]
        self.eligible_categories.choices = org_category_choices()
        self.min_grade.choices = GRADE_CHOICES
        self.priority_mode.choices = [(k.value, v) for k, v in PRIORITY_MODE.items()]

    def fill_defaults(self) -> None:
        for key, value in services.round_defaults().items():
            getattr(self, key).data = value

    def fill_from(self, grant_round: GrantRound) -> None:
        for key in ("title", "description", "item_id", "pool", "cap", "min_self_share",
                    "eligible_categories", "min_grade", "priority_value",
                    "startups_without_grade", "allow_multiple", "reviewers_per_application"):
            getattr(self, key).data = getattr(grant_round, key)
        self.priority_mode.data = grant_round.priority_mode.value
        self.opens_at.data = _local(grant_round.opens_at)
        self.closes_at.data = _local(grant_round.closes_at)
        self.criteria.data = services.criteria_text(grant_round.criteria)
        self.questions.data = services.questions_text(grant_round.questions)
        percents = {t["stage"]: t["percent"] for t in grant_round.tranches}
        self.tranche_signing.data = percents.get("signing")
        self.tranche_midterm.data = percents.get("midterm")
        self.tranche_final.data = percents.get("final")
        self.reporting_dates.data = "\n".join(grant_round.reporting_dates)

    def round_data(self) -> services.RoundData:
        """The round as the services take it; the text lists are parsed here (a refusal
        names its field)."""
        return services.RoundData(
            title=self.title.data, description=self.description.data or "",
            item_id=self.item_id.data, pool=self.pool.data, cap=self.cap.data,
            min_self_share=self.min_self_share.data,
            eligible_categories=list(self.eligible_categories.data or []),
            min_grade=self.min_grade.data, priority_mode=self.priority_mode.data,
            priority_value=self.priority_value.data,
            startups_without_grade=bool(self.startups_without_grade.data),
            allow_multiple=bool(self.allow_multiple.data),
            opens_at=_utc(self.opens_at.data), closes_at=_utc(self.closes_at.data),
            reviewers_per_application=self.reviewers_per_application.data,
            criteria=services.parse_criteria(self.criteria.data),
            questions=services.parse_questions(self.questions.data),
            tranches=[{"stage": "signing", "percent": self.tranche_signing.data},
                      {"stage": "midterm", "percent": self.tranche_midterm.data},
                      {"stage": "final", "percent": self.tranche_final.data}],
            reporting_dates=services.parse_dates(self.reporting_dates.data))


class BudgetLineRow(Form):
    item = StringField(_l("Budget item"), validators=[Optional(), Length(max=200)])
    amount = MoneyField(_l("Amount (yuan)"), validators=[Optional()])


class ApplicationForm(FlaskForm):
    """The fields every application has; ``application_form`` adds the round's questions."""

    title = StringField(_l("Project title"), validators=[InputRequired(REQUIRED),
                                                         Length(max=200)])
    summary = TextAreaField(_l("Summary of the project"),
                            validators=[InputRequired(REQUIRED), Length(max=5000)])
    beneficiaries = TextAreaField(_l("Beneficiaries (who)"),
                                  validators=[InputRequired(REQUIRED), Length(max=2000)])
    beneficiary_count = IntegerField(_l("Number of beneficiaries"),
                                     validators=[InputRequired(REQUIRED),
                                                 whole_number(1, 10_000_000)])
    town_id = SelectField(_l("Town where the project runs"), coerce=int)
    budget_lines = FieldList(FormField(BudgetLineRow), min_entries=BUDGET_ROWS,
                             max_entries=30)
    requested = MoneyField(_l("Amount requested (yuan)"), validators=[InputRequired(REQUIRED)])
    self_raised = MoneyField(_l("Self-raised funds (yuan)"), allow_zero=True,
                             validators=[InputRequired(REQUIRED)])
    self_raised_source = TextAreaField(_l("Source of the self-raised funds"),
                                       validators=[InputRequired(REQUIRED), Length(max=2000)])
    timeline = TextAreaField(_l("Timeline"), validators=[InputRequired(REQUIRED),
                                                         Length(max=5000)])

    question_keys: tuple[str, ...] = ()

    def __init__(self, *args, towns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.town_id.choices = list(towns)

    def question_fields(self):
        return [getattr(self, key) for key in self.question_keys]

    def fill_from(self, application: GrantApplication) -> None:
        for key in ("title", "summary", "beneficiaries", "beneficiary_count", "town_id",
                    "requested", "self_raised", "self_raised_source", "timeline"):
            getattr(self, key).data = getattr(application, key)
        for row, (item, amount) in zip(self.budget_lines.entries, application.lines, strict=False):
            row.form.item.data = item
            row.form.amount.data = amount
        for key in self.question_keys:
            value = (application.answers or {}).get(key)
            field = getattr(self, key)
            if field.type != "FileField" and value is not None:
                field.data = Decimal(value) if field.type == "DecimalField" else value

    def application_data(self) -> services.ApplicationData:
        answers, uploads = {}, {}
        for key in self.question_keys:
            field = getattr(self, key)
            if field.type == "FileField":
                uploads[key] = upload_from(field.data) if field.data else None
            else:
                answers[key] = field.data if field.data not in ("",) else None
        return services.ApplicationData(
            title=self.title.data, summary=self.summary.data,
            beneficiaries=self.beneficiaries.data,
            beneficiary_count=self.beneficiary_count.data, town_id=self.town_id.data,
            budget_lines=[{"item": row.form.item.data, "amount": row.form.amount.data}
                          for row in self.budget_lines.entries],
            requested=self.requested.data, self_raised=self.self_raised.data,
            self_raised_source=self.self_raised_source.data, timeline=self.timeline.data,
            answers=answers, uploads=uploads)


class FileAnswerRequired:
    """A required file question: a file now, unless one was attached before."""

    def __init__(self, attached: bool):
        self.attached = attached

    def __call__(self, form, field):
        if not field.data and not self.attached:
            raise StopValidation(str(_l("Attach a file.")))


def _question_field(question: dict, attached: bool):
    label, required = question["label"], question["required"]
    need = [InputRequired(REQUIRED)] if required else [Optional()]
    kind = question["kind"]
    if kind == QuestionKind.TEXT:
        return TextAreaField(label, validators=[*need, Length(max=2000)])
    if kind == QuestionKind.NUMBER:
        return DecimalField(label, places=None, validators=[
            *need, NumberRange(min=0, max=10**12, message=_l("Enter a number from 0 to "
                                                             "%(max)s.", max=10**12))],
            render_kw={"inputmode": "decimal"})
    if kind == QuestionKind.CHOICE:
        options = question["options"]
        return SelectField(label, choices=[("", "—"), *[(o, o) for o in options]],
                           validators=[*need, AnyOf(options, message=_l(
                               "Choose one of the choices given."))], default="")
    return FileField(label, validators=[FileAnswerRequired(attached)] if required else [])


def application_form(grant_round: GrantRound, application: GrantApplication | None = None):
    """An ``ApplicationForm`` subclass with one field per question of ``grant_round``:
    text (a text area), number (a decimal ≥ 0), choice (one of the round's choices) and
    file (an attachment; a required one may keep the file attached before)."""
    answers = application.answers if application is not None else {}
    fields = {q["key"]: _question_field(q, bool(answers.get(q["key"])))
              for q in grant_round.questions}
    return type("RoundApplicationForm", (ApplicationForm,),
                {**fields, "question_keys": tuple(fields)})


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token."""



# --- screening and review ----------------------------------------------------------------

class ScreeningForm(FlaskForm):
    """资格审查 — civil affairs' outcome for one application."""

    outcome = SelectField(_l("Outcome"), choices=[("eligible", _l("Passes screening")),
                                                  ("ineligible", _l("Does not pass"))],
                          validators=[InputRequired(REQUIRED)])
    reason = SelectField(_l("Reason"), validators=[InputRequired(REQUIRED)])
    note = TextAreaField(_l("Explanation for the applicant"),
                         validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [(code.value, label) for code, label in SCREENING_REASON.items()]


class ReviewerDrawForm(FlaskForm):
    specialty = SelectField(_l("Reviewers' specialty"), validators=[InputRequired(REQUIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.specialty.choices = specialty_choices()


class DeclarationForm(FlaskForm):
    """利益冲突声明 — made once, before the reviewer sees the application."""

    conflict = ExplicitChoiceField(_l("Declaration"), choices=[
        ("no", _l("I have no conflict of interest with this applicant or project")),
        ("yes", _l("I have a conflict of interest"))],
        message=_l("Choose your declaration: no conflict of interest, or a conflict."))
    note = TextAreaField(_l("What the conflict is (if any)"),
                         validators=[Optional(), Length(max=2000)])


class CriterionScoreForm(Form):
    score = IntegerField(_l("Score (0–100)"), validators=[Optional(), NumberRange(0, 100)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])


class ScoreForm(FlaskForm):
    criteria = FieldList(FormField(CriterionScoreForm), min_entries=1)
    save = SubmitField(_l("Save the scores"))
    submit_scores = SubmitField(_l("Submit the scores (final)"))

    def fill(self, grant_round: GrantRound, scores: list[dict]) -> None:
        while len(self.criteria) < len(grant_round.criteria):
            self.criteria.append_entry()
        for entry, saved in zip(self.criteria, scores or [], strict=False):
            entry.form.score.data = saved.get("score")
            entry.form.comment.data = saved.get("comment")

    def scores(self) -> list[CriterionScore]:
        return [CriterionScore(entry.form.score.data, entry.form.comment.data or "")
                for entry in self.criteria]
