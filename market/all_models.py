"""Import every model module so Alembic sees the whole schema."""
from __future__ import annotations

import ledger.models
from market.models import Base
from market.auditlog import models as _auditlog  # noqa: F401
from market.accounts import models as _accounts  # noqa: F401
from market.catalogs import models as _catalogs  # noqa: F401
from market.documents import models as _documents  # noqa: F401
from market.orgs import models as _orgs  # noqa: F401
from market.grading import models as _grading  # noqa: F401
from market.experts import models as _experts  # noqa: F401
from market.grants import models as _grants  # noqa: F401
from market.grants import funding_models as _grant_funding  # noqa: F401
from market.tenders import models as _tenders  # noqa: F401
from market.tenders.scoring import models as _scoring  # noqa: F401
from market.contracts import models as _contracts  # noqa: F401
from market.performance import models as _performance  # noqa: F401
from market.incubation import models as _incubation  # noqa: F401
from market.complaints import models as _complaints  # noqa: F401
from market.redflags import models as _redflags  # noqa: F401
from market.credit import models as _credit  # noqa: F401
from market.dashboard import models as _dashboard  # noqa: F401
from market.auditor import models as _auditor  # noqa: F401

target_metadata = [Base.metadata, ledger.models.metadata]
