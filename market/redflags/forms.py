"""The form of the red-flags pages: a review note."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from market.redflags.services import NOTE_MAX


class ReviewForm(FlaskForm):
    note = TextAreaField(_l("Review note"), validators=[
        DataRequired(_l("Write a note on what you checked.")),
        Length(max=NOTE_MAX, message=_l("The note is too long (at most %(max)d characters)."))])
