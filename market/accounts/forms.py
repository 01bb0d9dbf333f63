from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from market import policy

REQUIRED = _l("This field is required.")


def long_enough(form, field) -> None:
    """The password length the policy asks (password_min_length), read when validating."""
    minimum = policy.value("password_min_length")
    if field.data and len(field.data) < minimum:
        raise ValidationError(_l("The password must have at least %(n)s characters.", n=minimum))


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(REQUIRED), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Remember me on this device"))


class SignupForm(FlaskForm):
    """An organization's account, made before it applies to register or file."""

    username = StringField(_l("Username"), validators=[
        DataRequired(REQUIRED), Length(min=3, max=64, message=_l("Between 3 and 64 characters."))])
    display_name = StringField(_l("Contact name"), validators=[DataRequired(REQUIRED), Length(max=100)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(REQUIRED), long_enough])
    confirm = PasswordField(_l("Repeat password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match."))])
