"""The store's business day: local midnight to local midnight (docs/rules.md, D1 and Z1).

The store has no time-zone setting, so "local" is the desk's own clock, the machine's
time zone, as `local_today` names the day; `tz` gives another zone (tests, a report run
for a shop elsewhere). A day across a clock change is 23 or 25 hours. One rule for the
cash drawer, the day report, the takings chart, the ledger reports and commissions.
"""

from __future__ import annotations

import datetime as dt


def business_day(day: dt.date, tz: dt.tzinfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The UTC moments the store's `day` starts and ends (end excluded)."""
    return day_start(day, tz), day_start(day + dt.timedelta(days=1), tz)


def day_start(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    """Local midnight opening `day`, in UTC (`tz` None: this machine's zone)."""
    midnight = dt.datetime.combine(day, dt.time())
    local = midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()
    return local.astimezone(dt.UTC)
