"""Words for the catalog room's states and service categories, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.catalogs.models import CatalogStatus, ServiceCategory

CATALOG_STATUS_LABELS = {
    CatalogStatus.DRAFT: _l("Draft"),
    CatalogStatus.SUBMITTED: _l("Submitted to finance"),
    CatalogStatus.RETURNED: _l("Returned for changes"),
    CatalogStatus.APPROVED: _l("Approved by finance"),
}

SERVICE_CATEGORY_LABELS = {
    ServiceCategory.ELDERLY: _l("Elderly care"),
    ServiceCategory.DISABILITY: _l("Disability support"),
    ServiceCategory.CHILDREN_YOUTH: _l("Children and youth"),
    ServiceCategory.COMMUNITY: _l("Community governance and services"),
    ServiceCategory.HEALTH: _l("Health"),
    ServiceCategory.EDUCATION: _l("Education and training"),
    ServiceCategory.EMPLOYMENT: _l("Employment support"),
    ServiceCategory.LEGAL_AID: _l("Legal aid and mediation"),
    ServiceCategory.CULTURE_SPORTS: _l("Culture and sports"),
    ServiceCategory.EVALUATION: _l("Third-party evaluation"),
    ServiceCategory.OTHER: _l("Other services"),
}
