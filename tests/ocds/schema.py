"""The official OCDS 1.1.5 schema, read from its zip (app config ``OCDS_SCHEMA_ZIP``) into
a local ``referencing`` registry: every ``$ref`` (by the schemas' ids) resolves from the zip,
never the network."""
from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from market.config import default_config

SCHEMAS = ("release-schema.json", "release-package-schema.json",
           "record-package-schema.json", "versioned-release-validation-schema.json")


# RFC 3339 date-times checked here (jsonschema checks "date-time" only with an optional
# package installed): a full date, time and offset.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def zip_path(app=None) -> Path:
    return Path((app.config if app is not None else default_config())["OCDS_SCHEMA_ZIP"])


@cache
def _load(path: str) -> tuple[Registry, dict[str, dict]]:
    schemas = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            base = name.rsplit("/", 1)[-1]
            if "/schema/" in name and base in SCHEMAS:
                schemas[base] = json.loads(archive.read(name))
    missing = set(SCHEMAS) - set(schemas)
    assert not missing, f"{path} lacks {sorted(missing)}"
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in schemas.values())
    return registry, schemas


def validator(name: str, app=None) -> Draft4Validator:
    """A validator of the named schema (e.g. "release-package-schema.json"); the test is
    skipped, with the reason, when the zip is absent."""
    path = zip_path(app)
    if not path.exists():
        pytest.skip(f"the OCDS 1.1.5 schema zip is absent: {path} (OCDS_SCHEMA_ZIP)")
    registry, schemas = _load(str(path))
    return Draft4Validator(schemas[name], registry=registry,
                           format_checker=FORMATS)


def errors(name: str, document: dict, app=None) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(name, app).iter_errors(document)]
