"""A ticket left open, back as the lines staff edit, and as a row of the open-tickets list;
and shown again as saved when this screen's copy turned out stale."""

from __future__ import annotations

from typing import Protocol

from frontdesk.domain.errors import StaleVersion, describe
from frontdesk.services.desk import Desk
from frontdesk.views.open_tickets import OpenTicketView
from frontdesk.views.till import CheckoutInput
from screens.ticket_lines import TicketLines


class ResumedTicket(Protocol):
    """What `reload_parked` needs of the ticket screen (which imports this module)."""

    desk: Desk
    idempotency_key: str
    held_by: str | None

    def show_parked(self, parked: OpenTicketView) -> None: ...
    def requote(self) -> None: ...
    def show_message(self, message: str) -> None: ...


def resumed_lines(data: CheckoutInput) -> TicketLines:
    """The lines a parked `CheckoutInput` was made from (`TicketLines.checkout_input`): the
    visit's own lines, when staff took them over, are those carrying the appointment and
    come first; the rest were added."""
    visit = tuple(line for line in data.lines if line.appointment_id is not None)
    appointment_id = data.appointment_id or next((v.appointment_id for v in visit), None)
    return TicketLines(appointment_id, visit or None, data.lines[len(visit) :])


def open_ticket_label(ticket: OpenTicketView, terminal: str) -> str:
    """E.g. "Nia Park · Blow-dry, 2 × Cream · left 10:41 by Tia · held by back-room"."""
    when = ticket.parked_at.astimezone()
    who = ticket.parked_by or ticket.parked_terminal
    held = f" · held by {ticket.held_by}" if ticket.held_elsewhere(terminal) else ""
    return f"{ticket.client_name} · {ticket.summary} · left {when:%H:%M} by {who}{held}"


async def reload_parked(screen: ResumedTicket, stale: StaleVersion) -> None:
    """Another terminal changed the open ticket since this screen's lines were read: show
    it as it is saved now (held here again unless someone else holds it), saying who
    changed it and when. The lines this screen had are not saved over theirs."""
    try:
        parked = await screen.desk.till.take(screen.idempotency_key)
    except Exception as exc:  # completed or gone meanwhile
        screen.held_by = "another terminal"
        screen.show_message(f"This ticket was closed elsewhere: {describe(exc)} · Esc closes")
        return
    screen.show_parked(parked)
    screen.requote()
    screen.show_message(str(stale))
