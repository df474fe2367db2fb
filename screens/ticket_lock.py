"""An open ticket when the terminal locks (docs/rules.md#permissions, X5).

Locking must not lose it, and the next person at the desk must see it: the ticket is
left open (parked, listed under Open tickets for anyone) while its screen stays in the
locked person's stack. When they sign in again it is taken back to this terminal; if
somebody took it meanwhile it shows read-only, as a resumed ticket held elsewhere does; if
somebody changed it and left it open again, it shows as they saved it, saying who.
"""

from __future__ import annotations

from frontdesk.domain.errors import StaleVersion, describe
from screens.ticket import TicketScreen
from screens.ticket_resume import reload_parked


def parkable(screen: TicketScreen) -> bool:
    return screen.result is None and not screen.held_by and not screen.completing


async def park_for_lock(screen: TicketScreen) -> bool:
    """Leave the ticket open for everyone; False (logged) if that failed."""
    if not parkable(screen):
        return False
    try:
        parked = await screen.desk.till.park(screen._input(), expected_version=screen.open_version)
    except Exception as exc:
        screen.log.error("ticket not parked at lock", exc)
        return False
    screen.resumed = True  # from now on Esc releases it, as for any resumed ticket
    screen.open_version = parked.version
    screen.parked_at_lock = True
    return True


async def take_back(screen: TicketScreen) -> None:
    """The same person is back: hold the ticket here again, or show who has it."""
    screen.parked_at_lock = False
    try:
        view = await screen.desk.till.take(
            screen.idempotency_key, expected_version=screen.open_version
        )
    except StaleVersion as stale:  # taken, edited and left open elsewhere meanwhile
        await reload_parked(screen, stale)
        return
    except Exception as exc:
        screen.held_by = "another terminal"
        screen.show_message(f"This ticket was closed elsewhere: {describe(exc)} · Esc closes")
        return
    if view.held_elsewhere(screen.desk.terminal):
        screen.held_by = view.held_by
        screen.show_message(f"Held by {view.held_by}: read-only here, Esc closes")
