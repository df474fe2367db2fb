"""Sign-in typed before the database is open (issue 19): the app draws sign-in first
and opens and checks the database in its start worker. What is typed meanwhile goes
into the fields as usual; the PIN's Enter is held, said to be checking, and sent once
the desk is there. A start check that fails ends the app with the failure kept for
the CLI's one line."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Input, Static

from frontdesk.domain.errors import Unavailable
from frontdesk.services.desk import Desk
from screens.app import FrontdeskApp
from screens.schedule import ScheduleScreen
from screens.sign_in import SignInScreen
from screens.start import EXIT_START_FAILED
from tests.screens.conftest import NOW, TERMINAL, TODAY
from tests.screens.test_sign_in_screen import People, app_on, people, sign_in, signed_in_as
from tests.waiting import wait_until

__all__ = ["people"]  # the fixture, shared
SIZE = (80, 24)


async def test_a_sign_in_typed_before_the_database_is_open_is_sent_once_it_is(
    people: People,
) -> None:
    opened = asyncio.Event()
    checked: list[Desk] = []

    async def check(desk: Desk) -> None:  # the CLI's schema check, held until the test says
        checked.append(desk)
        await opened.wait()

    app = FrontdeskApp(
        lambda: Desk.open(people.url, terminal=TERMINAL),
        clock=lambda: NOW,
        today=TODAY,
        check=check,
    )
    async with app.run_test(size=SIZE) as pilot:
        # The start worker waits on the check: only the messages are waited for.
        await wait_until(
            pilot, lambda: isinstance(app.screen, SignInScreen), what="sign-in", workers=False
        )
        screen = app.screen
        assert isinstance(screen, SignInScreen) and screen.desk is None
        await pilot.press(*str(people.desk), "enter", *"2468", "enter")
        await wait_until(pilot, lambda: screen.busy, what="the Enter taken", workers=False)
        assert screen.query_one("#sign-in-who", Input).value == str(people.desk)
        assert screen.query_one("#sign-in-pin", Input).value == "2468"
        said = str(screen.query_one("#sign-in-message", Static).render())
        assert said == "Checking…"
        assert app.member is None and app.screen is screen
        assert checked == [app._desk]  # on the desk's own engine, before it is read
        opened.set()
        await signed_in_as(pilot, people.desk)
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="schedule")


async def test_a_start_check_that_fails_ends_the_app_with_its_error(people: People) -> None:
    async def check(desk: Desk) -> None:
        raise Unavailable("the database is from a newer frontdesk")

    app = FrontdeskApp(
        lambda: Desk.open(people.url, terminal=TERMINAL), clock=lambda: NOW, check=check
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: not app.is_running, what="the app to end")
    assert app.return_code == EXIT_START_FAILED
    assert isinstance(app.start_error, Unavailable)


async def test_the_schedule_opens_with_its_rows_after_a_sign_in(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The day is read once the PIN is checked, before the schedule is made: its first
    # frame has the rows, not a loading table and then a second read (issue 19).
    read_by_the_screen: list[object] = []
    monkeypatch.setattr(ScheduleScreen, "load_day", lambda *a: read_by_the_screen.append(a))
    app = app_on(people.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, people.desk, "2468")
        await signed_in_as(pilot, people.desk)
        await wait_until(pilot, lambda: isinstance(app.screen, ScheduleScreen), what="schedule")
        screen = app.screen
        assert isinstance(screen, ScheduleScreen)
        assert screen.schedule is not None and screen.schedule.day == TODAY
        assert not screen.query_one("#schedule-table", DataTable).loading
        assert read_by_the_screen == []
