"""Issue 14, item 5: the schedule is fresh whenever it is shown, and its cursor stays put.

Coming back to the schedule reads the day again (what another screen of this terminal
booked, moved or cancelled is there), keeps the rows until the new ones arrive, and
leaves the cursor on the appointment it was on, by id, whatever came in above it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

from frontdesk.services.schedule import Schedule
from frontdesk.views import DaySchedule
from screens.app import FrontdeskApp
from screens.appointment import AppointmentScreen
from screens.profile import ClientProfileScreen
from screens.schedule import ScheduleScreen
from tests.screens.conftest import TODAY, TOMORROW, appointment_shown, day_shown
from tests.screens.picker_fixtures import booking_ready
from tests.screens.profile_fixtures import tab_ready
from tests.waiting import wait_until

AppFactory = Callable[..., FrontdeskApp]
SIZE = (80, 24)
MARYLEBONE, DORA, BEN, MANICURE = 1, 4, 2, 3
MAXIMILIANA_APPT, DORA_APPT = 3, 4  # today's third and fourth rows


def schedule(app: FrontdeskApp) -> ScheduleScreen:
    screen = app.screen
    assert isinstance(screen, ScheduleScreen), screen
    return screen


def table(app: FrontdeskApp) -> DataTable[object]:
    return schedule(app).query_one("#schedule-table", DataTable)


def cursor_on(app: FrontdeskApp) -> int | None:
    """The id of the appointment under the schedule's cursor."""
    appt = schedule(app).selected_appointment()
    return appt.id if appt is not None else None


def times(app: FrontdeskApp) -> list[str]:
    return [str(table(app).get_row_at(i)[0]) for i in range(table(app).row_count)]


def rows_shown(app: FrontdeskApp, count: int) -> bool:
    return day_shown(app, TODAY) and table(app).row_count == count


async def opened(pilot: Pilot[int], app: FrontdeskApp) -> None:
    await wait_until(pilot, lambda: rows_shown(app, 4), what="today's four rows")


async def book_dora_at(app: FrontdeskApp, hour: int) -> None:
    """A booking made on this terminal but not through the schedule."""
    await app.desk.appointments.book(
        client_id=DORA,
        service_id=MANICURE,
        staff_id=BEN,
        location_id=MARYLEBONE,
        starts_at=dt.datetime.combine(TODAY, dt.time(hour, 0)),
    )


async def test_enter_then_escape_keeps_the_cursor_on_the_same_appointment(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("down", "down")
        assert cursor_on(app) == MAXIMILIANA_APPT
        await pilot.press("enter")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        await pilot.press("escape")
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="the schedule again")
        assert cursor_on(app) == MAXIMILIANA_APPT
        assert table(app).cursor_row == 2
        assert app.focused is table(app)  # arrows still move the cursor
        await pilot.press("down")
        assert cursor_on(app) == DORA_APPT


async def test_a_booking_made_while_another_screen_is_on_top_shows_on_return(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        await book_dora_at(app, 8)  # above the cursor's row
        await pilot.press("escape")
        await wait_until(pilot, lambda: rows_shown(app, 5), what="the 08:00 booking")
        assert times(app)[0] == "08:00–08:30"
        assert "5 appointments" in str(schedule(app).query_one("#schedule-title", Static).render())
        # Same appointment, one row further down.
        assert cursor_on(app) == MAXIMILIANA_APPT
        assert table(app).cursor_row == 3


async def test_a_booking_from_a_profile_is_on_the_schedule_when_it_is_back(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("down", "down", "down", "enter")  # Dora's cancelled 14:00
        await wait_until(pilot, lambda: appointment_shown(app), what="Dora's appointment")
        await pilot.press("p")
        await wait_until(pilot, lambda: tab_ready(app, "overview"), what="Dora's profile")
        await pilot.press("k")
        await wait_until(pilot, lambda: booking_ready(app), what="booking for Dora")
        app.screen.query_one("#service", Select).value = MANICURE
        app.screen.query_one("#staff", Select).value = BEN
        app.screen.query_one("#start").focus()
        await pilot.press(*"08:00", "ctrl+s")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ClientProfileScreen),
            what="the profile after booking",
        )
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: isinstance(app.screen, AppointmentScreen), what="the appointment"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: rows_shown(app, 5), what="the booking on the schedule")
        assert times(app)[0] == "08:00–08:30"
        assert cursor_on(app) == DORA_APPT


async def test_t_on_today_reads_today_again(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("down")
        await book_dora_at(app, 16)
        await pilot.pause()
        assert table(app).row_count == 4  # nothing reads the day by itself
        await pilot.press("t")
        await wait_until(pilot, lambda: rows_shown(app, 5), what="the 16:00 booking")
        assert times(app)[-1] == "16:00–16:30"
        assert table(app).cursor_row == 1  # t on today is not a new day: cursor stays


async def test_a_cancel_from_the_appointment_screen_shows_on_return(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        await app.desk.appointments.cancel(MAXIMILIANA_APPT, "Client rang to cancel")
        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: day_shown(app, TODAY) and "Cancelled" in str(table(app).get_row_at(2)[-1]),
            what="the row cancelled",
        )
        assert cursor_on(app) == MAXIMILIANA_APPT


class HeldSchedule(Schedule):
    """Holds today's answer while `gate` is set: a slow read on return."""

    gate: asyncio.Event | None = None
    asked: int = 0

    async def day(self, location_id: int, day: dt.date, staff_id: int | None = None) -> DaySchedule:
        if day == TODAY and HeldSchedule.gate is not None:
            HeldSchedule.asked += 1
            await HeldSchedule.gate.wait()
        return await super().day(location_id, day, staff_id)


def held_app(make_app: AppFactory) -> FrontdeskApp:
    HeldSchedule.gate, HeldSchedule.asked = None, 0
    return make_app(areas={"schedule": HeldSchedule})


async def test_old_rows_stay_while_the_day_is_read_again(make_app: AppFactory) -> None:
    app = held_app(make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot, app)
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
            HeldSchedule.gate = asyncio.Event()
            await book_dora_at(app, 8)
            await pilot.press("escape")
            await wait_until(
                pilot, lambda: HeldSchedule.asked == 1, what="the day asked for", workers=False
            )
            # The answer is held: no empty table, no cover over it, the same cursor.
            assert isinstance(app.screen, ScheduleScreen)
            assert table(app).display and not table(app).loading
            assert table(app).row_count == 4
            assert cursor_on(app) == 2
            title = str(schedule(app).query_one("#schedule-title", Static).render())
            assert title.endswith("loading…")
            HeldSchedule.gate.set()
            await wait_until(pilot, lambda: rows_shown(app, 5), what="the new rows")
            assert cursor_on(app) == 2
    finally:
        HeldSchedule.gate = None


async def test_a_late_answer_on_return_never_replaces_a_newer_day(make_app: AppFactory) -> None:
    app = held_app(make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot, app)
            await pilot.press("enter")
            await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
            HeldSchedule.gate = asyncio.Event()
            await pilot.press("escape")
            await wait_until(
                pilot, lambda: HeldSchedule.asked == 1, what="today asked for", workers=False
            )
            await pilot.press("]")  # tomorrow answers at once
            await wait_until(pilot, lambda: day_shown(app, TOMORROW), what="tomorrow")
            HeldSchedule.gate.set()
            await pilot.pause()
            await wait_until(pilot, lambda: day_shown(app, TOMORROW), what="tomorrow still")
            assert [str(c) for c in table(app).get_row_at(0)[:2]] == ["12:00–12:45", "Dora Jones"]
            assert table(app).row_count == 1
    finally:
        HeldSchedule.gate = None
