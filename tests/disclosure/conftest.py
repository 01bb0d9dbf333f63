"""The full demo with the showcase (tests/probes' fixtures: ``showcase``, and ``world``
with its sealed probe bid), for the portal's pages and the public crawl."""
from tests.probes.conftest import showcase, world  # noqa: F401  (fixtures)
