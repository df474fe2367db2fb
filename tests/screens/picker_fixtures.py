"""A small clinic for the appointment, add-on picker and booking screens, and a host app.

The clinic is the add-on tests' own (`tests/services/clinic.py`) plus a numbing cream.
`HostApp` opens its `Desk` inside its own event loop (an async engine belongs to the
loop that first used it), pushes the screen under test and records what it dismissed with.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select, Static

from frontdesk.db.engine import create_engine
from frontdesk.domain.write_keys import new_key
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from screens.addon_picker import AddonPickerScreen
from screens.booking import BookingScreen
from screens.low_spec import SteadyCursor
from screens.terminal_caps import wants_ansi_theme
from tests.desks import NO_AREAS, Areas, open_desk
from tests.services.clinic import Clinic as BaseClinic
from tests.services.clinic import build_clinic as build_base_clinic
from tests.services.factories import make_product, make_staff
from tests.waiting import wait_until

SIZE = (80, 24)
DAY = dt.date(2026, 11, 23)
MARKUP_FIRST = "[b]Bold[/b]"
MARKUP_LAST = "[@click=app.quit]x"
MARKUP_NAME = f"{MARKUP_FIRST} {MARKUP_LAST}"


@dataclass(frozen=True)
class Clinic(BaseClinic):
    cream_id: int  # not usage-tracked: only ever in BUY NEW


async def build_clinic(ctx: ServiceContext, **options: Any) -> Clinic:
    """The shared clinic (`tests/services/clinic.py`) and a numbing cream, bought by the
    tube and never banked."""
    base = await build_base_clinic(ctx, **options)
    cream = await make_product(
        ctx, name="Numbing cream", unit_name="tube", unit_price_minor=500, usage_tracking=False
    )
    return Clinic(**asdict(base), cream_id=cream.id)


async def build_clinic_at(url: str, **options: object) -> Clinic:
    ctx = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        return await build_clinic(ctx, **options)
    finally:
        await ctx.dispose()


def build_clinic_sync(url: str, **options: object) -> Clinic:
    """For plain-`def` snapshot tests."""
    return asyncio.run(build_clinic_at(url, **options))


async def owe_and_wallet(url: str, client_id: int, owes: Decimal, wallet: Decimal) -> None:
    """Give the client an account debt and a Beauty Bank balance (the badges), written by
    a front-desk member added for it (the clinic's injector may not adjust balances)."""
    setup = ServiceContext.create(create_engine(url), terminal="setup")
    try:
        fran = await make_staff(setup, name="Fran Front", role="front_desk")
    finally:
        await setup.dispose()
    other = Desk.open(url, terminal="setup", staff_id=fran.id)
    try:
        if owes:
            await other.balances.charge_account(
                client_id, owes, "Unpaid balance from last visit", key=new_key()
            )
        if wallet:
            await other.balances.adjust_wallet(
                client_id, wallet, "Beauty Bank top-up", key=new_key()
            )
    finally:
        await other.close()


ScreenFactory = Callable[[Desk], Screen[Any]]


class HostApp(SteadyCursor, App[None]):
    """Pushes one screen on mount as `staff_id`; `results` collects what it dismisses
    with."""

    def __init__(
        self,
        url: str,
        make_screen: ScreenFactory,
        *,
        ansi: bool | None = None,
        areas: Areas = NO_AREAS,
        staff_id: int | None = None,
        terminal: str = "test",
    ) -> None:
        super().__init__()
        self._url = url
        self._terminal = terminal
        self._areas = areas
        self._staff_id = staff_id
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
        self._desk = open_desk(
            self._url, terminal=self._terminal, staff_id=self._staff_id, areas=self._areas
        )
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
