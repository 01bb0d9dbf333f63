"""When a request reached the platform (到达时间), from the reverse proxy's stamp.

A request can wait in gunicorn's queue for seconds when many arrive at once — as they do
in the last seconds before a bid deadline. A bid delivered before the deadline must be
accepted (政府采购: 投标截止时间前送达), so the bid services judge it by its arrival, not by
the moment a worker picked it up.

The arrival comes from a header the trusted proxy writes on every request, overwriting
whatever the client sent: ``REQUEST_START_HEADER`` (e.g. ``X-Request-Start``; None, the
default, reads no header at all, so a client can never choose its own time). Accepted
forms, with or without a leading ``t=``:

* seconds with a fraction — nginx ``"t=${msec}"`` (``t=1700000000.123``), or a plain float;
* whole microseconds, 16 digits — Apache ``RequestHeader set X-Request-Start "%t"``;
* whole milliseconds, 13 digits; whole seconds, 10 digits or fewer.

A stamp later than the platform's clock (a proxy clock slightly ahead) counts as now; one
older than ``REQUEST_START_MAX_AGE_SECONDS``, or one that cannot be read, is ignored with a
warning — the request is then timed by the clock, as if there were no stamp.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal

from flask import current_app, has_request_context, request

from market.clock import now

log = logging.getLogger(__name__)

# Bounded so that no header can make a huge number: 16 integer digits, 9 decimals at most.
_STAMP = re.compile(r"(?:t=)?([0-9]{1,16})(?:\.([0-9]{1,9}))?", re.ASCII)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# A proxy clock ahead of ours by more than this is worth a warning (it delays every bid).
_FUTURE_TOLERANCE = dt.timedelta(seconds=1)


def parse_request_start(value: str) -> dt.datetime | None:
    """The moment ``value`` names, as an aware UTC datetime; None if it is not a stamp."""
    found = _STAMP.fullmatch(value.strip())
    if found is None:
        return None
    whole, fraction = found.groups()
    if fraction is not None:
        micros = int(Decimal(f"{whole}.{fraction}") * 1_000_000)
    elif len(whole) == 16:
        micros = int(whole)  # Apache %t: microseconds
    elif len(whole) == 13:
        micros = int(whole) * 1000  # milliseconds
    elif len(whole) <= 10:
        micros = int(whole) * 1_000_000  # seconds
    else:
        return None
    try:
        return _EPOCH + dt.timedelta(microseconds=micros)
    except OverflowError:
        return None


def request_arrival() -> dt.datetime | None:
    """When the current request reached the platform by the proxy's stamp, or None (no
    setting, no header, or a stamp not to be trusted: then the caller's clock decides)."""
    if not has_request_context():
        return None
    name = current_app.config.get("REQUEST_START_HEADER")
    if not name:
        return None
    raw = request.headers.get(name)
    if raw is None:
        return None
    stamp = parse_request_start(raw)
    if stamp is None:
        log.warning("ignored an unreadable %s header: %r", name, raw[:60])
        return None
    clock = now()
    if stamp > clock:
        if stamp - clock > _FUTURE_TOLERANCE:
            log.warning("%s is %.3f s ahead of the platform's clock; taken as now "
                        "(is the proxy's clock synchronized?)", name,
                        (stamp - clock).total_seconds())
        return clock
    max_age = dt.timedelta(seconds=current_app.config["REQUEST_START_MAX_AGE_SECONDS"])
    if clock - stamp > max_age:
        log.warning("ignored a %s stamp %.0f s old (more than %s s)", name,
                    (clock - stamp).total_seconds(), max_age.total_seconds())
        return None
    return stamp
