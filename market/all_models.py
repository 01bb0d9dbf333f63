"""Import every model module so Alembic sees the whole schema."""
from __future__ import annotations

import ledger.models
from market.models import Base
from market.audit import models as _audit  # noqa: F401
from market.accounts import models as _accounts  # noqa: F401
from market.catalogs import models as _catalogs  # noqa: F401
from market.documents import models as _documents  # noqa: F401
from market.orgs import models as _orgs  # noqa: F401
from market.evaluations import models as _evaluations  # noqa: F401
from market.evaluations import agency_models as _eval_agencies  # noqa: F401
from market.evaluations import cycle_models as _eval_cycles  # noqa: F401
from market.tenders import models as _tenders  # noqa: F401
from market.tenders import evaluation_models as _evaluation  # noqa: F401
from market.contracts import models as _contracts  # noqa: F401
from market.evaluations import clearance as _clearance  # noqa: F401
from market.evaluations import performance as _performance  # noqa: F401

target_metadata = [Base.metadata, ledger.models.metadata]
