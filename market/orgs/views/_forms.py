"""Registry forms' shared set-up. Submitting a form: market.core.forms.form_page."""
from __future__ import annotations

from flask_babel import get_locale

from market.db import get_session
from market.orgs import queries


def with_towns(form):
    form.set_towns(queries.towns(get_session()), str(get_locale()))
    return form
