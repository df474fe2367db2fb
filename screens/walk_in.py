"""A walk-in: find the client with the client search, then open a ticket for them at the
desk's location. A walk-in nobody knows yet is added from the search (ctrl+n, or Enter
when nothing matches) at this location, and their ticket opens the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from frontdesk.services.desk import Desk

if TYPE_CHECKING:  # the search and the till are imported when a walk-in starts
    from frontdesk.views.till import CheckoutResult


def open_walk_in(
    app: App[Any],
    desk: Desk,
    location_id: int,
    *,
    clock: Callable[[], dt.datetime],
    after: Callable[[CheckoutResult | None], None],
) -> None:
    """Push the client search; when a client is chosen, push their ticket. `after` gets
    what the ticket closed with (None if nothing was completed)."""
    from screens.search import ClientSearchScreen
    from screens.ticket import TicketScreen

    def chosen(client_id: int | None) -> None:
        if client_id is not None:
            app.push_screen(
                TicketScreen(desk, client_id, location_id=location_id, clock=clock), after
            )

    app.push_screen(ClientSearchScreen(desk, location_id=location_id), chosen)
