"""Booking: search as you type, pick service and staff, type a time, book."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import ClassVar

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from frontdesk.services.api import Frontdesk
from frontdesk.views import AppointmentView, ClientHit
from screens.booking import TIME_HINT, BookingScreen
from tests.screens.picker_fixtures import (
    DAY,
    SIZE,
    Clinic,
    HostApp,
    build_clinic_at,
    settle,
    text_of,
)
from tests.services.factories import make_client


def booking_app(url: str, clinic: Clinic, **options: object) -> HostApp:
    return HostApp(
        url,
        lambda services: BookingScreen(services, clinic.location_id, DAY),
        **options,  # type: ignore[arg-type]
    )


def booking(app: HostApp) -> BookingScreen:
    screen = app.screen
    assert isinstance(screen, BookingScreen), screen
    return screen


async def fill(
    pilot: Pilot[None], app: HostApp, clinic: Clinic, *, search: str, start: str
) -> None:
    """Type the search, take the first hit, choose service and staff, type the time."""
    await pilot.press(*search)
    await settle(pilot)
    await pilot.press("down", "enter")  # into the results, take the first
    await pilot.pause()
    app.screen.query_one("#service", Select).value = clinic.service_id
    app.screen.query_one("#staff", Select).value = clinic.staff_id
    start_box = app.screen.query_one("#start", Input)
    start_box.focus()
    await pilot.press(*start)
    await pilot.pause()


@pytest.fixture
async def clinic(sqlite_url: str) -> Clinic:
    clinic = await build_clinic_at(sqlite_url)
    desk = Frontdesk.open(sqlite_url, terminal="setup")
    try:
        await make_client(desk.ctx, first_name="Amy", last_name="Adams", phone="07700 900123")
        await make_client(desk.ctx, first_name="Zoe", last_name="Zhang")
    finally:
        await desk.close()
    return clinic


async def test_books_an_appointment(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill(pilot, app, clinic, search="zoe", start="14:30")
        assert text_of(app, "#client-chosen").startswith("✓ Zoe Zhang")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [view] = app.results
        assert isinstance(view, AppointmentView)
        assert (view.client_name, view.service_name, view.staff_name) == (
            "Zoe Zhang",
            "Botox — Anti-wrinkle",
            "Dr Kay",
        )
        assert view.starts_at == dt.datetime(2026, 11, 23, 14, 30)
        schedule = await app.services.day_schedule(clinic.location_id, DAY)
        assert len(schedule.appointments) == 2


async def test_double_booking_is_refused_at_the_start_time(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill(pilot, app, clinic, search="amy", start="10:15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.results == []
        assert text_of(app, "#start-error") == (
            "Dr Kay is already booked 23 Nov 10:00–10:30 with Ann Lee; "
            "pick another time or staff member"
        )
        assert app.focused is app.screen.query_one("#start")
        schedule = await app.services.day_schedule(clinic.location_id, DAY)
        assert len(schedule.appointments) == 1


@pytest.mark.parametrize("typed", ["2pm", "25:00", "14:3", "14;30"])
async def test_bad_time_gets_a_field_error(sqlite_url: str, clinic: Clinic, typed: str) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill(pilot, app, clinic, search="amy", start=typed)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.results == []
        assert text_of(app, "#start-error") == TIME_HINT
        # Typing again clears the error until the next attempt.
        await pilot.press("backspace")
        await pilot.pause()
        assert text_of(app, "#start-error") == ""


async def test_missing_choices_are_named(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert text_of(app, "#client-error").startswith("Choose a client")
        assert text_of(app, "#service-error") == "Choose a service"
        assert text_of(app, "#start-error") == TIME_HINT
        # One staff member at this location: chosen already.
        assert app.screen.query_one("#staff", Select).value == clinic.staff_id
        assert app.focused is app.screen.query_one("#client-search")


class SlowAmFrontdesk(Frontdesk):
    """Answers "am" only after "zo" has been answered: the stale answer arrives last."""

    zo_answered: ClassVar[asyncio.Event | None] = None
    queries: ClassVar[list[str]] = []

    async def search_clients(self, text: str, limit: int = 50) -> tuple[ClientHit, ...]:
        cls = type(self)
        if cls.zo_answered is None:
            cls.zo_answered = asyncio.Event()
        cls.queries.append(text)
        hits = await super().search_clients(text, limit)
        if text == "am":
            await cls.zo_answered.wait()
        elif text == "zo":
            cls.zo_answered.set()
        return hits


async def test_stale_search_results_never_replace_newer_ones(
    sqlite_url: str, clinic: Clinic
) -> None:
    SlowAmFrontdesk.zo_answered = None
    SlowAmFrontdesk.queries = []
    app = booking_app(sqlite_url, clinic, services_cls=SlowAmFrontdesk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "m")
        await pilot.pause()
        box = app.screen.query_one("#client-search", Input)
        box.value = ""
        await pilot.press("z", "o")
        await settle(pilot)
        assert "am" in SlowAmFrontdesk.queries and SlowAmFrontdesk.queries[-1] == "zo"
        screen = booking(app)
        assert screen.hits_for == "zo"
        assert [h.name for h in screen.hits] == ["Zoe Zhang"]
        results = app.screen.query_one("#client-results", OptionList)
        assert results.option_count == 1
        assert str(results.get_option_at_index(0).prompt).startswith("Zoe Zhang")


async def test_escape_books_nothing(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill(pilot, app, clinic, search="zoe", start="15:00")
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]
        schedule = await app.services.day_schedule(clinic.location_id, DAY)
        assert len(schedule.appointments) == 1
