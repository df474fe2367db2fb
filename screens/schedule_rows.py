"""Check in, cancel (with a reason) or mark a no-show straight from the schedule's list."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from frontdesk.domain.errors import describe
from frontdesk.services.desk import Desk
from frontdesk.views import AppointmentView
from screens.reason import ConfirmModal, ReasonModal
from screens.schedule_table import time_range


async def act_on_row(
    screen: Screen[Any], desk: Desk, appt: AppointmentView | None, what: str
) -> bool:
    """From the version the list shows (changed elsewhere since: refused). True when
    something was tried, done or refused: the list is then read again."""
    if appt is None:
        screen.notify("No appointment selected.", title="Appointment")
        return False
    from screens.appointment import returned_units_text

    app = screen.app
    try:
        if what == "check_in":
            await desk.appointments.check_in(appt.id, expected_version=appt.version)
            screen.notify(f"{appt.client_name} checked in", title="Check in")
        elif what == "cancel":
            reason = await app.push_screen_wait(
                ReasonModal(
                    "Cancel appointment",
                    f"{appt.client_name} · {appt.service_name} · {time_range(appt)}\n"
                    "Why is it being cancelled? (required)",
                )
            )
            if reason is None:
                return False
            await desk.appointments.cancel(appt.id, reason, expected_version=appt.version)
            screen.notify(returned_units_text(appt) or "Appointment cancelled", title="Cancel")
        elif what == "no_show":
            if not await app.push_screen_wait(
                ConfirmModal("No-show", f"Mark {appt.client_name} as a no-show?")
            ):
                return False
            await desk.appointments.no_show(appt.id, expected_version=appt.version)
            screen.notify(returned_units_text(appt) or "Marked as a no-show", title="No-show")
    except Exception as exc:
        screen.notify(describe(exc), title="Not done", severity="error")
    return True
