"""The platform's clock: UTC inside, Asia/Shanghai on screen, replaceable in tests."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

_now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)  # noqa: E731


def now() -> dt.datetime:
    return _now()


def today_local() -> dt.date:
    return now().astimezone(LOCAL_TZ).date()


def set_clock(fn: Callable[[], dt.datetime] | None) -> None:
    """Tests travel in time with this; None restores the real clock."""
    global _now
    _now = fn or (lambda: dt.datetime.now(dt.timezone.utc))


def to_local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_TZ)
