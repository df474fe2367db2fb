"""The cash drawer's pure rules (docs/rules.md#cash-drawer, D1-D4)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.drawer import (
    DrawerEvent,
    DrawerState,
    DrawerTotals,
    check_can,
    check_close_note,
    closed_message,
    day_bounds,
    state_after,
)
from frontdesk.domain.errors import ValidationError

MINOR = st.integers(min_value=0, max_value=10**15)


@given(MINOR, st.integers(min_value=-(10**15), max_value=10**15), MINOR, MINOR)
def test_expected_is_float_plus_tenders_plus_cash_in_less_paid_out(
    float_minor: int, tenders: int, cash_in: int, paid_out: int
) -> None:
    totals = DrawerTotals(float_minor, tenders, cash_in, paid_out)
    assert totals.expected_minor == float_minor + tenders + cash_in - paid_out
    assert isinstance(totals.expected_minor, int)


def test_an_example_line_by_line() -> None:
    # 100.00 float, 90.00 kept from 100.00 tendered, a 45.00 sale refunded, 20.00 in,
    # 12.50 out: 197.50.
    totals = DrawerTotals(10000, 9000 + 4500 - 4500, 2000, 1250)
    assert totals.expected_minor == 19750


@pytest.mark.parametrize(
    ("events", "state"),
    [
        ([], DrawerState.NOT_OPENED),
        ([DrawerEvent.OPEN], DrawerState.OPEN),
        ([DrawerEvent.OPEN, DrawerEvent.CASH_IN, DrawerEvent.PAID_OUT], DrawerState.OPEN),
        ([DrawerEvent.OPEN, DrawerEvent.CLOSE], DrawerState.CLOSED),
        ([DrawerEvent.OPEN, DrawerEvent.CLOSE, DrawerEvent.REOPEN], DrawerState.OPEN),
        (
            [DrawerEvent.OPEN, DrawerEvent.CLOSE, DrawerEvent.REOPEN, DrawerEvent.CLOSE],
            DrawerState.CLOSED,
        ),
    ],
)
def test_state_after_the_events(events: list[DrawerEvent], state: DrawerState) -> None:
    assert state_after(events) is state


ALLOWED = {
    DrawerState.NOT_OPENED: {DrawerEvent.OPEN},
    DrawerState.OPEN: {DrawerEvent.CASH_IN, DrawerEvent.PAID_OUT, DrawerEvent.CLOSE},
    DrawerState.CLOSED: {DrawerEvent.REOPEN},
}


@pytest.mark.parametrize("state", list(DrawerState))
@pytest.mark.parametrize("event", list(DrawerEvent))
def test_what_each_state_allows(state: DrawerState, event: DrawerEvent) -> None:
    if event in ALLOWED[state]:
        check_can(event, state, "till-1")
        return
    with pytest.raises(ValidationError) as refused:
        check_can(event, state, "till-1")
    assert "till-1" in str(refused.value)
    if state is DrawerState.CLOSED and event is not DrawerEvent.OPEN:
        assert str(refused.value) == closed_message("till-1")


def test_a_difference_needs_a_note_and_a_balanced_close_does_not() -> None:
    check_close_note(0, "")
    check_close_note(-250, "Short")
    with pytest.raises(ValidationError) as refused:
        check_close_note(1, "")
    assert refused.value.field == "note"


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_the_business_day_is_a_utc_range_from_local_midnight(day: dt.date) -> None:
    start, end = day_bounds(day)
    assert start.tzinfo is dt.UTC and end.tzinfo is dt.UTC
    assert start < end
    assert start.astimezone().date() == day
    assert (end - dt.timedelta(microseconds=1)).astimezone().date() == day
