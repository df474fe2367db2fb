"""Renewal rules (frontdesk.domain.renewals): when a cycle is due, when a declined one is
tried again and when it has failed, when a Select choice lapses, the next cycle's start."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.renewals import (
    MAX_ATTEMPTS,
    RETRIES,
    CycleStatus,
    after_decline,
    charge_key,
    choice_expired,
    is_due,
    may_retry,
    next_cycle_start,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "cycle", "expected"),
    [
        (D(2026, 11, 23), "monthly", D(2026, 12, 23)),
        (D(2026, 12, 5), "monthly", D(2027, 1, 5)),
        (D(2026, 1, 31), "monthly", D(2026, 2, 28)),
        (D(2028, 1, 31), "monthly", D(2028, 2, 29)),
        (D(2026, 3, 31), "monthly", D(2026, 4, 30)),
        (D(2026, 11, 30), "quarterly", D(2027, 2, 28)),
        (D(2028, 2, 29), "annual", D(2029, 2, 28)),
        (D(2026, 5, 1), "weekly?", D(2026, 6, 1)),  # unknown: monthly, as plans were
    ],
)
def test_next_cycle_start(start: dt.date, cycle: str, expected: dt.date) -> None:
    assert next_cycle_start(start, cycle) == expected


def test_a_cycle_keeps_the_membership_anchor_day_after_a_short_month() -> None:
    feb = next_cycle_start(D(2026, 1, 31), "monthly", 31)
    assert feb == D(2026, 2, 28)
    assert next_cycle_start(feb, "monthly", 31) == D(2026, 3, 31)
    assert next_cycle_start(D(2026, 4, 30), "monthly", 31) == D(2026, 5, 31)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_a_monthly_cycle_is_28_to_31_days_and_keeps_the_day_when_it_can(day: dt.date) -> None:
    nxt = next_cycle_start(day, "monthly")
    assert 28 <= (nxt - day).days <= 31
    assert nxt.day == day.day or (day.day > 28 and nxt.day < day.day)


def test_only_active_memberships_whose_cycle_started_are_due() -> None:
    on = D(2026, 11, 23)
    assert is_due("active", on, on) and is_due("active", D(2026, 11, 1), on)
    assert not is_due("active", D(2026, 11, 24), on)
    assert not is_due("paused", on, on) and not is_due("cancelled", on, on)
    assert not is_due("active", None, on)


def test_first_attempt_plus_three_retries_one_per_date() -> None:
    assert (RETRIES, MAX_ATTEMPTS) == (3, 4)
    on = D(2026, 11, 24)
    assert may_retry(CycleStatus.DECLINED, 1, D(2026, 11, 23), on)
    assert not may_retry(CycleStatus.DECLINED, 1, on, on)  # already tried today
    assert not may_retry(CycleStatus.DECLINED, MAX_ATTEMPTS, D(2026, 11, 1), on)
    assert not may_retry(CycleStatus.FAILED, 2, D(2026, 11, 1), on)
    assert not may_retry(CycleStatus.PAID, 1, D(2026, 11, 1), on)
    assert [after_decline(n) for n in range(1, MAX_ATTEMPTS + 1)] == [
        CycleStatus.DECLINED,
        CycleStatus.DECLINED,
        CycleStatus.DECLINED,
        CycleStatus.FAILED,
    ]


def test_a_choice_lapses_when_the_next_cycle_starts() -> None:
    end = D(2026, 12, 23)
    assert not choice_expired(end, D(2026, 12, 22))
    assert choice_expired(end, end) and choice_expired(end, D(2027, 1, 1))
    assert not choice_expired(None, end)


def test_the_charge_key_names_membership_cycle_and_attempt_and_fits_a_ticket_key() -> None:
    key = charge_key(123456789, D(2026, 11, 23), MAX_ATTEMPTS)
    assert key == "renewal:m123456789:2026-11-23:a4"
    assert len(key) <= 64
    assert charge_key(1, D(2026, 11, 23), 1) != charge_key(1, D(2026, 11, 23), 2)
