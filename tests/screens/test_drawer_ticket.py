"""A ticket paid in cash on a terminal whose drawer is closed for today (docs/rules.md,
D4): the till's refusal is the ticket's message, nothing is written; card still pays."""

from __future__ import annotations

from frontdesk.db.tables import Payment, Ticket
from frontdesk.domain.write_keys import new_key
from frontdesk.services.desk import Desk
from tests.money import amount, typed
from tests.screens.picker_fixtures import SIZE
from tests.screens.ticket_fixtures import (
    build_spa,
    completed,
    count,
    field,
    payments,
    shown,
    ticket,
    ticket_app,
    ticket_opened,
)
from tests.waiting import wait_until

CLOSED = "The cash drawer on test is closed for today — a manager can reopen it"


async def test_cash_is_refused_on_a_closed_drawer_and_card_still_pays(sqlite_url: str) -> None:
    spa = await build_spa(sqlite_url)
    desk = Desk.open(sqlite_url, terminal="test", staff_id=spa.staff_id)  # the app's terminal
    try:
        await desk.drawer.open(spa.location_id, amount("50.00"), key=new_key())
        await desk.drawer.close(spa.location_id, amount("50.00"), "", key=new_key())
    finally:
        await desk.close()
    app = ticket_app(
        sqlite_url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("tab", "tab", *typed("80"))  # all in cash
        await wait_until(
            pilot, lambda: field(app, "#tender-card") == typed("0.00"), what="card emptied"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: shown(app, "#ticket-message"), what="the refusal")
        assert shown(app, "#ticket-message") == f"Not completed: {CLOSED}"
        assert ticket(app).result is None
        assert await count(sqlite_url, Ticket) == 0
        # All of it by card instead: the till takes it.
        await pilot.press("ctrl+u", "shift+tab", "ctrl+u", *typed("76.50"), "ctrl+s")
        await completed(pilot)
    assert await payments(sqlite_url) == [("card", 7_650, 0)]
    assert await count(sqlite_url, Payment) == 1
