"""Leave a ticket open and resume it from the schedule (issue 12, Build 6), on both engines.

The ticket is seed 003's £90 treatment for a 15% member with £35 in the Beauty Bank:
left open on one terminal with the Beauty Bank toggled, resumed on another from the
schedule's open tickets (`T`) with the same key, lines and toggle, and completed there.
A ticket another terminal holds opens read-only and `ctrl+s` does not complete it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from textual.app import App
from textual.widgets import OptionList

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import OpenTicket, Ticket
from frontdesk.services.desk import Desk
from frontdesk.views.open_tickets import OpenTicketView
from screens.app import FrontdeskApp
from screens.ticket import TicketScreen
from screens.widgets.picker import PickerModal
from tests.money import amount, money
from tests.screens.conftest import TODAY, day_shown
from tests.screens.picker_fixtures import SIZE, HostApp
from tests.screens.ticket_fixtures import (
    NOW,
    Spa,
    build_spa,
    completed,
    count,
    pick,
    shown,
    ticket,
    ticket_app,
    ticket_opened,
    totals,
)
from tests.waiting import wait_until


def schedule_app(url: str, terminal: str, staff_id: int) -> FrontdeskApp:
    return FrontdeskApp(
        lambda: Desk.open(url, terminal=terminal, staff_id=staff_id), clock=lambda: NOW, today=TODAY
    )


async def open_rows(url: str) -> list[tuple[str, str | None]]:
    """(key, held by) of every open ticket."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(OpenTicket.idempotency_key, OpenTicket.held_by))
            return [(key, held) for key, held in rows.all()]
    finally:
        await engine.dispose()


def picker_labels(app: App[Any]) -> list[str]:
    screen = app.screen
    if not isinstance(screen, PickerModal):
        return []
    options = screen.query_one(OptionList)
    return [
        str(options.get_option_at_index(i).prompt)
        for i in range(options.option_count)
        if options.get_option_at_index(i).id is not None
    ]


async def park_with_beauty_bank(url: str, spa: Spa) -> str:
    """On terminal "test": open the treatment's ticket, toggle the Beauty Bank, press `l`."""
    app = ticket_app(url, spa.member_id, spa.location_id, spa.treatment_appt, staff_id=spa.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: ticket(app).use_wallet, what="Beauty Bank toggled")
        key = ticket(app).idempotency_key
        await pilot.press("l")
        await wait_until(pilot, lambda: app.results == [None], what="the ticket left open")
    return key


async def test_leave_open_then_resume_from_the_schedule_on_another_terminal(
    db_url: str,
) -> None:
    spa = await build_spa(db_url)
    key = await park_with_beauty_bank(db_url, spa)
    assert await open_rows(db_url) == [(key, None)]
    assert await count(db_url, Ticket) == 0

    app = schedule_app(db_url, "till-2", spa.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        await pilot.press("T")
        await wait_until(pilot, lambda: picker_labels(app), what="the open tickets")
        [label] = picker_labels(app)
        assert label.startswith("Amelia Hart · Signature Facial · left ")
        await pick(pilot, key)
        await ticket_opened(pilot)
        assert ticket(app).idempotency_key == key
        # The Beauty Bank toggle came back with the ticket.
        assert totals(app)[3:] == [
            f"[x] Beauty Bank of {money('35.00')} −{money('35.00')}",
            f"[ ] Credit of {money('0.00')} —",
            f"Total due {money('41.50')}",
        ]
        assert await open_rows(db_url) == [(key, "till-2")]
        await pilot.press("ctrl+s")
        await completed(pilot)
        result = ticket(app).result
        assert result is not None and result.tendered == amount("41.50")
        await pilot.press("enter")
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="back on the schedule")
    assert await count(db_url, Ticket) == 1
    assert await open_rows(db_url) == []


async def test_a_ticket_held_elsewhere_opens_read_only_and_is_not_completed(
    db_url: str,
) -> None:
    spa = await build_spa(db_url)
    key = await park_with_beauty_bank(db_url, spa)
    back = Desk.open(db_url, terminal="back-room", staff_id=spa.staff_id)
    try:
        await back.till.take(key)
    finally:
        await back.close()

    app = schedule_app(db_url, "till-2", spa.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="today's schedule")
        await pilot.press("T")
        await wait_until(pilot, lambda: picker_labels(app), what="the open tickets")
        assert picker_labels(app)[0].endswith(" · held by back-room")
        await pick(pilot, key)
        await ticket_opened(pilot)
        assert shown(app, "#ticket-title").endswith(" · held by back-room")
        await pilot.press("w", "l")  # read-only: no toggle, no parking
        assert ticket(app).use_wallet is True
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: "it cannot be completed here" in shown(app, "#ticket-message"),
            what="Complete refused",
        )
        assert ticket(app).calls == 0 and ticket(app).result is None
        await pilot.press("escape")
        await wait_until(pilot, lambda: day_shown(app, TODAY), what="back on the schedule")
    assert await count(db_url, Ticket) == 0
    assert await open_rows(db_url) == [(key, "back-room")]  # still theirs


async def test_esc_on_a_resumed_ticket_releases_it(db_url: str) -> None:
    spa = await build_spa(db_url)
    key = await park_with_beauty_bank(db_url, spa)
    parked: list[OpenTicketView] = []

    def resumed(desk: Desk) -> TicketScreen:
        return TicketScreen.from_parked(desk, parked[0], clock=lambda: NOW)

    desk = Desk.open(db_url, terminal="test", staff_id=spa.staff_id)
    try:
        parked.append(await desk.till.take(key))
    finally:
        await desk.close()
    app = HostApp(db_url, resumed, staff_id=spa.staff_id)
    async with app.run_test(size=SIZE) as pilot:
        await ticket_opened(pilot)
        assert await open_rows(db_url) == [(key, "test")]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results == [None], what="the ticket closed")
    assert await open_rows(db_url) == [(key, None)]
