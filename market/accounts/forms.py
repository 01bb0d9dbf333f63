from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

REQUIRED = _l("This field is required.")


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
        DataRequired(REQUIRED), Length(min=8, message=_l("At least 8 characters."))])
    confirm = PasswordField(_l("Repeat password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The passwords do not match."))])
