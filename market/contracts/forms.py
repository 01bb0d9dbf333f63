"""Contract forms. The payment schedule is a fixed set of rows (``title-1``, ``percent-1``,
``due-1``, ``gated-1``, ...) parsed into MilestoneData; empty rows are ignored."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FileField, MultipleFileField, PasswordField, RadioField,
                     TextAreaField)
from wtforms.validators import Length, Optional

from market.contracts.labels import FAULT_LABELS
from market.contracts.services import ContractTerms, MilestoneData

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


class TerminateForm(ReasonForm):
    """终止合同: the reason, and whose fault it was (the organization's goes into its credit
    record)."""

    fault = RadioField(_l("Whose fault"), choices=[(f.value, label)
                                                   for f, label in FAULT_LABELS.items()],
                       validators=[Optional()])


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


class AcceptForm(FlaskForm):
    """签章确认 — the organization's acceptance: a checkbox and the password again."""

    confirm = BooleanField(_l("I have read this contract and accept it on behalf of the "
                              "organization"))
    password = PasswordField(_l("Your password (to confirm)"))


class VerifyForm(FlaskForm):
    file = FileField(_l("A copy of the contract PDF"))


TERM_FIELDS = ("service_content", "service_quantity", "quality_standard", "evaluation_method",
               "liabilities", "term_start", "term_end", "long_term_reason")


def contract_terms(form, default: ContractTerms) -> ContractTerms:
    """The written contract's terms of a submitted signing form; a field the form leaves
    out keeps its default (a blank one is left blank, and refused)."""
    def text(name: str) -> str:
        return form.get(name, getattr(default, name)) or ""

    def day(name: str):
        return _date(form[name]) if name in form else getattr(default, name)

    return ContractTerms(
        service_content=text("service_content"), service_quantity=text("service_quantity"),
        quality_standard=text("quality_standard"), evaluation_method=text("evaluation_method"),
        liabilities=text("liabilities"), term_start=day("term_start"), term_end=day("term_end"),
        long_term=form.get("long_term") in ("y", "on", "1"),
        long_term_reason=form.get("long_term_reason", ""))
