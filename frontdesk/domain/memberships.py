"""Membership dates and states: pure rules, no I/O (docs/rules.md#memberships).

A membership renews every billing cycle on its anchor day: the day of the month it
started on, or the month's last day when the month is shorter (started 31 January,
monthly: 28 February, 31 March, 30 April, ...). Each renewal date is counted from the
start, never from the previous renewal, so a short month never pulls later dates
earlier.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum
from typing import Final

from frontdesk.domain.plans import BillingCycle


class MembershipStatus(StrEnum):
    """Renewals charge only "active"; "paused" and "cancelled" get nothing (no credits,
    no member discount). Cancelled is final: a client who wants it back joins again."""

    ACTIVE = "active"
    PAUSED = "paused"
    CANCELLED = "cancelled"


# A client has at most one membership that is not cancelled (a second one is refused at
# the sale: the plan is changed on the profile instead).
CURRENT: Final = frozenset({MembershipStatus.ACTIVE, MembershipStatus.PAUSED})

CYCLE_MONTHS: Final[dict[BillingCycle, int]] = {
    BillingCycle.MONTHLY: 1,
    BillingCycle.QUARTERLY: 3,
    BillingCycle.ANNUAL: 12,
}

# How a price per cycle reads: "£79.00 / month".
CYCLE_WORD: Final[dict[BillingCycle, str]] = {
    BillingCycle.MONTHLY: "month",
    BillingCycle.QUARTERLY: "quarter",
    BillingCycle.ANNUAL: "year",
}


def add_months(day: dt.date, months: int, anchor_day: int) -> dt.date:
    """`months` after `day`'s month, on `anchor_day` or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(anchor_day, last))


def first_renewal(started_on: dt.date, cycle: BillingCycle) -> dt.date:
    """A new membership's first renewal: one billing cycle after it started."""
    return add_months(started_on, CYCLE_MONTHS[cycle], started_on.day)


def resumed_renewal(
    started_on: dt.date, next_renewal: dt.date | None, cycle: BillingCycle, today: dt.date
) -> dt.date:
    """The next renewal of a membership resumed `today`.

    If its next renewal is still today or later, it stays. If it passed while the
    membership was paused, the next renewal becomes the first renewal date on or after
    today, counting whole cycles from the start (the anchor day is kept), so the cycles
    missed while paused are skipped, never charged late, and a renewal due today is
    charged by today's run.
    """
    if next_renewal is not None and next_renewal >= today:
        return next_renewal
    step = CYCLE_MONTHS[cycle]
    elapsed = (today.year - started_on.year) * 12 + today.month - started_on.month
    cycles = max(elapsed // step, 1)
    due = add_months(started_on, cycles * step, started_on.day)
    while due < today:
        cycles += 1
        due = add_months(started_on, cycles * step, started_on.day)
    return due
