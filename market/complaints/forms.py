"""Forms of the complaint pages. The filing form resists scripts without a third party:
CSRF (Flask-WTF), a honeypot field people never see, and a signed time the form was
served — sent back sooner than the set minimum, it is refused."""
from __future__ import annotations

import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import (BooleanField, HiddenField, IntegerField, MultipleFileField, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from market import policy
from market.complaints.labels import OUTCOME_LABELS, SUBJECT_LABELS
from market.core.forms import whole_number

REQUIRED = _l("This field is required.")
TOKEN_SALT = "complaint-form-served"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=TOKEN_SALT)


def form_token(served_at: float | None = None) -> str:
    """The signed moment the form was served (real time, like the login throttle: the
    platform's clock is moved by demos and tests)."""
    return _serializer().dumps(int(time.time() if served_at is None else served_at))


def filled_too_fast(token: str | None) -> bool | None:
    """True when the form came back sooner than the minimum; None when the token is
    missing or forged."""
    try:
        served_at = _serializer().loads(token or "")
    except BadSignature:
        return None
    if not isinstance(served_at, int):
        return None
    return time.time() - served_at < policy.value("complaint_min_fill_seconds")


class FileComplaintForm(FlaskForm):
    subject_kind = SelectField(_l("The complaint is about"),
                               choices=[(k.value, v) for k, v in SUBJECT_LABELS.items()],
                               validators=[DataRequired(REQUIRED)])
    subject_id = IntegerField(
        _l("Its number (shown on its public page)"),
        validators=[InputRequired(REQUIRED), whole_number(1)])
    text = TextAreaField(_l("What happened"), validators=[DataRequired(REQUIRED)])
    attachments = MultipleFileField(_l("Evidence (PDF, images, Word, Excel; optional)"))
    anonymous = BooleanField(_l("File anonymously (no name or phone kept)"), default=True)
    contact_name = StringField(_l("Your name"), validators=[Optional(), Length(max=100)])
    contact_phone = StringField(_l("Your phone"), validators=[Optional(), Length(max=40)])
    # Honeypot: hidden from people by the stylesheet, filled in by form-filling scripts.
    website = StringField(_l("Leave this field empty"))
    served = HiddenField()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.website.data:
            self.form_errors.append(str(_l("This complaint could not be accepted. Please "
                                           "reload the form and try again.")))
            return False
        too_fast = filled_too_fast(self.served.data)
        if too_fast is None:
            self.form_errors.append(str(_l("The form has expired or was altered. Please "
                                           "reload it and try again.")))
            return False
        if too_fast:
            self.form_errors.append(str(_l(
                "The form was sent too quickly after it was opened. Please read it through "
                "and send it again.")))
            return False
        return ok


class TrackForm(FlaskForm):
    code = StringField(_l("Tracking code"), validators=[DataRequired(REQUIRED),
                                                        Length(max=40)])


class RouteForm(FlaskForm):
    department_id = SelectField(_l("Responsible department"), coerce=int, default=0)


class DismissForm(FlaskForm):
    reason = TextAreaField(_l("Reason (out of scope because ...)"),
                           validators=[DataRequired(REQUIRED)])


class RespondForm(FlaskForm):
    outcome = SelectField(_l("Outcome"),
                          choices=[(k.value, v) for k, v in OUTCOME_LABELS.items()],
                          validators=[DataRequired(REQUIRED)])
    finding = TextAreaField(_l("Written finding (published)"),
                            validators=[DataRequired(REQUIRED)])
