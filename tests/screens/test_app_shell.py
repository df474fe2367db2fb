"""The app shell and the schedule screen, driven with the keyboard at 80x24."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from frontdesk.domain.errors import Unavailable
from frontdesk.services.catalog import Catalog
from frontdesk.services.desk import Desk
from frontdesk.services.schedule import Schedule
from frontdesk.views import DaySchedule, StaffView
from screens.app import FrontdeskApp
from screens.appointment import AppointmentScreen
from screens.schedule import ScheduleScreen
from screens.widgets import PickerModal
from tests.money import money
from tests.screens.conftest import (
    EMPTY_DAY,
    FOURTH_DAY,
    MARKUP_NAME,
    TODAY,
    TOMORROW,
    appointment_shown,
    day_shown,
)
from tests.waiting import wait_until

AppFactory = Callable[..., FrontdeskApp]
SIZE = (80, 24)

MARKUP_CUT = "[b]Bold[/b] [@click=app.qu…"  # Client gets 27 cells at 80 columns today
TODAY_ROWS = [
    ("09:30–10:15", "Alice Smith", "Cut & Blow-dry", "Anna", "Completed"),
    ("10:00–10:30", MARKUP_CUT, "Botox", "Ben", "Checked in"),
    ("11:00–11:30", "Maximiliana Bartholomew-Fe…", "Manicure", "Anna", "Booked"),
    ("14:00–14:30", "Dora Jones", "Manicure", "Ben", "Cancelled"),
]


def schedule(app: FrontdeskApp) -> ScheduleScreen:
    screen = app.screen
    assert isinstance(screen, ScheduleScreen), screen
    return screen


def table_rows(app: FrontdeskApp) -> list[tuple[str, ...]]:
    table = schedule(app).query_one("#schedule-table", DataTable)
    if not table.display:
        return []
    rows = []
    for index in range(table.row_count):
        cells = table.get_row_at(index)
        rows.append(tuple(c.plain if isinstance(c, Text) else str(c) for c in cells))
    return rows


def header_where(app: App[Any]) -> str:
    return str(app.screen.query_one("#header-where", Static).render())


async def opened(pilot: Pilot[int]) -> None:
    # The header is bound when the app answers the screen's Shown message, which can
    # come a moment after the table is filled (a desk made for someone opens as them).
    await wait_until(
        pilot,
        lambda: day_shown(pilot.app, TODAY) and bool(header_where(pilot.app)),
        what="today's schedule",
    )


def staff_listed(app: FrontdeskApp, count: int) -> bool:
    """The staff picker is on top listing `count` choices."""
    modal = app.screen
    return isinstance(modal, PickerModal) and modal.query_one(OptionList).option_count == count


def on_schedule(app: FrontdeskApp) -> bool:
    return isinstance(app.screen, ScheduleScreen)


def static_text(app: FrontdeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def title(app: FrontdeskApp) -> str:
    return static_text(app, "#schedule-title")


async def test_opens_on_todays_schedule_for_the_first_location(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        screen = schedule(app)
        assert screen.day == TODAY
        assert screen.location is not None and screen.location.name == "Marylebone"
        assert table_rows(app) == TODAY_ROWS
        assert title(app) == "Marylebone · Monday 23 November 2026 · 4 appointments"
        table = screen.query_one("#schedule-table", DataTable)
        assert table.has_focus and not table.loading


async def test_header_shows_business_location_terminal_and_clock(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert static_text(app, "#header-where") == "Hair & Glow · Marylebone · Anna · desk-1"
        assert static_text(app, "#header-clock") == "Mon 23 Nov 09:41"


async def test_next_and_previous_day_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("]")
        await wait_until(pilot, lambda: day_shown(app, TOMORROW), what="tomorrow's schedule")
        assert schedule(app).day == TOMORROW
        assert table_rows(app) == [
            ("12:00–12:45", "Dora Jones", "Cut & Blow-dry", "Anna", "Booked")
        ]
        assert title(app) == "Marylebone · Tuesday 24 November 2026 · 1 appointment"
        await pilot.press("[")
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule again")
        assert schedule(app).day == TODAY
        assert table_rows(app) == TODAY_ROWS
        # The other spellings of the same two actions, with the table focused.
        for key, expected in (("right", TOMORROW), ("left", TODAY), ("l", TOMORROW), ("h", TODAY)):
            await pilot.press(key)
            await wait_until(
                pilot, partial(day_shown, app, expected), what=f"{expected} after {key}"
            )
            assert schedule(app).day == expected, key


async def test_t_returns_to_today(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("[", "[", "[")
        await wait_until(
            pilot,
            lambda: day_shown(app, TODAY - dt.timedelta(days=3)),
            what="the schedule three days back",
        )
        assert schedule(app).day == TODAY - dt.timedelta(days=3)
        await pilot.press("t")
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule again")
        assert schedule(app).day == TODAY
        assert table_rows(app) == TODAY_ROWS


async def test_switching_location_changes_rows_and_header(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("L")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerModal), what="the locations")
        assert isinstance(app.screen, PickerModal)
        await pilot.press("down", "enter")
        await wait_until(
            pilot,
            lambda: title(app).startswith("Soho · ") and day_shown(app, TODAY),
            what="Soho's schedule",
        )
        assert table_rows(app) == [("15:00–15:30", "Alice Smith", "Manicure", "Cleo", "No-show")]
        assert title(app) == "Soho · Monday 23 November 2026 · 1 appointment"
        assert static_text(app, "#header-where") == "Hair & Glow · Soho · Anna · desk-1"
        assert schedule(app).query_one("#schedule-table", DataTable).has_focus
        # `o` is the other key; Esc leaves the location as it was.
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, PickerModal), what="the locations")
        assert isinstance(app.screen, PickerModal)
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: day_shown(app, TODAY), what="the schedule again, location unchanged"
        )
        assert title(app).startswith("Soho · ")


async def test_filter_by_staff_narrows_rows(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("f")
        # the list loads inside the already-open modal
        await wait_until(pilot, lambda: staff_listed(app, 3), what="the staff list in the picker")
        modal = app.screen
        assert isinstance(modal, PickerModal)
        options = modal.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["All staff", "Anna", "Ben"]
        await pilot.press("down", "down", "enter")
        await wait_until(
            pilot,
            lambda: "· Ben" in title(app) and day_shown(app, TODAY),
            what="Ben's appointments",
        )
        # Fewer rows, shorter names: the markup name now fits whole (and stays literal).
        assert [row[1] for row in table_rows(app)] == [MARKUP_NAME, "Dora Jones"]
        assert {row[3] for row in table_rows(app)} == {"Ben"}
        assert title(app) == "Marylebone · Monday 23 November 2026 · 2 appointments · Ben"
        await pilot.press("down", "enter")  # arrows still reach the table after the modal
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        assert isinstance(app.screen, AppointmentScreen)
        assert app.screen.view is not None and app.screen.view.client_name == "Dora Jones"
        await pilot.press("escape")
        await wait_until(pilot, partial(on_schedule, app), what="the schedule again")
        # Back to everyone.
        await pilot.press("f")
        await wait_until(pilot, lambda: staff_listed(app, 3), what="the staff list in the picker")
        await pilot.press("home", "enter")
        await wait_until(
            pilot,
            lambda: len(table_rows(app)) == len(TODAY_ROWS) and day_shown(app, TODAY),
            what="everyone's appointments again",
        )
        assert table_rows(app) == TODAY_ROWS


class SlowStaffCatalog(Catalog):
    """The staff list answers only when the test says so."""

    gate: asyncio.Event | None = None

    async def staff(self, location_id: int | None = None) -> tuple[StaffView, ...]:
        if SlowStaffCatalog.gate is not None:
            await SlowStaffCatalog.gate.wait()
        return await super().staff(location_id)


async def test_keys_typed_before_the_staff_list_arrives_stay_in_the_picker(
    make_app: AppFactory,
) -> None:
    SlowStaffCatalog.gate = asyncio.Event()
    app = make_app(areas={"catalog": SlowStaffCatalog})
    try:
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            # A fast typist: `f` then Enter at once must not open the appointment underneath.
            await pilot.press("f", "enter")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, PickerModal)
            options = modal.query_one(OptionList)
            assert str(options.get_option_at_index(0).prompt) == "Loading…"
            SlowStaffCatalog.gate.set()
            await wait_until(
                pilot, lambda: options.option_count == 3, what="the staff list in the picker"
            )
            assert app.screen is modal
            assert options.option_count == 3
            await pilot.press("escape")
            await wait_until(pilot, partial(on_schedule, app), what="the schedule again")
            assert isinstance(app.screen, ScheduleScreen)
            assert schedule(app).staff is None
    finally:
        SlowStaffCatalog.gate = None


async def test_empty_day_shows_a_clear_message(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("]", "]")
        await wait_until(pilot, lambda: day_shown(app, EMPTY_DAY), what="the empty day")
        screen = schedule(app)
        assert screen.day == EMPTY_DAY
        assert table_rows(app) == []
        empty = screen.query_one("#schedule-empty", Static)
        assert empty.display
        assert static_text(app, "#schedule-empty") == (
            "No appointments on Wednesday 25 November 2026."
        )
        assert title(app) == "Marylebone · Wednesday 25 November 2026 · 0 appointments"
        # Enter on an empty day does not crash or open anything.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen


async def test_markup_in_a_client_name_is_shown_literally(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:  # wide enough for the whole name
        await opened(pilot)
        table = schedule(app).query_one("#schedule-table", DataTable)
        cell = table.get_row_at(1)[1]
        assert isinstance(cell, Text)
        assert cell.plain == MARKUP_NAME
        assert not cell.spans and not cell.style  # no bold, no @click meta: plain text
        painted = [table.render_line(y).text for y in range(table.size.height)]
        assert any(MARKUP_NAME in line for line in painted), painted
        # Open it, click around its text: the app keeps running.
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        screen = app.screen
        assert isinstance(screen, AppointmentScreen)
        client_line = str(screen.query_one("#appt-client", Static).render())
        assert client_line.endswith(MARKUP_NAME)
        await pilot.click("#appt-client")
        await pilot.press("escape")
        await wait_until(pilot, partial(on_schedule, app), what="the schedule again")
        assert app.is_running
        assert app.return_value is None
        assert isinstance(app.screen, ScheduleScreen)


async def test_long_client_names_are_truncated_with_an_ellipsis(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        client = table_rows(app)[2][1]
        assert client.endswith("…")
        assert "Maximiliana Bartholomew-Featherstonehaugh".startswith(client[:-1])


async def test_enter_opens_the_appointment_with_its_addons(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        screen = app.screen
        assert isinstance(screen, AppointmentScreen)

        def line(widget_id: str) -> str:
            return " ".join(str(screen.query_one(widget_id, Static).render()).split())

        assert line("#appt-client") == f"Client {MARKUP_NAME}"
        assert line("#appt-service") == "Service Botox"
        assert line("#appt-staff") == "Staff Ben"
        assert line("#appt-status") == "Status Checked in"
        assert line("#appt-addons") == f"Botox — use 10 from bank, buy 5 ({money('20.00')})"
        await pilot.press("escape")
        await wait_until(pilot, partial(on_schedule, app), what="the schedule again")
        assert isinstance(app.screen, ScheduleScreen)


async def test_q_quits_with_exit_code_zero(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0
    assert app.return_code == 0


class GatedSchedule(Schedule):
    """Holds tomorrow's answer until released, so it arrives after a newer request."""

    gate: asyncio.Event | None = None

    async def day(self, location_id: int, day: dt.date, staff_id: int | None = None) -> DaySchedule:
        if day == TOMORROW and GatedSchedule.gate is not None:
            await GatedSchedule.gate.wait()
        return await super().day(location_id, day, staff_id)


async def test_rapid_day_changes_end_on_the_last_days_rows(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("]", "]", "]", "]")
        await wait_until(
            pilot, lambda: day_shown(app, FOURTH_DAY), what="the fourth day's schedule"
        )
        assert schedule(app).day == FOURTH_DAY
        assert table_rows(app) == [("16:30–17:00", "Alice Smith", "Botox", "Ben", "Booked")]
        assert title(app) == "Marylebone · Friday 27 November 2026 · 1 appointment"


async def test_a_late_answer_for_an_older_day_is_dropped(make_app: AppFactory) -> None:
    GatedSchedule.gate = asyncio.Event()
    app = make_app(areas={"schedule": GatedSchedule})
    try:
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("]")  # tomorrow: held at the gate
            await pilot.pause()
            await pilot.press("]")  # the empty day: answers at once
            await pilot.pause()
            GatedSchedule.gate.set()
            await wait_until(pilot, lambda: day_shown(app, EMPTY_DAY), what="the empty day")
            assert schedule(app).day == EMPTY_DAY
            assert table_rows(app) == []
            assert "Wednesday 25 November 2026" in static_text(app, "#schedule-empty")
    finally:
        GatedSchedule.gate = None


class NoStaffListCatalog(Catalog):
    async def staff(self, location_id: int | None = None) -> tuple[StaffView, ...]:
        raise AttributeError("staff_id")  # what a broken query looked like in the demo


async def test_staff_filter_survives_a_failing_staff_list(make_app: AppFactory) -> None:
    app = make_app(areas={"catalog": NoStaffListCatalog})
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("f")
        # the list loads inside the already-open modal
        await wait_until(pilot, lambda: staff_listed(app, 3), what="the staff list in the picker")
        modal = app.screen
        assert isinstance(modal, PickerModal)  # staff with appointments today instead
        options = modal.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["All staff", "Anna", "Ben"]
        assert [n.severity for n in app._notifications] == ["warning"]
        await pilot.press("down", "enter")
        await wait_until(
            pilot,
            lambda: "· Anna" in title(app) and day_shown(app, TODAY),
            what="Anna's appointments",
        )
        assert {row[3] for row in table_rows(app)} == {"Anna"}
        assert app.is_running


class BrokenSchedule(Schedule):
    async def day(self, location_id: int, day: dt.date, staff_id: int | None = None) -> DaySchedule:
        raise Unavailable("Database unavailable: disk I/O error")


async def test_service_errors_become_messages_not_tracebacks(make_app: AppFactory) -> None:
    app = make_app(areas={"schedule": BrokenSchedule})
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert app.is_running
        assert static_text(app, "#schedule-empty") == (
            "Could not load the schedule: Database unavailable: disk I/O error"
        )
        # A notification is a message the app handles after the schedule's own update.
        await wait_until(pilot, lambda: bool(app._notifications), what="the notification")
        assert [n.message for n in app._notifications] == ["Database unavailable: disk I/O error"]
        await pilot.press("]")
        await wait_until(pilot, lambda: day_shown(app, TOMORROW), what="tomorrow, or its error")
        assert app.is_running


async def test_command_palette_offers_the_schedule_actions(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in (
            "Today",
            "Next day",
            "Previous day",
            "Switch location",
            "Filter by staff",
            "Open appointment",
            "Walk-in ticket",
            "Open tickets",
            "Quit",
        ):
            assert expected in titles
        assert titles.count("Quit") == 1
        await pilot.press("ctrl+p")
        await wait_until(
            pilot, lambda: isinstance(app.screen, CommandPalette), what="the command palette"
        )
        await pilot.press(*"next day")
        await wait_until(pilot, lambda: offers(app, "Next day"), what="Next day in the palette")
        await pilot.press("enter")
        await wait_until(pilot, lambda: day_shown(app, TOMORROW), what="tomorrow's schedule")
        assert schedule(app).day == TOMORROW


def offers(app: FrontdeskApp, command: str) -> bool:
    found = app.screen.query_one(CommandList)
    return any(command in str(option.prompt) for option in found.options)


async def test_footer_lists_the_schedule_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        shown = {
            b.binding.id
            for b in app.screen.active_bindings.values()
            if b.binding.show and b.binding.id
        }
        assert {
            "schedule.prev_day",
            "schedule.next_day",
            "schedule.today",
            "schedule.location",
            "schedule.filter_staff",
            "schedule.open",
            "schedule.book",
            "schedule.search",
            "schedule.quit",
        } <= shown


async def test_every_footer_key_fits_beside_the_palette_at_80_columns(
    make_app: AppFactory,
) -> None:
    """A key that overflows hides under the docked ^p palette key (it happened: "q Qui")."""
    from textual.widgets._footer import FooterKey

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        palette = [k for k in keys if k.has_class("-command-palette")]
        assert len(palette) == 1
        others = [k for k in keys if k is not palette[0]]
        assert len(others) >= 8
        assert all(k.region.right <= palette[0].region.x for k in others), [
            (k.description, k.region) for k in others
        ]


async def test_a_database_that_cannot_open_is_a_message_and_q_still_quits() -> None:
    def cannot_open() -> Desk:
        raise Unavailable("Database unavailable: unable to open database file")

    app = FrontdeskApp(cannot_open, clock=lambda: dt.datetime(2026, 11, 23, 9, 41))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: "Press q to quit." in static_text(app, "#start-message"),
            what="the start screen's message",
        )
        message = static_text(app, "#start-message")
        assert message.startswith("Cannot open the front desk: Database unavailable")
        assert "Press q to quit." in message
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


class CountingSchedule(Schedule):
    days: ClassVar[list[dt.date]] = []

    async def day(self, location_id: int, day: dt.date, staff_id: int | None = None) -> DaySchedule:
        CountingSchedule.days.append(day)
        return await super().day(location_id, day, staff_id)


async def test_today_is_loaded_once_with_the_store_and_opens_with_its_rows(
    make_app: AppFactory,
) -> None:
    CountingSchedule.days = []
    app = make_app(areas={"schedule": CountingSchedule})
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert table_rows(app) == TODAY_ROWS
        assert CountingSchedule.days == [TODAY]  # no second load when the screen mounts
        await pilot.press("]")
        await wait_until(pilot, lambda: day_shown(app, TOMORROW), what="tomorrow's schedule")
        assert CountingSchedule.days == [TODAY, TOMORROW]
