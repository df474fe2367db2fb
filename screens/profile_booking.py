"""Booking from a client's profile: at the desk's location (or the first one), on a date
the user types, the client already chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App

from frontdesk.domain.errors import describe
from frontdesk.services.desk import Desk
from screens.booking import BookingScreen


class ProfileHost(Protocol):
    """What booking needs of the profile screen (a Protocol: no import of it, no cycle)."""

    desk: Desk
    client_id: int
    location_id: int | None
    clock: Callable[[], dt.datetime]

    @property
    def app(self) -> App[Any]: ...

    def notify(self, message: str, *, title: str = "", severity: Any = "information") -> None: ...

    def reload_after_change(self, *, also: tuple[str, ...] = ()) -> None: ...


async def book_from_profile(screen: ProfileHost) -> None:
    desk = screen.desk
    try:
        location_id = screen.location_id
        if location_id is None:
            locations = await desk.catalog.locations()
            location_id = locations[0].id if locations else None
        hit = await desk.clients.hit(screen.client_id)
    except Exception as exc:
        screen.notify(describe(exc), title="Could not open", severity="error")
        return
    if location_id is None:
        screen.notify("Add a location before booking.", title="Book", severity="warning")
        return
    booked = await screen.app.push_screen_wait(
        BookingScreen(desk, location_id, screen.clock().date(), client=hit, choose_day=True)
    )
    if booked is not None:
        when = booked.starts_at
        screen.notify(
            f"{booked.service_name} with {booked.staff_name}, "
            f"{when:%a} {when.day} {when:%b} {when:%H:%M}",
            title="Booked",
        )
        screen.reload_after_change(also=("activity",))
