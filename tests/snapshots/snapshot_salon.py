"""A small, fixed salon for screenshots, and the app factory the snapshot tests use.

Its own data (not tests/screens' fixture): changing a behaviour test's data must not
force new screenshots. The clock and "today" are fixed, so every run paints the same.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import insert

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
from frontdesk.services.desk import Desk
from screens.app import FrontdeskApp

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 41)

CLIENTS = [
    ("Alice", "Smith"),
    ("[b]Bold[/b]", "[@click=app.quit]x"),
    ("Maximiliana", "Bartholomew-Featherstonehaugh"),
    ("Dora", "Jones"),
    ("Evie", "O'Brien"),
    ("Farah", "Khan"),
]
# (start, minutes, client, staff, service, status)
DAY = [
    ((9, 30), 45, 1, 1, 1, "completed"),
    ((10, 0), 30, 2, 2, 2, "checked_in"),
    ((11, 0), 30, 3, 1, 3, "booked"),
    ((12, 15), 45, 5, 3, 1, "booked"),
    ((14, 0), 30, 4, 2, 3, "cancelled"),
    ((15, 30), 30, 6, 2, 2, "no_show"),
]


async def _fill(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(StoreSettings),
                [{"id": 1, "business_name": "Hair & Glow", "currency": "GBP", "locale": "en_GB"}],
            )
            await conn.execute(
                insert(Location), [{"id": 1, "name": "Marylebone"}, {"id": 2, "name": "Soho"}]
            )
            await conn.execute(
                insert(Staff),
                [
                    {"id": 1, "name": "Anna", "role": "stylist", "location_id": 1},
                    {"id": 2, "name": "Ben", "role": "injector", "location_id": 1},
                    {"id": 3, "name": "Cleo", "role": "stylist", "location_id": 1},
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
                    {
                        "id": i,
                        "client_number": f"C{i:04d}",
                        "first_name": first,
                        "last_name": last,
                        "search_first": first.lower(),
                        "search_last": last.lower(),
                        "phone_digits": "",
                        "email_lower": "",
                    }
                    for i, (first, last) in enumerate(CLIENTS, start=1)
                ],
            )
            rows = []
            for aid, ((hh, mm), minutes, client, staff, service, status) in enumerate(DAY, 1):
                start = dt.datetime.combine(TODAY, dt.time(hh, mm))
                rows.append(
                    {
                        "id": aid,
                        "client_id": client,
                        "staff_id": staff,
                        "service_id": service,
                        "location_id": 1,
                        "starts_at": start,
                        "ends_at": start + dt.timedelta(minutes=minutes),
                        "status": status,
                    }
                )
            await conn.execute(insert(Appointment), rows)
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


def fill_salon(url: str) -> None:
    asyncio.run(_fill(url))


def make_app(url: str) -> FrontdeskApp:
    """The app on `url` with a fixed clock and Anna (staff 1, a stylist) signed in; the
    colour system is read when it is built."""
    return FrontdeskApp(
        lambda: Desk.open(url, terminal="desk-1", staff_id=1),
        clock=lambda: NOW,
        today=TODAY,
    )
