"""Forms of the expert pool's pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, \
    TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from market.experts.labels import specialty_choices


class ExpertForm(FlaskForm):
    user_id = SelectField(_l("User account"), coerce=int, validators=[InputRequired()])
    specialties = SelectMultipleField(_l("Specialties"))  # the service says "at least one"
    title = StringField(_l("Professional title"), validators=[Optional(), Length(max=100)])
    employer_name = StringField(_l("Employer"), validators=[Optional(), Length(max=200)])
    employer_org_id = SelectField(_l("Employer is a registered organization"), coerce=int)
    employer_department_id = SelectField(_l("Employer is a government department"),
                                         coerce=int)
    active = BooleanField(_l("In the pool (may be drawn)"), default=True)

    def __init__(self, *args, users=(), organizations=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.specialties.choices = specialty_choices()
        self.user_id.choices = [(u.id, f"{u.display_name} ({u.username})") for u in users]
        none = [(0, "—")]
        self.employer_org_id.choices = none + [(o.id, o.name) for o in organizations]
        self.employer_department_id.choices = none + [(d.id, d.name_zh) for d in departments]


class UnavailableForm(FlaskForm):
    starts_on = DateField(_l("Unavailable from"), validators=[InputRequired()])
    ends_on = DateField(_l("Unavailable until (included)"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])


class ConflictForm(FlaskForm):
    organization_id = SelectField(_l("Organization"), coerce=int)
    note = TextAreaField(_l("The conflict of interest"),
                         validators=[InputRequired(), Length(max=2000)])

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id.choices = [(o.id, o.name) for o in organizations]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    specialty = SelectField(_l("Specialty"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.specialty.choices = [("", _l("All specialties")), *specialty_choices()]
