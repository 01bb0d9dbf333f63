"""Forms of a round's decision and its grants: the funded list, the agreement, reports,
evaluations."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, FieldList, Form, FormField, HiddenField, SelectField, \
    StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from market.core.forms import MoneyField, YearBounds
from market.documents.storage import upload_from
from market.grants.funding import DecisionLine
from market.orgs.forms import options

REQUIRED = _l("This field is required.")
FUND, REJECT = "fund", "reject"


class DecisionRow(Form):
    """One screened application: fund it with an amount, or not with a reason."""

    application_id = HiddenField()
    decision = SelectField(_l("Decision"), choices=options([(FUND, _l("Fund")),
                                                            (REJECT, _l("Do not fund"))]))
    amount = MoneyField(_l("Amount granted (yuan)"), validators=[Optional()])
    reason = StringField(_l("Reason (required when not funded; the applicant sees it)"),
                         validators=[Optional(), Length(max=2000)])


class DecisionForm(FlaskForm):
    rows = FieldList(FormField(DecisionRow))

    def fill(self, applications) -> None:
        for application in applications:
            self.rows.append_entry({"application_id": str(application.id),
                                    "decision": FUND, "amount": application.requested})

    def lines(self) -> list[DecisionLine]:
        out = []
        for row in self.rows:
            try:
                app_id = int(row.application_id.data)
            except (TypeError, ValueError):
                app_id = 0
            funded = row.decision.data == FUND
            out.append(DecisionLine(app_id, funded, row.amount.data if funded else None,
                                    row.reason.data or ""))
        return out


class SignForm(FlaskForm):
    signed_on = DateField(_l("Date the grant agreement was signed"),
                          validators=[InputRequired(REQUIRED), YearBounds()])


class ReportForm(FlaskForm):
    text = TextAreaField(_l("Report"), validators=[InputRequired(REQUIRED),
                                                   Length(max=20000)])
    document = FileField(_l("Attachment (PDF, images, Word, Excel)"))

    def upload(self):
        return upload_from(self.document.data)


class AssignForm(FlaskForm):
    agency_id = SelectField(_l("Evaluator agency"), coerce=int)

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agency_id.choices = options([(a.id, a.name) for a in agencies])


class GrantEvaluationForm(FlaskForm):
    passed = SelectField(_l("Result"), choices=options([("pass", _l("Passed")),
                                                        ("fail", _l("Failed"))]))
    score = StringField(_l("Score (0–100)"), validators=[Optional(), Length(max=10)])
    report = TextAreaField(_l("Evaluation report"), validators=[Optional(),
                                                                Length(max=20000)])
    document = FileField(_l("Report file (PDF, images, Word, Excel)"))

    def upload(self):
        return upload_from(self.document.data)
