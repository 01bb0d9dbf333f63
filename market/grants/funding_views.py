"""Pages of a round's decision and its grants (立项决定, 资助项目, 分期拨付)."""
from __future__ import annotations


def register() -> None:
    """The routes are added to the grants blueprint on import; nothing else to do."""
