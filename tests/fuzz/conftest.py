"""Hostile input: the full demo (tests/probes' ``showcase``) and logged-in clients."""
from __future__ import annotations

from tests.probes.conftest import showcase  # noqa: F401  (the fixture, shared)
