"""Screenshots of the schedule at 80x24, in full colour and in 16 colours.

Update after an intended change with `pytest tests/snapshots --snapshot-update` and
look at the new SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.snapshots.snapshot_salon import fill_salon, make_app

SnapCompare = Callable[..., bool]
SIZE = (80, 24)


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every worker (startup, then the day's load) has finished."""
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return
    raise AssertionError("workers never finished")


@pytest.fixture
def salon(sqlite_url: str) -> str:
    fill_salon(sqlite_url)
    return sqlite_url


def test_schedule_today(snap_compare: SnapCompare, salon: str) -> None:
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=settle)


def test_schedule_today_16_colours(
    snap_compare: SnapCompare, salon: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=settle)


def test_schedule_empty_day(snap_compare: SnapCompare, salon: str) -> None:
    async def next_day(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("]")
        await settle(pilot)

    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=next_day)


def test_appointment_details(snap_compare: SnapCompare, salon: str) -> None:
    async def open_second(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)

    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=open_second)
