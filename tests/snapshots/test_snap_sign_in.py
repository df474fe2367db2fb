"""Screenshots of sign-in at 80x24: the form with the staff list, and a refusal.

Update after an intended change with `pytest tests/snapshots --snapshot-update` and
look at the new SVGs before committing them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.app import FrontdeskApp
from screens.sign_in import SignInScreen
from tests.snapshots.snapshot_salon import NOW, TODAY, fill_salon
from tests.waiting import wait_until

SnapCompare = Callable[..., bool]
SIZE = (80, 24)


async def _pins(url: str) -> None:
    operator = Desk(ServiceContext.create(create_engine(url), terminal="cli", operator=True))
    try:
        for number, pin in ((1, "1111"), (2, "2222"), (3, "3333")):
            await operator.team.set_pin(number, pin)
    finally:
        await operator.close()


@pytest.fixture
def salon(sqlite_url: str) -> str:
    fill_salon(sqlite_url)
    asyncio.run(_pins(sqlite_url))
    return sqlite_url


def app_on(url: str) -> FrontdeskApp:
    return FrontdeskApp(lambda: Desk.open(url, terminal="desk-1"), clock=lambda: NOW, today=TODAY)


async def listed(pilot: Pilot[object]) -> None:
    def ready() -> bool:
        screen = pilot.app.screen
        if not isinstance(screen, SignInScreen):
            return False
        return screen.query_one(OptionList).option_count == 3

    await wait_until(pilot, ready, what="the sign-in staff list")


def test_sign_in(snap_compare: SnapCompare, salon: str) -> None:
    assert snap_compare(app_on(salon), terminal_size=SIZE, run_before=listed)


def test_sign_in_refused(snap_compare: SnapCompare, salon: str) -> None:
    async def wrong_pin(pilot: Pilot[object]) -> None:
        await listed(pilot)
        await pilot.press("2", "enter", *"9999", "enter")

        def refused() -> bool:
            message = pilot.app.screen.query_one("#sign-in-message", Static)
            return "do not match" in str(message.render())

        await wait_until(pilot, refused, what="the refusal")

    assert snap_compare(app_on(salon), terminal_size=SIZE, run_before=wrong_pin)
