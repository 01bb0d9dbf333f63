"""The performance room's forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional


class EvaluationForm(FlaskForm):
    passed = BooleanField(_l("The evaluation passed"))
    score = TextAreaField(_l("Score (0–100)"), validators=[Optional(), Length(max=10)])
