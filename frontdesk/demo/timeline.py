"""When the demo salon lives: its time zone, opening hours and how far back history goes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

HISTORY_DAYS = 90

OPEN = dt.time(9, 0)
CLOSE = dt.time(18, 0)
SUNDAY_OPEN = dt.time(10, 0)
SUNDAY_CLOSE = dt.time(16, 0)

# Appointment wall-clock times are the location's (London); ledger times are UTC.
try:
    LOCAL_TZ: dt.tzinfo = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # pragma: no cover - tzdata missing on this machine
    LOCAL_TZ = dt.UTC


def utc(local: dt.datetime) -> dt.datetime:
    """A naive wall-clock time at the salon, as an aware UTC time."""
    return local.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC)
