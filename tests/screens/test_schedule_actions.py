"""The schedule's own actions: open → add-ons, book, check in, cancel, no-show."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Select, Static

from frontdesk.domain.ledger import StoredValueKind
from frontdesk.services.desk import Desk
from screens.addon_picker import AddonPickerScreen
from screens.app import FrontdeskApp
from screens.appointment import AppointmentScreen
from screens.booking import BookingScreen
from screens.reason import ConfirmModal, ReasonModal
from screens.schedule import ScheduleScreen
from tests.screens.conftest import appointment_shown, day_shown
from tests.screens.picker_fixtures import (
    DAY,
    SIZE,
    Clinic,
    booking_ready,
    build_clinic_at,
    notes,
    picker_ready,
)
from tests.screens.profile_fixtures import tab_ready
from tests.waiting import wait_until

NOW = dt.datetime(2026, 11, 23, 9, 30)


def make_app(url: str, staff_id: int) -> FrontdeskApp:
    """The app on `url`, with `staff_id` signed in."""
    return FrontdeskApp(
        lambda: Desk.open(url, terminal="desk-1", staff_id=staff_id), clock=lambda: NOW, today=DAY
    )


def addons_shown(app: FrontdeskApp) -> bool:
    screen = app.screen
    return isinstance(screen, AppointmentScreen) and bool(screen.view and screen.view.addons)


def first_status(app: FrontdeskApp) -> str:
    """The status cell of the schedule's first row."""
    return str(app.screen.query_one("#schedule-table", DataTable).get_row_at(0)[-1])


def row_count(app: FrontdeskApp) -> int:
    return app.screen.query_one("#schedule-table", DataTable).row_count


async def units_owned(url: str, clinic: Clinic) -> int:
    fd = Desk.open(url, terminal="check")
    try:
        summary = await fd.clients.summary(clinic.client_id)
        return sum(b.units for b in summary.banked)
    finally:
        await fd.close()


async def ledger_entries(url: str, clinic: Clinic) -> int:
    fd = Desk.open(url, terminal="check")
    try:
        page = await fd.balances.history(clinic.client_id, StoredValueKind.PRODUCT_UNITS)
        return page.total
    finally:
        await fd.close()


async def test_keystrokes_from_schedule_to_use_10_and_buy_5(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, owned=10, default_units=15)
    app = make_app(sqlite_url, clinic.staff_id)
    keys = ["enter", "a", "ctrl+s"]
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        assert isinstance(app.screen, ScheduleScreen)
        await pilot.press(keys[0])
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        assert isinstance(app.screen, AppointmentScreen)
        await pilot.press(keys[1])
        await wait_until(pilot, lambda: picker_ready(app), what="the add-on picker")
        assert isinstance(app.screen, AddonPickerScreen)
        await pilot.press(keys[2])
        await wait_until(pilot, lambda: addons_shown(app), what="the appointment with its add-ons")
        assert isinstance(app.screen, AppointmentScreen)
        view = app.screen.view
        assert view is not None
        (line,) = view.addons
        assert (line.use_units, line.buy_units) == (10, 5)
    print(f"\nkeystrokes from the schedule (use 10 owned, buy 5): {len(keys)}")
    assert len(keys) <= 5
    assert await units_owned(sqlite_url, clinic) == 0


async def test_check_in_cancel_with_reason_and_no_show_from_the_row(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, owned=10, default_units=15)
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        # Use the units first, so cancelling has something to give back.
        await pilot.press("enter", "a")
        await wait_until(pilot, lambda: picker_ready(app), what="the add-on picker")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: addons_shown(app), what="the appointment with its add-ons")
        await pilot.press("escape")
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule again")
        assert await units_owned(sqlite_url, clinic) == 0
        await pilot.press("i")
        await wait_until(
            pilot, lambda: "Checked in" in first_status(app), what="the row checked in"
        )
        table = app.screen.query_one("#schedule-table", DataTable)
        assert "Checked in" in str(table.get_row_at(0)[-1])
        entries = await ledger_entries(sqlite_url, clinic)
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason")
        assert isinstance(app.screen, ReasonModal)
        prompt = str(app.screen.query_one("#ask-prompt", Static).render())
        assert prompt.startswith("Ann Lee · Botox"), prompt  # says which visit it cancels
        await pilot.press(*"Client unwell", "enter")
        await wait_until(pilot, lambda: "Cancelled" in first_status(app), what="the row cancelled")
        assert isinstance(app.screen, ScheduleScreen)
        assert "Cancelled" in str(table.get_row_at(0)[-1])
        assert await units_owned(sqlite_url, clinic) == 10  # returned by a reversal
        assert await ledger_entries(sqlite_url, clinic) == entries + 1
        assert any("10" in n and "Botox" in n for n in notes(app)), notes(app)
        # A cancelled visit can't be marked as a no-show: refused with a message.
        await pilot.press("N")
        await pilot.pause()
        if isinstance(app.screen, ConfirmModal):
            await pilot.press("y")
            await wait_until(
                pilot, lambda: "Cancelled" in first_status(app), what="the row still cancelled"
            )
        assert "Cancelled" in str(table.get_row_at(0)[-1])
        assert any("cancelled" in n.lower() for n in notes(app)), notes(app)


async def test_n_books_and_refuses_a_double_booking(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, owned=0, first_name="Amelia", last_name="Hart")
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("n")
        await wait_until(pilot, lambda: booking_ready(app), what="booking, loaded")
        booking = app.screen
        assert isinstance(booking, BookingScreen)
        chosen = booking.query_one("#client-chosen", Static)
        await pilot.press(*"amel")
        await wait_until(
            pilot, lambda: booking.hits_for == "amel", what="the clients matching amel"
        )
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: str(chosen.render()).startswith("✓"), what="a client")
        booking.query_one("#service", Select).value = clinic.service_id
        booking.query_one("#staff", Select).value = clinic.staff_id
        start = booking.query_one("#start", Input)
        start.value = "10:15"  # Dr Kay is busy 10:00-10:30 with Amelia already
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: "already booked" in str(booking.query_one("#start-error", Static).render()),
            what="the double booking refused",
        )
        assert app.screen is booking
        error = str(booking.query_one("#start-error", Static).render())
        assert "already booked" in error
        start.value = "14:30"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: day_shown(app, DAY) and row_count(app) == 2,
            what="the schedule with the new booking",
        )
        assert isinstance(app.screen, ScheduleScreen)
        assert app.screen.query_one("#schedule-table", DataTable).row_count == 2


async def test_p_on_an_appointment_opens_the_client_profile(sqlite_url: str) -> None:
    from screens.profile import ClientProfileScreen

    clinic = await build_clinic_at(sqlite_url, first_name="Amelia", last_name="Hart")
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("enter")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment")
        await pilot.press("p")
        await wait_until(pilot, lambda: tab_ready(app, "overview"), what="the client's profile")
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen)
        assert profile.client_id == clinic.client_id
        assert profile.location_id == clinic.location_id
        await pilot.press("escape")
        await wait_until(pilot, lambda: appointment_shown(app), what="the appointment again")
        assert isinstance(app.screen, AppointmentScreen)


async def test_slash_finds_a_client_from_anywhere(sqlite_url: str) -> None:
    from screens.profile import ClientProfileScreen
    from screens.search import ClientSearchScreen

    clinic = await build_clinic_at(sqlite_url, first_name="Amelia", last_name="Hart")
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("slash")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the client search"
        )
        assert isinstance(app.screen, ClientSearchScreen)
        await pilot.press(*"hart am")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ClientSearchScreen) and app.screen.hits_for == "hart am",
            what="the clients matching hart am",
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: tab_ready(app, "overview"), what="the client's profile")
        assert isinstance(app.screen, ClientProfileScreen)
        assert app.screen.client_id == clinic.client_id
