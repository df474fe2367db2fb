"""Screen tests: a tiny hand-made salon on SQLite and a FrontdeskApp factory.

The data is written with SQLAlchemy Core (tests may touch tables; screens may not).
"Today" is Monday 23 November 2026 and the clock is fixed, so rows and the header
are the same on every run. `day_shown` and `appointment_shown` are what the schedule
tests (and the schedule screenshots) wait for.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from textual.app import App
from textual.widgets import DataTable

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import (
    Appointment,
    AppointmentAddon,
    Client,
    Location,
    Product,
    Service,
    Staff,
    StoreSettings,
)
from screens.app import FrontdeskApp
from screens.appointment import AppointmentScreen
from screens.schedule import ScheduleScreen
from tests.desks import NO_AREAS, Areas, open_desk
from tests.money import TEST_MONEY

TODAY = dt.date(2026, 11, 23)  # a Monday
TOMORROW = TODAY + dt.timedelta(days=1)
EMPTY_DAY = TODAY + dt.timedelta(days=2)
FOURTH_DAY = TODAY + dt.timedelta(days=4)  # one appointment: the end of a rapid `]]]]`
NOW = dt.datetime(2026, 11, 23, 9, 41)
BUSINESS = "Hair & Glow"
TERMINAL = "desk-1"
SIGNED_IN = 1  # Anna, a stylist: takes payments and edits the transformation log
MARKUP_NAME = "[b]Bold[/b] [@click=app.quit]x"
LONG_NAME = "Maximiliana Bartholomew-Featherstonehaugh"


def _client(cid: int, first: str, last: str) -> dict[str, object]:
    return {
        "id": cid,
        "client_number": f"C{cid:04d}",
        "first_name": first,
        "last_name": last,
        "search_first": first.lower(),
        "search_last": last.lower(),
        "phone_digits": "",
        "email_lower": "",
    }


def _at(day: dt.date, hh: int, mm: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm))


def _appt(
    aid: int,
    client: int,
    staff: int,
    service: int,
    location: int,
    start: dt.datetime,
    minutes: int,
    status: str = "booked",
) -> dict[str, object]:
    return {
        "id": aid,
        "client_id": client,
        "staff_id": staff,
        "service_id": service,
        "location_id": location,
        "starts_at": start,
        "ends_at": start + dt.timedelta(minutes=minutes),
        "status": status,
    }


async def fill_tiny_salon(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(StoreSettings),
                [
                    {
                        "id": 1,
                        "business_name": BUSINESS,
                        "currency": TEST_MONEY.currency,
                        "locale": TEST_MONEY.locale,
                    }
                ],
            )
            await conn.execute(
                insert(Location), [{"id": 1, "name": "Marylebone"}, {"id": 2, "name": "Soho"}]
            )
            await conn.execute(
                insert(Staff),
                [
                    {"id": 1, "name": "Anna", "role": "stylist", "location_id": 1},
                    {"id": 2, "name": "Ben", "role": "therapist", "location_id": 1},
                    {"id": 3, "name": "Cleo", "role": "stylist", "location_id": 2},
                ],
            )
            await conn.execute(
                insert(Service),
                [
                    {
                        "id": 1,
                        "name": "Cut & Blow-dry",
                        "duration_minutes": 45,
                        "price_minor": 5500,
                    },
                    {"id": 2, "name": "Botox", "duration_minutes": 30, "price_minor": 20000},
                    {"id": 3, "name": "Manicure", "duration_minutes": 30, "price_minor": 2500},
                ],
            )
            await conn.execute(
                insert(Product),
                [
                    {
                        "id": 1,
                        "name": "Botox",
                        "unit_name": "unit",
                        "unit_price_minor": 400,
                        "usage_tracking": True,
                        "addon_eligible": True,
                    }
                ],
            )
            await conn.execute(
                insert(Client),
                [
                    _client(1, "Alice", "Smith"),
                    _client(2, "[b]Bold[/b]", "[@click=app.quit]x"),
                    _client(3, "Maximiliana", "Bartholomew-Featherstonehaugh"),
                    _client(4, "Dora", "Jones"),
                ],
            )
            await conn.execute(
                insert(Appointment),
                [
                    _appt(1, 1, 1, 1, 1, _at(TODAY, 9, 30), 45, "completed"),
                    _appt(2, 2, 2, 2, 1, _at(TODAY, 10, 0), 30, "checked_in"),
                    _appt(3, 3, 1, 3, 1, _at(TODAY, 11, 0), 30, "booked"),
                    _appt(4, 4, 2, 3, 1, _at(TODAY, 14, 0), 30, "cancelled"),
                    _appt(5, 4, 1, 1, 1, _at(TOMORROW, 12, 0), 45, "booked"),
                    _appt(6, 1, 3, 3, 2, _at(TODAY, 15, 0), 30, "no_show"),
                    _appt(7, 1, 2, 2, 1, _at(FOURTH_DAY, 16, 30), 30, "booked"),
                ],
            )
            await conn.execute(
                insert(AppointmentAddon),
                [
                    {
                        "id": 1,
                        "appointment_id": 2,
                        "product_id": 1,
                        "use_units": 10,
                        "buy_units": 5,
                        "unit_price_minor": 400,
                    }
                ],
            )
    finally:
        await engine.dispose()


def day_shown(app: App[Any], day: dt.date) -> bool:
    """The schedule is on top showing `day`: its rows, or the message saying why not."""
    screen = app.screen
    return (
        isinstance(screen, ScheduleScreen)
        and screen.day == day
        and not screen.query_one("#schedule-table", DataTable).loading
    )


def appointment_shown(app: App[Any]) -> bool:
    """An appointment's details are on top, loaded."""
    screen = app.screen
    return isinstance(screen, AppointmentScreen) and screen.view is not None


@pytest.fixture
async def salon_url(sqlite_url: str) -> str:
    await fill_tiny_salon(sqlite_url)
    return sqlite_url


AppFactory = Callable[..., FrontdeskApp]


@pytest.fixture
def make_app(salon_url: str) -> AppFactory:
    """Build a FrontdeskApp on the tiny salon; the app opens (and closes) its desk as
    `staff_id`, with `areas` swapped in for test doubles."""

    def make(
        areas: Areas = NO_AREAS,
        ansi: bool | None = None,
        staff_id: int | None = SIGNED_IN,
    ) -> FrontdeskApp:
        return FrontdeskApp(
            lambda: open_desk(salon_url, terminal=TERMINAL, staff_id=staff_id, areas=areas),
            clock=lambda: NOW,
            today=TODAY,
            ansi=ansi,
        )

    return make


@pytest.fixture(autouse=True)
def no_live_updates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps run without the change feed unless a test asks for it (`live=True`): on SQLite
    the app's own writes come back as a change up to half a second later, and the screen's
    re-read would land amid tests that count reads or hold one back."""
    monkeypatch.setattr(FrontdeskApp, "live_updates", False)


@pytest.fixture(autouse=True)
def every_entry_names_its_staff(tmp_path: Path) -> Iterator[None]:
    """Issue 13: every ledger entry a screen test writes (and every one its fixtures wrote)
    carries a staff id. Checked after each test, in each SQLite database it used."""
    yield
    for path in tmp_path.rglob("*.db"):
        with closing(sqlite3.connect(path)) as db:
            try:
                rows = db.execute(
                    "SELECT id, terminal, reason FROM ledger_entries WHERE staff_id IS NULL"
                ).fetchall()
            except sqlite3.OperationalError:  # not a frontdesk database, or an empty one
                continue
        assert not rows, f"ledger entries without a staff id in {path.name}: {rows[:5]}"
