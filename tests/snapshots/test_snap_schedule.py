"""Screenshots of the schedule at 80x24, in full colour and in 16 colours.

Update after an intended change with `pytest tests/snapshots --snapshot-update` and
look at the new SVGs before committing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.screens.conftest import appointment_shown, day_shown
from tests.snapshots.snapshot_salon import TODAY, fill_salon, make_app
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]
SIZE = (80, 24)


async def today_shown(pilot: Pilot[object]) -> None:
    await wait_until(pilot, lambda: day_shown(pilot.app, TODAY), what="today's schedule")


@pytest.fixture
def salon(sqlite_url: str) -> str:
    fill_salon(sqlite_url)
    return sqlite_url


def test_schedule_today(snap_compare: SnapCompare, salon: str) -> None:
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=today_shown)


def test_schedule_today_16_colours(
    snap_compare: SnapCompare, salon: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=today_shown)


def test_schedule_empty_day(snap_compare: SnapCompare, salon: str) -> None:
    async def next_day(pilot: Pilot[object]) -> None:
        await today_shown(pilot)
        await pilot.press("]")
        await wait_until(
            pilot, lambda: day_shown(pilot.app, TODAY + dt.timedelta(days=1)), what="tomorrow"
        )

    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=next_day)


def test_appointment_details(snap_compare: SnapCompare, salon: str) -> None:
    async def open_second(pilot: Pilot[object]) -> None:
        await today_shown(pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: appointment_shown(pilot.app), what="the appointment")

    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=open_second)
