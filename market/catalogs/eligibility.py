"""Which organizations a catalog item is meant for: categories and a minimum grade."""
from __future__ import annotations

from market.orgs.enums import Category

# The minimum-grade words and choices: market/grading/labels.py.


def org_category_values() -> list[str]:
    return [c.value for c in Category]


def org_category_choices():
    return Category.choices()


def category_label(value: str) -> str:
    try:
        return Category(value).label
    except ValueError:
        return value
