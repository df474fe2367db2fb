"""Screenshots of the New Client form at 80x24: pre-filled from a search that found
nobody (full colour and 16 colours), and with a likely duplicate listed before saving.

Update after an intended change with
`pytest tests/snapshots/test_snap_new_client.py --snapshot-update` and look at the SVGs first.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from screens.new_client import NewClientScreen
from screens.profile import ClientProfileScreen
from screens.schedule import ScheduleScreen
from screens.search import ClientSearchScreen
from tests.screens.conftest import day_shown
from tests.snapshots.snapshot_salon import TODAY, fill_salon, make_app
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]
SIZE = (80, 24)


@pytest.fixture
def salon(sqlite_url: str) -> str:
    fill_salon(sqlite_url)
    return sqlite_url


async def new_client_form(pilot: Pilot[object], typed: str = "Zed Quinn") -> None:
    """From the schedule: `/`, a name nobody has, ctrl+n."""
    app = pilot.app
    await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
    await pilot.press("slash", *typed)

    def no_match() -> bool:
        screen = app.screen
        return isinstance(screen, ClientSearchScreen) and screen.hits_for == typed

    await wait_until(pilot, no_match, what=f"no match for {typed!r}")
    await pilot.press("ctrl+n")
    await wait_until(
        pilot, lambda: isinstance(app.screen, NewClientScreen), what="the New Client form"
    )


async def prefilled(pilot: Pilot[object]) -> None:
    await new_client_form(pilot)
    await pilot.press(*"07700 900777")
    await wait_until(
        pilot,
        lambda: pilot.app.screen.query_one("#nc-phone", Input).value == "07700 900777",
        what="the phone typed",
    )


def test_new_client_prefilled(snap_compare: SnapCompare, salon: str) -> None:
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=prefilled)


def test_new_client_16_colours(
    snap_compare: SnapCompare, salon: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=prefilled)


def test_new_client_likely_duplicate(snap_compare: SnapCompare, salon: str) -> None:
    async def duplicate_shown(pilot: Pilot[object]) -> None:
        app = pilot.app
        await prefilled(pilot)
        await pilot.press("enter")  # Zed Quinn saved
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientProfileScreen), what="Zed's profile"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="the schedule")
        await new_client_form(pilot, "Zee Quin")
        await pilot.press(*"07700 900777", "enter")  # the same phone: Zed?
        form = app.screen
        assert isinstance(form, NewClientScreen)
        await wait_until(pilot, lambda: bool(form.duplicates), what="the likely duplicate")

    assert snap_compare(make_app(salon), terminal_size=SIZE, run_before=duplicate_shown)
