"""The declarative base every feature's models share (ledger/ keeps its own)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# One naming convention and one UTC datetime type for the whole database; the ledger
# package defines them because it must not import market.
from ledger.models import NAMING_CONVENTION
from ledger.types import UTCDateTime

__all__ = ["Base", "NAMING_CONVENTION", "UTCDateTime"]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}
