"""A ticket left open, back as the lines staff edit, and as a row of the open-tickets list."""

from __future__ import annotations

from frontdesk.views.open_tickets import OpenTicketView
from frontdesk.views.till import CheckoutInput
from screens.ticket_lines import TicketLines


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
