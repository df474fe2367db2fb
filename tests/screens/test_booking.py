"""Booking: search as you type, pick service and staff, type a time, book."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import ClassVar

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment
from frontdesk.domain.errors import ValidationError
from frontdesk.services.clients import Clients
from frontdesk.services.desk import Desk
from frontdesk.views import AppointmentView, ClientHit, StaffView
from screens.booking import DATE_HINT, TIME_HINT, BookingScreen, parse_day
from tests.screens.picker_fixtures import (
    DAY,
    MARKUP_FIRST,
    MARKUP_LAST,
    SIZE,
    Clinic,
    HostApp,
    booking_ready,
    build_clinic_at,
    text_of,
)
from tests.services.factories import make_client
from tests.waiting import wait_until

FIELDS = ("client", "service", "staff", "date", "start")


def booking_app(url: str, clinic: Clinic, **options: object) -> HostApp:
    return HostApp(
        url,
        lambda desk: BookingScreen(desk, clinic.location_id, DAY),
        staff_id=clinic.staff_id,
        **options,  # type: ignore[arg-type]
    )


def booking(app: HostApp) -> BookingScreen:
    screen = app.screen
    assert isinstance(screen, BookingScreen), screen
    return screen


async def booking_opened(pilot: Pilot[None]) -> None:
    await wait_until(pilot, lambda: booking_ready(pilot.app), what="booking, loaded")


def hits_shown(app: HostApp, typed: str) -> bool:
    """The client list answers what is typed in the search box."""
    screen = app.screen
    return isinstance(screen, BookingScreen) and screen.hits_for == typed


def chosen(app: HostApp, name: str) -> bool:
    return text_of(app, "#client-chosen").startswith(f"✓ {name}")


async def fill(
    pilot: Pilot[None], app: HostApp, clinic: Clinic, *, search: str, start: str
) -> None:
    """Type the search, take the first hit, choose service and staff, type the time."""
    await pilot.press(*search)
    await wait_until(
        pilot, lambda: hits_shown(app, search), what=f"the clients matching {search!r}"
    )
    await pilot.press("down", "enter")  # into the results, take the first
    await wait_until(pilot, lambda: chosen(app, ""), what="a client chosen")
    app.screen.query_one("#service", Select).value = clinic.service_id
    app.screen.query_one("#staff", Select).value = clinic.staff_id
    start_box = app.screen.query_one("#start", Input)
    start_box.focus()
    await pilot.press(*start)
    await pilot.pause()


@pytest.fixture
async def clinic(sqlite_url: str) -> Clinic:
    clinic = await build_clinic_at(sqlite_url)
    desk = Desk.open(sqlite_url, terminal="setup")
    try:
        await make_client(desk.ctx, first_name="Amy", last_name="Adams", phone="07700 900123")
        await make_client(desk.ctx, first_name="Zoe", last_name="Zhang")
    finally:
        await desk.close()
    return clinic


async def test_books_an_appointment(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await fill(pilot, app, clinic, search="zoe", start="14:30")
        assert text_of(app, "#client-chosen").startswith("✓ Zoe Zhang")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the booking closed with the appointment")
        [view] = app.results
        assert isinstance(view, AppointmentView)
        assert (view.client_name, view.service_name, view.staff_name) == (
            "Zoe Zhang",
            "Botox — Anti-wrinkle",
            "Dr Kay",
        )
        assert view.starts_at == dt.datetime(2026, 11, 23, 14, 30)
        schedule = await app.desk.schedule.day(clinic.location_id, DAY)
        assert len(schedule.appointments) == 2


async def test_enter_in_the_search_box_takes_the_first_match(
    sqlite_url: str, clinic: Clinic
) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await pilot.press("enter")  # nothing typed: nothing chosen
        assert booking(app).client is None
        await pilot.press(*"zoe")
        await wait_until(pilot, lambda: hits_shown(app, "zoe"), what="the clients matching zoe")
        await pilot.press("enter")
        await wait_until(pilot, lambda: chosen(app, "Zoe Zhang"), what="Zoe chosen")
        client = booking(app).client
        assert client is not None and client.name == "Zoe Zhang"
        assert text_of(app, "#client-chosen").startswith("✓ Zoe Zhang")
        assert app.screen.focused is app.screen.query_one("#service", Select)


async def test_double_booking_is_refused_at_the_start_time(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await fill(pilot, app, clinic, search="amy", start="10:15")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#start-error"), what="the error under the start time"
        )
        assert app.results == []
        assert text_of(app, "#start-error") == (
            "Dr Kay is already booked 23 Nov 10:00–10:30 with Ann Lee; "
            "pick another time or staff member"
        )
        assert app.focused is app.screen.query_one("#start")
        schedule = await app.desk.schedule.day(clinic.location_id, DAY)
        assert len(schedule.appointments) == 1


@pytest.mark.parametrize("typed", ["2pm", "25:00", "14:3", "14;30"])
async def test_bad_time_gets_a_field_error(sqlite_url: str, clinic: Clinic, typed: str) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await fill(pilot, app, clinic, search="amy", start=typed)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: text_of(app, "#start-error") == TIME_HINT,
            what="the time hint under the start",
        )
        assert app.results == []
        assert text_of(app, "#start-error") == TIME_HINT
        # Typing again clears the error until the next attempt.
        await pilot.press("backspace")
        await pilot.pause()
        assert text_of(app, "#start-error") == ""


async def test_missing_choices_are_named(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#client-error"), what="the errors under the fields"
        )
        assert text_of(app, "#client-error").startswith("Choose a client")
        assert text_of(app, "#service-error") == "Choose a service"
        assert text_of(app, "#start-error") == TIME_HINT
        # One staff member at this location: chosen already.
        assert app.screen.query_one("#staff", Select).value == clinic.staff_id
        assert app.focused is app.screen.query_one("#client-search")


class SlowAmClients(Clients):
    """Answers "am" only after "zo" has been answered: the stale answer arrives last."""

    zo_answered: ClassVar[asyncio.Event | None] = None
    queries: ClassVar[list[str]] = []

    async def search(self, text: str, limit: int = 50) -> tuple[ClientHit, ...]:
        cls = type(self)
        if cls.zo_answered is None:
            cls.zo_answered = asyncio.Event()
        cls.queries.append(text)
        hits = await super().search(text, limit)
        if text == "am":
            await cls.zo_answered.wait()
        elif text == "zo":
            cls.zo_answered.set()
        return hits


async def test_stale_search_results_never_replace_newer_ones(
    sqlite_url: str, clinic: Clinic
) -> None:
    SlowAmClients.zo_answered = None
    SlowAmClients.queries = []
    app = booking_app(sqlite_url, clinic, areas={"clients": SlowAmClients})
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await pilot.press("a", "m")
        await pilot.pause()
        box = app.screen.query_one("#client-search", Input)
        box.value = ""
        await pilot.press("z", "o")
        await wait_until(pilot, lambda: hits_shown(app, "zo"), what="the clients matching zo")
        assert "am" in SlowAmClients.queries and SlowAmClients.queries[-1] == "zo"
        screen = booking(app)
        assert screen.hits_for == "zo"
        assert [h.name for h in screen.hits] == ["Zoe Zhang"]
        results = app.screen.query_one("#client-results", OptionList)
        assert results.option_count == 1
        assert str(results.get_option_at_index(0).prompt).startswith("Zoe Zhang")


async def test_escape_books_nothing(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await fill(pilot, app, clinic, search="zoe", start="15:00")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results, what="the booking closed")
        assert app.results == [None]
        schedule = await app.desk.schedule.day(clinic.location_id, DAY)
        assert len(schedule.appointments) == 1


# -- booking from a client's profile: client preselected, Date field -----------------------

NEXT_DAY = DAY + dt.timedelta(days=1)


def profile_booking_app(
    url: str, clinic: Clinic, client: ClientHit | None, *, choose_day: bool = True
) -> HostApp:
    return HostApp(
        url,
        lambda desk: BookingScreen(
            desk, clinic.location_id, DAY, client=client, choose_day=choose_day
        ),
        staff_id=clinic.staff_id,
    )


@pytest.fixture
async def zoe(sqlite_url: str, clinic: Clinic) -> ClientHit:
    """Zoe as the profile has her: a search hit."""
    desk = Desk.open(sqlite_url, terminal="setup")
    try:
        [hit] = await desk.clients.search("zoe")
    finally:
        await desk.close()
    return hit


async def appointment_count(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            count = await conn.scalar(select(func.count()).select_from(Appointment))
    finally:
        await engine.dispose()
    return int(count or 0)


async def choose_and_time(
    pilot: Pilot[None], app: HostApp, clinic: Clinic, *, start: str, date: str | None = None
) -> None:
    """Service and staff, then (if given) Tab from Staff into the date and type over it
    ("" erases it), then type the start time."""
    app.screen.query_one("#service", Select).value = clinic.service_id
    app.screen.query_one("#staff", Select).value = clinic.staff_id
    if date is not None:
        app.screen.query_one("#staff", Select).focus()
        await pilot.press("tab")  # Tab selects the date, so typing replaces it
        assert app.focused is app.screen.query_one("#date")
        await pilot.press(*(date or ["backspace"]))
        await pilot.pause()
        assert app.screen.query_one("#date", Input).value == date
    start_box = app.screen.query_one("#start", Input)
    start_box.focus()
    await pilot.press(*start)
    await pilot.pause()


def within_screen(app: HostApp, selector: str) -> bool:
    region = app.screen.query_one(selector).region
    return bool(region.area) and app.screen.region.contains_region(region)


@pytest.mark.parametrize("choose_day", [False, True])
async def test_preselected_client_books_without_a_search(
    sqlite_url: str, clinic: Clinic, zoe: ClientHit, choose_day: bool
) -> None:
    app = profile_booking_app(sqlite_url, clinic, zoe, choose_day=choose_day)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        assert text_of(app, "#client-chosen").startswith("✓ Zoe Zhang · ")
        assert app.screen.query_one("#client-search", Input).value == ""
        assert app.focused is app.screen.query_one("#service")
        await choose_and_time(pilot, app, clinic, start="14:30")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the booking closed with the appointment")
        [view] = app.results
        assert isinstance(view, AppointmentView)
        assert (view.client_id, view.client_name) == (zoe.id, "Zoe Zhang")
        assert view.starts_at == dt.datetime(2026, 11, 23, 14, 30)


async def test_preselected_client_name_is_shown_literally(sqlite_url: str, clinic: Clinic) -> None:
    marked = ClientHit(
        id=clinic.client_id,
        client_number="C0001",
        first_name=MARKUP_FIRST,
        last_name=MARKUP_LAST,
        phone="",
        email="",
    )
    app = profile_booking_app(sqlite_url, clinic, marked)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        assert text_of(app, "#client-chosen") == f"✓ {MARKUP_FIRST} {MARKUP_LAST} · C0001"


async def test_preselected_client_can_still_be_changed(
    sqlite_url: str, clinic: Clinic, zoe: ClientHit
) -> None:
    app = profile_booking_app(sqlite_url, clinic, zoe)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        app.screen.query_one("#client-search", Input).focus()
        await pilot.press(*"amy")
        await wait_until(pilot, lambda: hits_shown(app, "amy"), what="the clients matching amy")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: chosen(app, "Amy Adams"), what="Amy chosen")
        assert text_of(app, "#client-chosen").startswith("✓ Amy Adams")
        await choose_and_time(pilot, app, clinic, start="15:00")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, what="the booking closed with the appointment")
        [view] = app.results
        assert isinstance(view, AppointmentView)
        assert view.client_name == "Amy Adams"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("tomorrow", NEXT_DAY),
        ("01/12/2026", dt.date(2026, 12, 1)),
        ("2026-12-02", dt.date(2026, 12, 2)),
        ("+7", DAY + dt.timedelta(days=7)),
        ("today", DAY),
    ],
)
async def test_date_field_books_on_the_chosen_date(
    sqlite_url: str, clinic: Clinic, zoe: ClientHit, typed: str, day: dt.date
) -> None:
    app = profile_booking_app(sqlite_url, clinic, zoe)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        assert app.screen.query_one("#date", Input).value == "23/11/2026"
        await choose_and_time(pilot, app, clinic, start="10:15", date=typed)
        assert text_of(app, "#booking-title") == (
            f"New appointment — {day:%A} {day.day} {day:%B %Y}"
        )
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: app.results or text_of(app, "#start-error"),
            what="the booking closed, or refused under the start",
        )
        if day == DAY:  # Dr Kay sees Ann Lee 10:00–10:30 today: refused under the start
            assert app.results == []
            assert "already booked" in text_of(app, "#start-error")
            assert text_of(app, "#date-error") == ""
            assert app.focused is app.screen.query_one("#start")
            assert await appointment_count(sqlite_url) == 1
            return
        [view] = app.results
        assert isinstance(view, AppointmentView)
        assert view.starts_at == dt.datetime.combine(day, dt.time(10, 15))
        schedule = await app.desk.schedule.day(clinic.location_id, day)
        assert [(a.client_name, a.starts_at) for a in schedule.appointments] == [
            ("Zoe Zhang", view.starts_at)
        ]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("31/02/2026", "31/02/2026 is not a real date"),
        ("22/11/2026", "22/11/2026 is in the past: pick today or later"),
        ("yesterday", "22/11/2026 is in the past: pick today or later"),
        ("abc", DATE_HINT),
        ("", DATE_HINT),
    ],
)
async def test_bad_date_gets_a_field_error_and_books_nothing(
    sqlite_url: str, clinic: Clinic, zoe: ClientHit, typed: str, error: str
) -> None:
    app = profile_booking_app(sqlite_url, clinic, zoe)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        await choose_and_time(pilot, app, clinic, start="15:00", date=typed)
        assert text_of(app, "#booking-title") == "New appointment — choose a date"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: text_of(app, "#date-error") == error, what="the date refused"
        )
        assert app.results == []
        assert text_of(app, "#date-error") == error
        assert app.focused is app.screen.query_one("#date")
        assert within_screen(app, "#date-error") and within_screen(app, "#booking-book")
        assert await appointment_count(sqlite_url) == 1
        # Typing again clears the error until the next attempt.
        await pilot.press("x")
        await pilot.pause()
        assert text_of(app, "#date-error") == ""


async def test_schedule_variant_has_no_date_field(sqlite_url: str, clinic: Clinic) -> None:
    app = booking_app(sqlite_url, clinic)
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        assert not app.screen.query("#date")
        assert not app.screen.query("#date-error")
        assert text_of(app, "#booking-title") == "New appointment — Monday 23 November 2026"
        assert text_of(app, "#client-chosen") == ""
        assert app.focused is app.screen.query_one("#client-search")


async def test_date_variant_fits_80x24_with_every_error_and_results(
    sqlite_url: str, clinic: Clinic
) -> None:
    """The worst case: a long result list open and an error under every field at once."""
    desk = Desk.open(sqlite_url, terminal="setup")
    try:
        for first in ("Abe", "Ada", "Al", "Alma", "Ava"):
            await make_client(desk.ctx, first_name=first, last_name="Archer")
        kay = (await desk.catalog.staff(clinic.location_id))[0]
    finally:
        await desk.close()
    two = (kay, StaffView(id=kay.id + 100, name="Dr Lim", role="injector", location_id=None))
    app = HostApp(
        sqlite_url,
        lambda desk: BookingScreen(desk, clinic.location_id, DAY, two, choose_day=True),
        staff_id=clinic.staff_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await booking_opened(pilot)
        assert app.focused is app.screen.query_one("#client-search")
        for selector in ("#client-search", "#service", "#staff", "#date", "#start"):
            assert within_screen(app, selector), selector
        assert within_screen(app, "#booking-book")
        app.screen.query_one("#date", Input).value = "abc"
        await pilot.press("ctrl+s")  # an error under every field
        await wait_until(
            pilot,
            lambda: all(text_of(app, f"#{name}-error") for name in FIELDS),
            what="an error under every field",
        )
        for name in FIELDS:
            assert text_of(app, f"#{name}-error"), name
            assert within_screen(app, f"#{name}-error"), name
        assert within_screen(app, "#booking-book")
        app.screen.query_one("#client-search", Input).focus()
        await pilot.press("a")  # the results open (typing clears the client error)
        await wait_until(pilot, lambda: hits_shown(app, "a"), what="the clients matching a")
        assert app.screen.query_one("#client-results", OptionList).option_count > 3
        for name in ("service", "staff", "date", "start"):
            assert within_screen(app, f"#{name}-error"), name
        assert within_screen(app, "#date") and within_screen(app, "#booking-book")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Today", DAY),
        (" tomorrow ", NEXT_DAY),
        ("+0", DAY),
        ("+ 3", DAY + dt.timedelta(days=3)),
        ("1/12/2026", dt.date(2026, 12, 1)),
        ("2027-1-5", dt.date(2027, 1, 5)),
    ],
)
def test_parse_day_accepts(typed: str, expected: dt.date) -> None:
    assert parse_day(typed, DAY) == expected


@pytest.mark.parametrize(
    "typed",
    ["٢٤/١١/٢٠٢٦", "24.11.2026", "+1000", "-1", "24/11/26", "2026-13-01", "2026-1-5"],
)
def test_parse_day_refuses(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_day(typed, DAY)
    assert caught.value.field == "date"
