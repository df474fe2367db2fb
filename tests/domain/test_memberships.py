"""Membership renewal dates: one billing cycle on, on the anchor day (docs/rules.md#memberships)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.memberships import add_months, first_renewal, resumed_renewal
from frontdesk.domain.plans import BillingCycle

M, Q, Y = BillingCycle.MONTHLY, BillingCycle.QUARTERLY, BillingCycle.ANNUAL
d = dt.date


def test_first_renewal_is_one_billing_cycle_on() -> None:
    assert first_renewal(d(2026, 11, 29), M) == d(2026, 12, 29)
    assert first_renewal(d(2026, 11, 29), Q) == d(2027, 2, 28)  # February is short
    assert first_renewal(d(2026, 12, 15), Y) == d(2027, 12, 15)
    assert first_renewal(d(2024, 2, 29), Y) == d(2025, 2, 28)


def test_a_short_month_does_not_pull_later_dates_earlier() -> None:
    assert [add_months(d(2026, 1, 31), n, 31) for n in (1, 2, 3)] == [
        d(2026, 2, 28),
        d(2026, 3, 31),
        d(2026, 4, 30),
    ]


def test_resume_keeps_a_renewal_still_ahead() -> None:
    start, due = d(2026, 1, 5), d(2026, 12, 5)
    assert resumed_renewal(start, due, M, d(2026, 11, 20)) == due
    assert resumed_renewal(start, due, M, due) == due  # due today: today's run charges it


def test_resume_after_the_renewal_passed_moves_to_the_next_anchor_date() -> None:
    start = d(2026, 1, 31)
    # Paused with 28 Feb to come; resumed 10 May: the next date on the 31st-anchor is 31 May.
    assert resumed_renewal(start, d(2026, 2, 28), M, d(2026, 5, 10)) == d(2026, 5, 31)
    # Resumed on an anchor date itself: that day (today's run charges it).
    assert resumed_renewal(start, d(2026, 2, 28), M, d(2026, 4, 30)) == d(2026, 4, 30)
    # Quarterly from 15 Jan: 15 Apr, 15 Jul, 15 Oct. Resumed 16 Jul: 15 Oct.
    assert resumed_renewal(d(2026, 1, 15), d(2026, 4, 15), Q, d(2026, 7, 16)) == d(2026, 10, 15)
    assert resumed_renewal(d(2026, 1, 15), None, Y, d(2028, 1, 14)) == d(2028, 1, 15)


@given(
    start=st.dates(d(2000, 1, 1), d(2090, 1, 1)),
    paused_for=st.integers(1, 2000),
    cycle=st.sampled_from(list(BillingCycle)),
)
def test_resumed_renewal_is_the_first_cycle_date_on_or_after_today(
    start: dt.date, paused_for: int, cycle: BillingCycle
) -> None:
    due = first_renewal(start, cycle)
    today = due + dt.timedelta(days=paused_for)
    got = resumed_renewal(start, due, cycle, today)
    dates = [add_months(start, n * {M: 1, Q: 3, Y: 12}[cycle], start.day) for n in range(1, 400)]
    assert got == min(x for x in dates if x >= today)
