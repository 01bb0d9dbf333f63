"""Words for the roles, in the reader's language (``Role.label`` reads them).

Keyed by each role's value (a ``Role`` is the string it stands for), so that this module
needs nothing from ``permissions``, which imports it: the words never import the enum."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "civil_affairs": _l("Civil affairs bureau"),
    "town_officer": _l("Town filing officer"),
    "finance": _l("Finance bureau"),
    "department": _l("Purchasing department"),
    "organization": _l("Social organization"),
    "evaluator": _l("Third-party evaluator"),
    "expert": _l("Expert reviewer"),
    "auditor": _l("Auditor"),
}
