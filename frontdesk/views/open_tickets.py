"""A ticket left open ("Leave open"), as the open-tickets list and a resumed ticket see it."""

from __future__ import annotations

import datetime as dt

from frontdesk.views import View
from frontdesk.views.till import CheckoutInput


class OpenTicketView(View):
    """A parked ticket: the client, what is on it in words, who left it open and when
    (UTC), the terminal holding it now (None: nobody), and the ticket itself to resume
    with the same idempotency key, lines and toggles."""

    idempotency_key: str
    client_id: int
    client_name: str
    location_id: int | None
    summary: str
    parked_by: str | None  # the staff member's name, when one was signed in
    parked_terminal: str
    parked_at: dt.datetime
    held_by: str | None
    # The open row's version: a screen parks or takes back with it as `expected_version`.
    version: int = 1
    ticket: CheckoutInput

    def held_elsewhere(self, terminal: str) -> bool:
        """Another terminal holds it: this one may look but not complete it."""
        return self.held_by is not None and self.held_by != terminal
