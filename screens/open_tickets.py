"""The schedule's open tickets: list the tickets left open here, resume the one chosen.

Choosing one takes it for this terminal (`desk.till.take`) and opens the ticket with the
same key, lines and toggles; one another terminal holds opens read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from frontdesk.domain.errors import describe
from frontdesk.services.desk import Desk
from frontdesk.views.changes import OPEN_TICKETS
from screens.widgets.picker import PickerModal

TITLE = "Open tickets"


def resume_open_ticket(
    screen: Screen[Any],
    desk: Desk,
    location_id: int | None,
    clock: Callable[[], dt.datetime],
    closed: Callable[[], None],
) -> None:
    """Push the list of open tickets at `location_id`; `closed` runs when a resumed
    ticket closes (completed, left open again, or released)."""

    async def load() -> list[tuple[str, str]]:
        from screens.ticket_resume import open_ticket_label  # not on the schedule's path

        try:
            found = await desk.till.open_tickets(location_id)
        except Exception as exc:
            screen.notify(describe(exc), title=TITLE, severity="error")
            return []
        if not found:
            screen.notify("No tickets are open here.", title=TITLE)
        return [(t.idempotency_key, open_ticket_label(t, desk.terminal)) for t in found]

    async def resume(key: str) -> None:
        try:
            parked = await desk.till.take(key)
        except Exception as exc:
            screen.notify(describe(exc), title=TITLE, severity="error")
            return
        from screens.ticket import TicketScreen  # the till, when a ticket is resumed

        ticket = TicketScreen.from_parked(desk, parked, clock=clock)
        screen.app.push_screen(ticket, lambda _result: closed())

    def chosen(key: str | None) -> None:
        if key is not None:
            screen.run_worker(resume(key), group="open-tickets", exit_on_error=False)

    # Live: a ticket another terminal opens, takes or completes shows here as it happens.
    picker = PickerModal(TITLE, loader=load, live_tables=frozenset({OPEN_TICKETS}))
    screen.app.push_screen(picker, chosen)
