"""Screenshots of the Reports screen at 80x24: the day report, takings by hour and the
30-day chart (in 16 colours). Fixed data (below, not the screen tests') and
a fixed clock.

Update after an intended change with
`pytest tests/snapshots/test_snap_reports.py --snapshot-update` and look at the SVGs first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from screens.reports import ReportsScreen
from tests.screens.conftest import day_shown
from tests.screens.report_fixtures import Sale, fill_takings
from tests.snapshots.snapshot_salon import TODAY, fill_salon, make_app
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]
SIZE = (80, 24)
DAYS_AGO = [TODAY - dt.timedelta(days=n) for n in range(8)]
SALES: list[Sale] = [
    (1, 1, 1, TODAY, 9, "card", "55.00", "0", "55.00"),
    (2, 1, 2, TODAY, 10, "cash", "220.00", "20.00", "200.00"),
    (3, 1, 3, TODAY, 11, "card", "25.00", "0", "25.00"),
    (4, 1, 1, TODAY, 14, "other", "90.00", "0", "90.00"),
    (5, 1, 2, TODAY, 16, "card", "145.00", "0", "145.00"),
    *(
        (6 + n, 1, 1 + n % 3, day, 12, "card", f"{60 + 35 * (n % 4)}.00", "0", "0")
        for n, day in enumerate(DAYS_AGO[1:])
    ),
]


@pytest.fixture
def salon(sqlite_url: str) -> str:
    fill_salon(sqlite_url)
    asyncio.run(fill_takings(sqlite_url, sales=SALES))
    return sqlite_url


def showing(kind: str) -> Callable[[Pilot[object]], object]:
    async def run_before(pilot: Pilot[object]) -> None:
        app = pilot.app
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        await pilot.press("R")

        def loaded() -> bool:
            screen = app.screen
            return (
                isinstance(screen, ReportsScreen)
                and screen.kind == kind
                and screen.report is not None
                and not screen.query_one("#rp-table").loading
            )

        number = {"day": "1", "hours": "2", "days": "3"}[kind]
        await wait_until(pilot, lambda: isinstance(app.screen, ReportsScreen), what="reports")
        await pilot.press(number)
        await wait_until(pilot, loaded, what=f"the {kind} report")

    return run_before


def test_day_report(snap_compare: SnapCompare, salon: str) -> None:
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=showing("day"))


def test_takings_by_hour(snap_compare: SnapCompare, salon: str) -> None:
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=showing("hours"))


def test_takings_by_day_16_colours(
    snap_compare: SnapCompare, salon: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=showing("days"))
