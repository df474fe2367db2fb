"""New client: added from the client search when nobody matches (then their profile or
their walk-in ticket opens) and from the booking's client step (the booking carries on
with them); a likely duplicate is shown before saving and can be opened instead; and a
walk-in is added and booked in at most 15 keys plus what is typed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment, Client
from screens.booking import BookingScreen
from screens.new_client import NewClientScreen
from screens.profile import ClientProfileScreen
from screens.schedule import ScheduleScreen
from screens.search import ClientSearchScreen
from screens.ticket import TicketScreen
from tests.screens.conftest import day_shown
from tests.screens.picker_fixtures import DAY, SIZE, booking_ready, build_clinic_at, text_of
from tests.screens.test_schedule_actions import make_app
from tests.waiting import wait_until


async def clients(url: str) -> list[tuple[int, str, str, str, int | None]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(
                    Client.id,
                    Client.first_name,
                    Client.last_name,
                    Client.phone,
                    Client.home_location_id,
                ).order_by(Client.id)
            )
            return [tuple(r) for r in rows.all()]  # type: ignore[misc]
    finally:
        await engine.dispose()


def on_top(app: App[Any], kind: type) -> bool:
    return isinstance(app.screen, kind)


async def search_says_no_match(pilot: Pilot[Any], typed: str) -> None:
    def answered() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, ClientSearchScreen) and screen.hits_for == typed

    await wait_until(pilot, answered, what=f"the search's answer for {typed!r}")
    assert text_of(pilot.app, "#search-empty").startswith(f"No match for “{typed}”")


def focused_id(app: App[Any]) -> str | None:
    return app.focused.id if app.focused is not None else None


def field(app: App[Any], name: str) -> Input:
    return app.screen.query_one(f"#nc-{name}", Input)


async def form_open(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: on_top(pilot.app, NewClientScreen), what="the New Client form")


async def test_search_no_match_adds_the_client_and_opens_their_profile(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url)
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("slash", *"Zed Quinn")
        await search_says_no_match(pilot, "Zed Quinn")
        await pilot.press("ctrl+n")
        await form_open(pilot)
        assert (field(app, "first_name").value, field(app, "last_name").value) == ("Zed", "Quinn")
        assert app.focused is field(app, "phone")  # the names came from the search
        await pilot.press(*"07700 900777", "enter")
        await wait_until(
            pilot, lambda: on_top(app, ClientProfileScreen), what="the new client's profile"
        )
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen)
    added = (await clients(sqlite_url))[-1]
    assert added[1:] == ("Zed", "Quinn", "07700 900777", clinic.location_id)
    assert profile.client_id == added[0]


async def test_a_walk_in_nobody_knows_is_added_and_their_ticket_opens(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url)
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("W", *"zed@example.com")
        await search_says_no_match(pilot, "zed@example.com")
        await pilot.press("enter")  # nobody matches: Enter adds them
        await form_open(pilot)
        assert field(app, "email").value == "zed@example.com"
        assert app.focused is field(app, "first_name")
        await pilot.press(*"Zed", "tab", *"Quinn", "enter")
        await wait_until(pilot, lambda: on_top(app, TicketScreen), what="the walk-in's ticket")
        ticket = app.screen
        assert isinstance(ticket, TicketScreen)
        assert text_of(app, "#ticket-title").startswith("Ticket · Zed Quinn")
    added = (await clients(sqlite_url))[-1]
    assert ticket.client_id == added[0]
    assert ticket.location_id == clinic.location_id


async def test_bad_fields_are_shown_at_each_field_and_nothing_is_written(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url)
    app = make_app(sqlite_url, clinic.staff_id)
    before = await clients(sqlite_url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("slash", *"Zed")
        await search_says_no_match(pilot, "Zed")
        await pilot.press("ctrl+n")
        await form_open(pilot)
        assert app.focused is field(app, "last_name")
        field(app, "phone").value = "12"
        field(app, "email").value = "zed@"
        field(app, "birthday").value = "31/02/1990"
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: text_of(app, ".nc-error-last_name") != "", what="the errors"
        )
        assert text_of(app, ".nc-error-last_name") == "Enter a last name"
        assert "7 to 15 digits" in text_of(app, ".nc-error-phone")
        assert "name@example.com" in text_of(app, ".nc-error-email")
        assert text_of(app, ".nc-error-birthday") == "31/02/1990 is not a real date"
        assert app.focused is field(app, "last_name")
        await pilot.press("escape")
        await wait_until(pilot, lambda: on_top(app, ClientSearchScreen), what="the search")
    assert await clients(sqlite_url) == before


async def test_a_likely_duplicate_is_shown_and_opened_instead(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, first_name="Ann", last_name="Lee")
    engine = create_engine(sqlite_url)
    async with engine.begin() as conn:  # Ann has a phone the walk-in will give too
        await conn.execute(
            Client.__table__.update()  # type: ignore[attr-defined]
            .where(Client.id == clinic.client_id)
            .values(phone="07700 900123", phone_digits="07700900123")
        )
    await engine.dispose()
    before = await clients(sqlite_url)
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("slash", *"Annie Leigh")
        await search_says_no_match(pilot, "Annie Leigh")
        await pilot.press("enter")
        await form_open(pilot)
        await pilot.press(*"+44 7700 900123", "enter")
        form = app.screen
        assert isinstance(form, NewClientScreen)
        await wait_until(pilot, lambda: bool(form.duplicates), what="the likely duplicate")
        assert text_of(app, ".nc-dup-title") == "Already a client?"
        assert [d.hit.id for d in form.duplicates] == [clinic.client_id]
        assert form.duplicates[0].reasons == ("same phone",)
        await pilot.press("enter")  # the duplicate list has focus: open Ann
        await wait_until(pilot, lambda: on_top(app, ClientProfileScreen), what="Ann's profile")
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen)
        assert profile.client_id == clinic.client_id
    assert await clients(sqlite_url) == before  # nobody added


async def test_ctrl_s_saves_a_new_client_despite_a_likely_duplicate(sqlite_url: str) -> None:
    clinic = await build_clinic_at(sqlite_url, first_name="Ann", last_name="Lee")
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("slash", *"Zed Quinn")
        await search_says_no_match(pilot, "Zed Quinn")
        await pilot.press("ctrl+n")
        await form_open(pilot)
        field(app, "birthday").value = "01/02/1990"
        await pilot.press("enter")
        await wait_until(pilot, lambda: on_top(app, ClientProfileScreen), what="Zed's profile")
        zed = (await clients(sqlite_url))[-1][0]
        await pilot.press("escape")  # profile → schedule
        await wait_until(pilot, lambda: on_top(app, ScheduleScreen), what="the schedule")
        # Zed again, same name and birth date: shown, then saved anyway with ctrl+s.
        await pilot.press("slash", *"Zed Quinn")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ClientSearchScreen) and len(app.screen.hits) == 1,
            what="Zed found",
        )
        await pilot.press("ctrl+n")
        await form_open(pilot)
        field(app, "birthday").value = "01/02/1990"
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, NewClientScreen)
        await wait_until(pilot, lambda: bool(form.duplicates), what="Zed as a likely duplicate")
        assert [(d.hit.id, d.why) for d in form.duplicates] == [
            (zed, "same name and date of birth")
        ]
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: on_top(app, ClientProfileScreen), what="the second Zed's profile"
        )
    names = [(c[1], c[2]) for c in await clients(sqlite_url)]
    assert names.count(("Zed", "Quinn")) == 2


class Counted:
    """Presses keys through the pilot and counts them, apart from typed text."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot = pilot
        self.keys = 0
        self.typed = ""

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        self.typed += text
        await self.pilot.press(*text)


async def test_a_walk_in_is_added_from_search_and_booked_in_at_most_15_keys(
    sqlite_url: str,
) -> None:
    clinic = await build_clinic_at(sqlite_url)
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        keys = Counted(pilot)
        await keys.press("n")  # book
        await wait_until(pilot, lambda: booking_ready(app), what="the booking, loaded")
        await keys.type("Zed Quinn")
        booking = app.screen
        assert isinstance(booking, BookingScreen)
        await wait_until(pilot, lambda: booking.hits_for == "Zed Quinn", what="no match")
        await keys.press("enter")  # nobody matches: add them
        await form_open(pilot)
        await keys.press("enter")  # save: first and last name came from the search
        await wait_until(
            pilot,
            lambda: app.screen is booking and text_of(app, "#client-chosen").startswith("✓ Zed"),
            what="Zed chosen in the booking",
        )
        assert focused_id(app) == "service"
        await keys.press("enter", "down", "enter")  # the service
        await wait_until(
            pilot,
            lambda: booking.query_one("#service", Select).value == clinic.service_id,
            what="the service chosen",
        )
        await keys.press("tab", "tab")  # past the only staff member, to Start
        assert focused_id(app) == "start"
        await keys.type("16:00")
        await keys.press("ctrl+s")
        await wait_until(pilot, lambda: on_top(app, ScheduleScreen), what="back on the schedule")
    assert keys.typed == "Zed Quinn16:00"
    assert keys.keys <= 15, keys.keys
    zed = (await clients(sqlite_url))[-1]
    assert zed[1:3] == ("Zed", "Quinn")
    engine = create_engine(sqlite_url)
    async with engine.connect() as conn:
        booked = (
            await conn.execute(
                select(Appointment.service_id, Appointment.starts_at).where(
                    Appointment.client_id == zed[0]
                )
            )
        ).all()
    await engine.dispose()
    assert [(s, t.strftime("%H:%M")) for s, t in booked] == [(clinic.service_id, "16:00")]
    print(f"walk-in added and booked in {keys.keys} keys plus {len(keys.typed)} typed")


async def test_enter_typed_before_the_answer_adds_the_client_nobody_matches(
    sqlite_url: str,
) -> None:
    """A fast "Zed Quinn⏎": Enter before (or after) the empty answer opens the form."""
    clinic = await build_clinic_at(sqlite_url)
    app = make_app(sqlite_url, clinic.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, DAY), what="today's schedule")
        await pilot.press("slash", *"Zed Quinn", "enter")
        await form_open(pilot)
        assert (field(app, "first_name").value, field(app, "last_name").value) == ("Zed", "Quinn")
