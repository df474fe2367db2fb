"""A small clinic for the appointment, add-on picker and booking screens, and a host app.

Rows go in through `tests/services/factories.py` (the ledger's own way for banked units).
`HostApp` opens its `Desk` inside its own event loop (an async engine belongs to the
loop that first used it), pushes the screen under test and records what it dismissed with.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select, Static

from frontdesk.db.engine import create_engine
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.addon_picker import AddonPickerScreen
from screens.app import wants_ansi_theme
from screens.booking import BookingScreen
from tests.desks import NO_AREAS, Areas, open_desk
from tests.services.factories import (
    bank_units,
    make_appointment,
    make_client,
    make_location,
    make_product,
    make_service,
    make_staff,
    make_store,
)
from tests.waiting import wait_until

SIZE = (80, 24)
DAY = dt.date(2026, 11, 23)
START = dt.datetime(2026, 11, 23, 10, 0)
MARKUP_FIRST = "[b]Bold[/b]"
MARKUP_LAST = "[@click=app.quit]x"
MARKUP_NAME = f"{MARKUP_FIRST} {MARKUP_LAST}"
BOTOX_PRICE_MINOR = 900  # £9.00 a unit
SERVICE_PRICE_MINOR = 25_000  # £250.00


@dataclass(frozen=True)
class Clinic:
    location_id: int
    staff_id: int
    client_id: int
    service_id: int
    botox_id: int
    cream_id: int  # not usage-tracked: only ever in BUY NEW
    appointment_id: int


async def build_clinic(
    ctx: ServiceContext,
    *,
    banking: bool = True,
    owned: int = 10,
    default_units: int = 15,
    first_name: str = "Ann",
    last_name: str = "Lee",
) -> Clinic:
    """One injector, one client owning `owned` Botox units, a Botox appointment at 10:00
    whose service needs `default_units` units."""
    await make_store(ctx, business_name="Glow Clinic", future_product_usage=banking)
    location = await make_location(ctx, name="Marylebone")
    staff = await make_staff(ctx, name="Dr Kay", role="injector", location_id=location.id)
    client = await make_client(ctx, first_name=first_name, last_name=last_name)
    botox = await make_product(ctx, name="Botox", unit_price_minor=BOTOX_PRICE_MINOR)
    cream = await make_product(
        ctx, name="Numbing cream", unit_name="tube", unit_price_minor=500, usage_tracking=False
    )
    defaults = {botox.id: default_units} if default_units else {}
    service = await make_service(
        ctx,
        name="Botox — Anti-wrinkle",
        price_minor=SERVICE_PRICE_MINOR,
        addon_defaults=defaults,
    )
    appointment = await make_appointment(
        ctx,
        client_id=client.id,
        service_id=service.id,
        staff_id=staff.id,
        location_id=location.id,
        starts_at=START,
    )
    if owned:
        await bank_units(ctx, client_id=client.id, product_id=botox.id, units=owned)
    return Clinic(location.id, staff.id, client.id, service.id, botox.id, cream.id, appointment.id)


async def build_clinic_at(url: str, **options: object) -> Clinic:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        return await build_clinic(ctx, **options)  # type: ignore[arg-type]
    finally:
        await ctx.dispose()


def build_clinic_sync(url: str, **options: object) -> Clinic:
    """For plain-`def` snapshot tests."""
    return asyncio.run(build_clinic_at(url, **options))


async def owe_and_wallet(url: str, client_id: int, owes: Decimal, wallet: Decimal) -> None:
    """Give the client an account debt and a Beauty Bank balance (the badges)."""
    other = Desk.open(url, terminal="setup")
    try:
        if owes:
            await other.balances.charge_account(client_id, owes, "Unpaid balance from last visit")
        if wallet:
            await other.balances.adjust_wallet(client_id, wallet, "Beauty Bank top-up")
    finally:
        await other.close()


ScreenFactory = Callable[[Desk], Screen[Any]]


class HostApp(App[None]):
    """Pushes one screen on mount; `results` collects what it dismisses with."""

    def __init__(
        self,
        url: str,
        make_screen: ScreenFactory,
        *,
        ansi: bool | None = None,
        areas: Areas = NO_AREAS,
    ) -> None:
        super().__init__()
        self._url = url
        self._areas = areas
        self._make_screen = make_screen
        self.results: list[object] = []
        self._desk: Desk | None = None
        if ansi if ansi is not None else wants_ansi_theme():
            self.theme = "ansi-dark"

    @property
    def desk(self) -> Desk:
        assert self._desk is not None, "the desk opens when the app mounts"
        return self._desk

    def on_mount(self) -> None:
        self._desk = open_desk(self._url, terminal="test", areas=self._areas)
        self.push_screen(self._make_screen(self._desk), self.results.append)

    async def on_unmount(self) -> None:
        if self._desk is not None:
            await self._desk.close()


def notes(app: App[Any]) -> list[str]:
    """The notifications currently showing (or queued), oldest first."""
    return [str(n.message) for n in app._notifications]


def text_of(app: App[Any], selector: str) -> str:
    """What a Static shows, as plain text."""
    return str(app.screen.query_one(selector, Static).render())


def picker_ready(app: App[Any]) -> bool:
    """Select add-ons is on top with the appointment's products loaded."""
    screen = app.screen
    return (
        isinstance(screen, AddonPickerScreen)
        and screen.picker is not None
        and not screen.query_one("#picker-dialog").loading
    )


def booking_ready(app: App[Any]) -> bool:
    """Booking is on top with its services and staff loaded."""
    screen = app.screen
    return isinstance(screen, BookingScreen) and not screen.query_one("#service", Select).loading


async def picker_opened(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: picker_ready(pilot.app), what="the add-on picker, loaded")
