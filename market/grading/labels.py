"""Words for a grade (评估等级): ``3A``, and a minimum-grade requirement, ``3A or above``;
and why an organization is on the clearance list (清退).

The one grade label: pages (the ``grade_label`` Jinja filter and global, registered in
market/__init__.py), the qualified catalog's exports, audit texts and the catalog and
tender forms' minimum-grade choices all use it.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.grading.models import ClearanceReason

# A catalog item's or tender's minimum grade (0 = none required), as offered in forms.
MIN_GRADE_LABELS = {0: _l("No grade required"), 1: _l("1A or above"), 2: _l("2A or above"),
                    3: _l("3A or above"), 4: _l("4A or above"), 5: _l("5A")}
GRADE_CHOICES = list(MIN_GRADE_LABELS.items())


def grade_label(grade: int | None, *, at_least: bool = False) -> str:
    """``3A`` (``No grade`` for none); with ``at_least``, the requirement ``3A or above``
    (``5A`` for the top grade, ``No grade required`` for none)."""
    if at_least:
        return str(MIN_GRADE_LABELS.get(grade or 0, grade))
    return f"{grade}A" if grade else _("No grade")


# Why an organization is on the clearance list.
REASON_LABELS = {
    ClearanceReason.NEVER_EVALUATED: _l("Eligible for evaluation for three years and never "
                                        "evaluated"),
    ClearanceReason.LAPSED: _l("Grade expired or revoked, and not evaluated in the three "
                               "years since"),
    ClearanceReason.NO_GRADE: _l("Evaluated without reaching a grade"),
}
