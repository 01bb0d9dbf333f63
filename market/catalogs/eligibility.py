"""Which organizations a catalog item is meant for: categories and a minimum grade."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.orgs.enums import Category

GRADE_CHOICES = [(0, _l("No grade required")), (1, _l("1A or above")), (2, _l("2A or above")),
                 (3, _l("3A or above")), (4, _l("4A or above")), (5, _l("5A"))]


def org_category_values() -> list[str]:
    return [c.value for c in Category]


def org_category_choices():
    return Category.choices()


def category_label(value: str) -> str:
    try:
        return Category(value).label
    except ValueError:
        return value


def grade_label(min_grade: int) -> str:
    return str(dict(GRADE_CHOICES).get(min_grade, min_grade))
