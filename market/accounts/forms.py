from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

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
    # Asked only while the account (or the address) sees many failed logins.
    answer = StringField(_l("Your answer"), validators=[
        Optional(), Regexp(r"^\s*-?\d{1,4}\s*$", message=_l("Answer with a number."))])


CODE_MESSAGE = _l("Enter the 6-digit code from your authenticator app.")


class CodeForm(FlaskForm):
    """A one-time code: the second step of a login, confirming or turning off 2FA."""

    code = StringField(_l("Verification code"), validators=[
        DataRequired(CODE_MESSAGE), Regexp(r"^\s*\d{3}[\s-]?\d{3}\s*$", message=CODE_MESSAGE)])


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


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
