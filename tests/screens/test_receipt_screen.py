"""A past receipt from the profile's Activity tab: shown again, refunded once (80x24, keys)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text
from sqlalchemy import select
from textual.binding import ActiveBinding
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from frontdesk.db.engine import create_engine
from frontdesk.db.tables import Ticket
from frontdesk.domain.checkout import LineKind
from frontdesk.domain.errors import PermissionDenied
from frontdesk.services.context import ServiceContext
from frontdesk.services.desk import Desk
from frontdesk.views.till import CheckoutInput, LineInput, TenderInput
from screens.profile_tabs.activity import ActivityTab
from screens.reason import ConfirmModal, ReasonModal
from screens.receipt import ReceiptScreen
from tests.money import amount, money
from tests.screens.profile_fixtures import notes
from tests.screens.profile_tab_fixtures import SIZE, TabHost, tab_loaded, text_of
from tests.services.world import World, build_world
from tests.waiting import wait_until

D = Decimal


async def sold(url: str) -> tuple[World, int]:
    """A client who bought a facial for £90 in cash (£100 tendered, £10 change)."""
    ctx = ServiceContext.create(create_engine(url), terminal="till-1")
    try:
        w = await build_world(ctx)
        result = await Desk(ctx.as_staff(w.desk)).till.complete(
            CheckoutInput(
                idempotency_key="screen-receipt",
                client_id=w.client,
                location_id=w.location,
                lines=(
                    LineInput(kind=LineKind.SERVICE, service_id=w.facial, staff_id=w.therapist),
                ),
                tenders=(TenderInput(method="cash", amount=amount("100.00")),),
            )
        )
        return w, result.ticket_id
    finally:
        await ctx.dispose()


def activity_host(url: str, client_id: int, staff_id: int) -> TabHost:
    def make(desk: Desk) -> ActivityTab:
        return ActivityTab(desk, client_id, location_id=None, id="tab")

    return TabHost(url, make, staff_id=staff_id)


def receipt_shown(app: TabHost) -> str:
    return text_of(app, "#receipt-text") if isinstance(app.screen, ReceiptScreen) else ""


def purchase_row(app: TabHost) -> int:
    table = app.query_one("#activity-table", DataTable)
    for i in range(table.row_count):
        what = table.get_row_at(i)[1]
        if isinstance(what, Text) and what.plain.startswith("Purchase"):
            return i
    raise AssertionError("no purchase row")


async def refund_with(app: TabHost, pilot: Pilot[None], reason: str) -> None:
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason asked")
    app.screen.query_one("#ask-input", Input).value = reason
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="the confirm")
    await pilot.press("y")
    await wait_until(pilot, lambda: isinstance(app.screen, ReceiptScreen), what="back on it")


async def test_reprint_from_activity_then_refund_once(sqlite_url: str, tmp_path: Path) -> None:
    w, ticket_id = await sold(sqlite_url)
    app = activity_host(sqlite_url, w.client, w.manager)  # a manager refunds tickets
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        table = app.query_one("#activity-table", DataTable)
        table.focus()
        table.move_cursor(row=purchase_row(app))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Total" in receipt_shown(app), what="the receipt")
        text = receipt_shown(app)
        assert f"Ticket #{ticket_id}" in text and "Served by Dee Desk" in text
        assert "Change" in text and money("10.00") in text
        assert "REFUNDED" not in text
        # The file written at complete reads the same as the screen.
        saved = (tmp_path / "receipts-written" / f"{ticket_id}.txt").read_text(encoding="utf-8")
        assert saved == text + "\n"

        await refund_with(app, pilot, "Charged the wrong client")
        await wait_until(
            pilot, lambda: receipt_shown(app).startswith("*** REFUNDED"), what="REFUNDED"
        )
        assert "Reason: Charged the wrong client" in receipt_shown(app)
        assert "Cash paid back" in receipt_shown(app)
        assert text_of(app, "#receipt-message") == f"Ticket #{ticket_id} refunded"

        await refund_with(app, pilot, "Again")
        await wait_until(
            pilot,
            lambda: text_of(app, "#receipt-message").startswith("Not refunded"),
            what="the refusal",
        )
        assert f"Ticket #{ticket_id} was already refunded on" in text_of(app, "#receipt-message")

        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: (
                not isinstance(app.screen, ReceiptScreen)
                and "Purchase (reversed)" in str(table.get_row_at(purchase_row(app))[1])
            ),
            what="the activity, reloaded",
        )
        assert app.changed == [w.client]

    ctx = ServiceContext.create(create_engine(sqlite_url), terminal="check")
    try:
        async with ctx.read() as s:
            statuses = (await s.scalars(select(Ticket.status))).all()
    finally:
        await ctx.dispose()
    assert statuses == ["refunded"]


async def test_esc_at_the_reason_refunds_nothing(sqlite_url: str) -> None:
    w, ticket_id = await sold(sqlite_url)
    app = activity_host(sqlite_url, w.client, w.manager)  # a manager refunds tickets
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        app.push_screen(ReceiptScreen(app.desk, ticket_id))
        await wait_until(pilot, lambda: "Total" in receipt_shown(app), what="the receipt")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReasonModal), what="the reason")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceiptScreen), what="back")
        assert "REFUNDED" not in receipt_shown(app)
    ctx = ServiceContext.create(create_engine(sqlite_url), terminal="check")
    try:
        async with ctx.read() as s:
            assert (await s.scalars(select(Ticket.status))).all() == ["completed"]
    finally:
        await ctx.dispose()


async def ticket_statuses(url: str) -> list[str]:
    ctx = ServiceContext.create(create_engine(url), terminal="check")
    try:
        async with ctx.read() as s:
            return list((await s.scalars(select(Ticket.status))).all())
    finally:
        await ctx.dispose()


def refund_key(app: TabHost) -> ActiveBinding | None:
    found = (b for b in app.screen.active_bindings.values() if b.binding.id == "receipt.refund")
    return next(found, None)


async def test_front_desk_may_not_refund_and_is_told_why(sqlite_url: str) -> None:
    """Refunding needs "refund tickets": front desk is not offered Refund, and `r` says
    why."""
    w, ticket_id = await sold(sqlite_url)
    app = activity_host(sqlite_url, w.client, w.desk)
    refusal = "You need the “refund tickets” permission to do this"
    async with app.run_test(size=SIZE) as pilot:
        await tab_loaded(pilot)
        app.push_screen(ReceiptScreen(app.desk, ticket_id))
        await wait_until(pilot, lambda: "Total" in receipt_shown(app), what="the receipt")
        assert refund_key(app) is None  # in neither footer nor palette
        await pilot.press("r")
        await wait_until(pilot, lambda: refusal in notes(app), what="the refusal")
        assert isinstance(app.screen, ReceiptScreen)  # no reason asked
        assert "REFUNDED" not in receipt_shown(app)
    assert await ticket_statuses(sqlite_url) == ["completed"]
    # The screen only repeats the service's rule: asked directly, it refuses the same way.
    desk = Desk.open(sqlite_url, terminal="check", staff_id=w.desk)
    try:
        with pytest.raises(PermissionDenied) as refused:
            await desk.till.reverse(ticket_id, "Charged the wrong client")
    finally:
        await desk.close()
    assert str(refused.value) == refusal
    assert await ticket_statuses(sqlite_url) == ["completed"]
