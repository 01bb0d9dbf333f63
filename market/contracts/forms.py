"""Contract forms. The payment schedule is a fixed set of rows (``title-1``, ``percent-1``,
``due-1``, ``gated-1``, ...) parsed into MilestoneData; empty rows are ignored."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, TextAreaField
from wtforms.validators import Length, Optional

from market.contracts.services import MilestoneData

ROWS = 6


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token."""


class DeliverablesForm(FlaskForm):
    text = TextAreaField(_l("What was delivered"), validators=[Length(max=20000)])
    documents = MultipleFileField(_l("Documents (PDF, images, Word, Excel)"))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reasons (required to reject)"),
                           validators=[Optional(), Length(max=5000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Length(max=5000)])


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def schedule_rows(form) -> list[MilestoneData]:
    """The milestone rows of a submitted signing form."""
    rows = []
    for n in range(1, ROWS + 1):
        title, percent = form.get(f"title-{n}", ""), form.get(f"percent-{n}", "")
        if not title.strip() and not percent.strip():
            continue
        rows.append(MilestoneData(title, percent, _date(form.get(f"due-{n}", "")),
                                  form.get(f"gated-{n}") in ("y", "on", "1")))
    return rows
