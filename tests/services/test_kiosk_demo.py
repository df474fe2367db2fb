"""The demo gives the kiosk someone to greet (issue 18, item 1): a client with an
appointment today and a Select choice waiting, found by their client number at the
kiosk of the demo's first location, with the choice on their page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Appointment, Client, Location
from frontdesk.demo.seed import seed_demo
from frontdesk.services.context import ServiceContext
from frontdesk.services.kiosk import Kiosk

TODAY = dt.date(2026, 11, 23)


async def test_the_demo_books_a_client_with_a_choice_waiting(sqlite_url: str) -> None:
    ctx = ServiceContext.create(create_engine(sqlite_url), terminal="test")
    try:
        await seed_demo(ctx, clients=300, seed=1, today=TODAY)
        async with ctx.read() as s:
            location = await s.scalar(select(Location.name).order_by(Location.id).limit(1))
            numbers = list(
                await s.scalars(
                    select(Client.client_number)
                    .join(Appointment, Appointment.client_id == Client.id)
                    .where(Appointment.starts_at >= dt.datetime.combine(TODAY, dt.time.min))
                    .where(Appointment.starts_at < dt.datetime.combine(TODAY, dt.time.max))
                    .order_by(Client.id)
                )
            )
    finally:
        await ctx.dispose()
    assert location is not None
    kiosk = await Kiosk.at(
        sqlite_url, terminal="kiosk test", location=location, today=lambda: TODAY
    )
    try:
        greeted = []
        for number in dict.fromkeys(numbers):
            try:
                visit = await kiosk.check_in(number)
            except Exception:  # booked at the other location: not this kiosk's
                kiosk.checked_in()  # (and not a guesser: no lock-out in this test)
                continue
            if (await visit.summary()).benefits:
                greeted.append(number)
        assert greeted, "no demo client at the kiosk has a benefit choice waiting today"
    finally:
        await kiosk.close()
