"""No silent overwrite on an open ticket (issue 15, item 2), on both engines: a ticket left
open when its terminal locked, taken, changed and left open again by another terminal, is
not taken back with the locked terminal's old lines: it shows as the other saved it, and
says who changed it and when."""

from __future__ import annotations

import re

from frontdesk.services.desk import Desk
from frontdesk.views.open_tickets import OpenTicketView
from screens.ticket import TicketScreen
from screens.ticket_lock import park_for_lock, take_back
from tests.screens.picker_fixtures import SIZE, HostApp, text_of
from tests.screens.test_park import open_rows, park_with_beauty_bank
from tests.screens.ticket_fixtures import NOW, build_spa, ticket, ticket_opened
from tests.waiting import wait_until


async def test_taking_back_a_ticket_changed_elsewhere_shows_their_version(db_url: str) -> None:
    spa = await build_spa(db_url)
    key = await park_with_beauty_bank(db_url, spa)
    parked: list[OpenTicketView] = []
    setup = Desk.open(db_url, terminal="test", staff_id=spa.staff_id)
    try:
        parked.append(await setup.till.take(key))
    finally:
        await setup.close()
    assert parked[0].ticket.use_wallet

    app = HostApp(
        db_url,
        lambda desk: TicketScreen.from_parked(desk, parked[0], clock=lambda: NOW),
        staff_id=spa.staff_id,
    )
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        screen = ticket(app)
        assert screen.open_version == parked[0].version
        assert await park_for_lock(screen)  # the terminal locks: left open for anyone

        back = Desk.open(db_url, terminal="back-room", staff_id=spa.staff_id)
        try:
            theirs = await back.till.take(key)
            without = theirs.ticket.model_copy(update={"use_wallet": False})
            await back.till.park(without, expected_version=theirs.version)
        finally:
            await back.close()

        await take_back(screen)  # the same person signs in again
        await wait_until(
            pilot,
            lambda: text_of(app, "#ticket-message").startswith("Changed on back-room at "),
            what="the ticket shown as the back room left it, naming it",
        )
        assert re.fullmatch(
            r"Changed on back-room at \d\d:\d\d — reloaded; check and save again",
            text_of(app, "#ticket-message"),
        )
        assert not screen.use_wallet  # the back room's toggle, not this screen's old one
        assert screen.held_by is None
        assert await open_rows(db_url) == [(key, "test")]  # held here again, as saved there
        # Left open again from the reloaded version: goes through, keeping their change.
        await pilot.press("l")
        await wait_until(pilot, lambda: app.results == [None], what="the ticket left open")
    assert await open_rows(db_url) == [(key, None)]
    check = Desk.open(db_url, terminal="check", staff_id=spa.staff_id)
    try:
        (again,) = await check.till.open_tickets(None)
    finally:
        await check.close()
    assert not again.ticket.use_wallet
