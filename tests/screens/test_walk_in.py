"""A walk-in from the schedule: W asks for the client with the client search and opens a
ticket for them at the schedule's location; Esc in the search opens nothing."""

from __future__ import annotations

from frontdesk.db.tables import Ticket
from screens.schedule import ScheduleScreen
from screens.search import ClientSearchScreen
from screens.ticket import TicketScreen
from tests.screens.conftest import day_shown
from tests.screens.picker_fixtures import DAY, SIZE, build_clinic_at
from tests.screens.test_schedule_actions import make_app
from tests.screens.ticket_fixtures import (
    completed,
    count,
    payments,
    pick,
    shown,
    ticket,
    ticket_opened,
)
from tests.waiting import wait_until


async def test_w_finds_the_client_and_sells_on_a_ticket_at_this_location(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, owned=0, first_name="Amelia", last_name="Hart")
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("W")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the client search"
        )
        search = app.screen
        assert isinstance(search, ClientSearchScreen)
        await pilot.press(*"amel")
        await wait_until(pilot, lambda: search.hits_for == "amel", what="Amelia found")
        await pilot.press("enter")
        await ticket_opened(pilot)
        screen = ticket(app)
        assert (screen.client_id, screen.location_id) == (clinic.client_id, clinic.location_id)
        assert screen.lines.appointment_id is None  # a walk-in: no appointment
        assert shown(app, "#ticket-title").startswith("Ticket · Amelia Hart")
        await pilot.press("a")
        await pick(pilot, f"product-{clinic.botox_id}")
        await ticket_opened(pilot)
        await pilot.press("ctrl+s")
        await completed(pilot)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ScheduleScreen), what="back on the schedule"
        )
    assert len(await payments(sqlite_url)) == 1


async def test_esc_in_the_search_opens_no_ticket(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, owned=0)
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("W")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ClientSearchScreen), what="the client search"
        )
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ScheduleScreen), what="back on the schedule"
        )
        assert not any(isinstance(s, TicketScreen) for s in app.screen_stack)
    assert await count(sqlite_url, Ticket) == 0
